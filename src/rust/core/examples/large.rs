//! Large synthetic input: generates a sparse count matrix of negative
//! binomial clusters, then runs the pipeline and prints the time and the
//! peak resident memory of each phase, beyond the input (preprocessing
//! with the default and the reference gene ranking).
//!
//! `cargo run --release --example large -- N_CELLS [N_GENES] [NNZ_PER_CELL] [THREADS] [EPOCHS]`
//!
//! The generator (documented here because the benchmark depends on it):
//! 10 cell types; type `t` has a program of 500 genes whose means are 4x the
//! base level. Each cell draws `NNZ_PER_CELL` distinct genes, 60% from its
//! type's program and 40% uniformly from all genes, and each drawn gene gets
//! a count `1 + NB(mean, dispersion 2)` (a Gamma-Poisson draw), so every
//! stored value is a positive integer. Cell `c` has type `c % 10`. Seeded.

use csc_core::cluster::kmeans;
use csc_core::rng::{stream, Purpose};
use csc_core::train::Trainer;
use csc_core::{metrics, preprocess, CscOwned, KMeansOptions, PreprocessOptions, TrainOptions};
use rand::Rng;
use rand_distr::{Distribution, Gamma, Poisson};
use rayon::prelude::*;
use std::time::Instant;

const TYPES: usize = 10;
const PROGRAM: usize = 500;

fn status_mib(field: &str) -> f64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// Resets the peak-RSS counter (VmHWM) to the current RSS.
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn generate(n_cells: usize, n_genes: usize, nnz: usize) -> CscOwned {
    let cols: Vec<(Vec<i32>, Vec<f64>)> = (0..n_cells)
        .into_par_iter()
        .map(|c| {
            let mut rng = stream(20_000, Purpose::Init, &[c as u64]);
            let t = c % TYPES;
            let mut genes: Vec<i32> = Vec::with_capacity(nnz);
            while genes.len() < nnz.min(n_genes) {
                let g = if rng.gen::<f64>() < 0.6 {
                    (t * PROGRAM + rng.gen_range(0..PROGRAM)) % n_genes
                } else {
                    rng.gen_range(0..n_genes)
                };
                genes.push(g as i32);
                if genes.len() == nnz.min(n_genes) {
                    genes.sort_unstable();
                    genes.dedup();
                }
            }
            let vals = genes
                .iter()
                .map(|&g| {
                    let in_program = (g as usize / PROGRAM) % TYPES == t && (g as usize) < TYPES * PROGRAM;
                    let mean: f64 = if in_program { 4.0 } else { 1.0 };
                    let lambda: f64 = Gamma::new(2.0, mean / 2.0).map(|d| d.sample(&mut rng)).unwrap_or(mean);
                    1.0 + Poisson::new(lambda.max(1e-9)).map(|d| d.sample(&mut rng)).unwrap_or(0.0)
                })
                .collect();
            (genes, vals)
        })
        .collect();
    let mut m = CscOwned { n_rows: n_genes, n_cols: n_cells, col_ptr: Vec::with_capacity(n_cells + 1), ..Default::default() };
    let total: usize = cols.iter().map(|c| c.0.len()).sum();
    m.row_idx.reserve_exact(total);
    m.values.reserve_exact(total);
    m.col_ptr.push(0);
    for (g, v) in cols {
        m.row_idx.extend(g);
        m.values.extend(v);
        m.col_ptr.push(m.row_idx.len() as i32);
    }
    m
}

fn main() {
    let args: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let n_cells = *args.first().unwrap_or(&100_000);
    let n_genes = *args.get(1).unwrap_or(&20_000);
    let nnz = *args.get(2).unwrap_or(&300);
    let threads = *args.get(3).unwrap_or(&2);
    let epochs = *args.get(4).unwrap_or(&30);
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("thread pool");
    pool.install(|| {
        let t = Instant::now();
        let m = generate(n_cells, n_genes, nnz);
        let input_mib = (m.values.len() * 12 + m.col_ptr.len() * 4) as f64 / 1048576.0;
        println!("generated {n_cells} cells x {n_genes} genes, {} non-zeros ({input_mib:.0} MiB as CSC) in {:.1} s", m.values.len(), t.elapsed().as_secs_f64());
        let base = status_mib("VmRSS:");
        println!("phase,seconds,peak_rss_mib,peak_beyond_input_mib");
        let report = |phase: &str, secs: f64| {
            let peak = status_mib("VmHWM:");
            println!("{phase},{secs:.2},{peak:.0},{:.0}", peak - base);
            reset_peak();
        };
        reset_peak();
        let view = m.view().expect("generated matrix is valid");
        // The default gene ranking (Pearson residuals) costs more than the
        // reference's dispersion; both are timed, the reference one trains.
        let t = Instant::now();
        preprocess(&view, &PreprocessOptions::default()).expect("preprocess");
        report("preprocess-pearson", t.elapsed().as_secs_f64());
        let t = Instant::now();
        let p = preprocess(&view, &PreprocessOptions::reference()).expect("preprocess");
        report("preprocess", t.elapsed().as_secs_f64());
        let t = Instant::now();
        let mut trainer = Trainer::new(p.data, TrainOptions { epochs, ..TrainOptions::reference() }, 0).expect("trainer");
        while !trainer.finished() {
            trainer.run_epoch().expect("epoch");
        }
        let emb = trainer.embed().expect("embed");
        report("train+embed", t.elapsed().as_secs_f64());
        let t = Instant::now();
        let km = kmeans(emb.view(), TYPES, &KMeansOptions::reference(), 0).expect("kmeans");
        report("kmeans", t.elapsed().as_secs_f64());
        let truth: Vec<i32> = p.cells.iter().map(|&c| (c % TYPES) as i32).collect();
        let pred: Vec<i32> = km.labels.iter().map(|&l| l as i32).collect();
        println!("ARI vs generating types: {:.3}", metrics::adjusted_rand_index(&truth, &pred).unwrap_or(f64::NAN));
    });
}
