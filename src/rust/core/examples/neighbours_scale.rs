//! What neighbour positives cost before training starts, at atlas sizes:
//! the 50 principal components (fitted on at most 50,000 cells) and each
//! cell's 10 nearest cells (exact up to 30,000 cells, within k-d tree
//! leaves above), on synthetic scaled data with 10 groups, and the share
//! of found neighbours from the cell's own group.
//!
//! `cargo run --release --example neighbours_scale -- CELLS [GENES] [THREADS]`

use csc_core::neighbours::Neighbours;
use csc_core::pca::Pca;
use csc_core::rng::{stream, Purpose};
use ndarray::Array2;
use rand::Rng;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let a: Vec<String> = std::env::args().collect();
    let n: usize = a.get(1).ok_or("CELLS")?.parse()?;
    let g: usize = a.get(2).map_or(Ok(500), |s| s.parse())?;
    let threads: usize = a.get(3).map_or(Ok(2), |s| s.parse())?;
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build()?;
    let mut rng = stream(1, Purpose::Init, &[]);
    let centres = Array2::from_shape_fn((10, g), |_| rng.gen::<f32>() * 2.0 - 1.0);
    let group = |i: usize| (i * 7919) % 10;
    let x = Array2::from_shape_fn((n, g), |(i, j)| centres[[group(i), j]] + (rng.gen::<f32>() - 0.5) * 4.0);
    pool.install(|| -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        let t = Instant::now();
        let pcs = Pca::fit(x.view(), 50, 0)?.project(x.view());
        let t_pca = t.elapsed().as_secs_f64();
        let nb = Neighbours::find(pcs.view(), 10)?;
        let t_nb = t.elapsed().as_secs_f64() - t_pca;
        let same = (0..n).flat_map(|i| nb.of(i)[1..].iter().map(move |&j| (group(i) == group(j as usize)) as usize)).sum::<usize>();
        println!("cells,genes,threads,pca_s,neighbours_s,same_group");
        println!("{n},{g},{threads},{t_pca:.2},{t_nb:.2},{:.4}", same as f64 / (n * (nb.k - 1)) as f64);
        Ok(())
    })
    .map_err(|e| e.to_string())?;
    Ok(())
}
