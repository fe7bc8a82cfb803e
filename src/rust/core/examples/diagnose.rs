//! Why does the contrastive embedding lose to PCA of its own input (issue
//! 12)? Per dataset and seed, with the labels used only to diagnose:
//! - kNN agreement: the share of each cell's 15 nearest neighbours that
//!   carry its label, in the embedding and in 50-PC space; overall, for
//!   the smallest types (together under 10% of the cells) and for the
//!   largest type;
//! - what one view keeps: the same agreement in PC space for a 90%-dropout
//!   view of every cell (projected on the full data's components);
//! - the loss: first and last epoch, the uniform-embedding value
//!   ln(2B - 1), and the relative change over the last 10 epochs.
//!
//! `cargo run --release --example diagnose -- DIR SEEDS [key=value...]`
//! (keys as in the `search` example: neighbours, temperature, ...).

use csc_core::neighbours::Neighbours;
use csc_core::nn::SparseBatch;
use csc_core::pca::Pca;
use csc_core::rng::{stream, Purpose};
use csc_core::{io, preprocess, train::train, PreprocessOptions, TrainOptions};
use ndarray::ArrayView2;
use std::collections::HashMap;
use std::path::Path;

type Res<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// Per cell: the share of its `k` nearest neighbours (itself excluded)
/// with the same label.
fn agreement(x: ArrayView2<f32>, truth: &[i32], k: usize) -> Res<Vec<f64>> {
    let nb = Neighbours::exact(x, k + 1)?;
    Ok((0..truth.len()).map(|i| nb.of(i)[1..].iter().filter(|&&j| truth[j as usize] == truth[i]).count() as f64 / k as f64).collect())
}

/// Mean agreement over all cells, the small types and the largest type.
fn summary(a: &[f64], truth: &[i32]) -> (f64, f64, f64) {
    let mut size: HashMap<i32, usize> = HashMap::new();
    truth.iter().for_each(|&t| *size.entry(t).or_default() += 1);
    let mut types: Vec<(usize, i32)> = size.iter().map(|(&t, &n)| (n, t)).collect();
    types.sort();
    let n = truth.len();
    let (mut small, mut acc) = (Vec::new(), 0);
    for &(s, t) in &types {
        if acc + s > n / 10 && !small.is_empty() {
            break;
        }
        acc += s;
        small.push(t);
    }
    let largest = types.last().map(|p| p.1).unwrap_or(0);
    let mean = |f: &dyn Fn(i32) -> bool| {
        let v: Vec<f64> = a.iter().zip(truth).filter(|(_, &t)| f(t)).map(|(v, _)| *v).collect();
        v.iter().sum::<f64>() / v.len().max(1) as f64
    };
    (mean(&|_| true), mean(&|t| small.contains(&t)), mean(&|t| t == largest))
}

fn main() -> Res<()> {
    let a: Vec<String> = std::env::args().collect();
    let root = Path::new(&a[1]);
    let (s0, s1) = a[2].split_once('-').ok_or("SEEDS as A-B")?;
    let kv: HashMap<&str, &str> = a[3..].iter().filter_map(|s| s.split_once('=')).collect();
    let mut topts = TrainOptions::default();
    if let Some(v) = kv.get("neighbours") { topts.neighbours = v.parse()?; }
    if let Some(v) = kv.get("temperature") { topts.temperature = v.parse()?; }
    let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build()?;
    let mut dirs: Vec<_> = std::fs::read_dir(root)?.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.join("counts.mtx.gz").exists()).collect();
    dirs.sort();
    println!("dataset,seed,knn_emb,knn_pca,knn_view_pca,small_emb,small_pca,largest_emb,largest_pca,loss_first,loss_last,loss_uniform,loss_change_last10");
    for dir in dirs {
        let counts = io::read_matrix_market(&dir.join("counts.mtx.gz"))?;
        let labels = io::read_labels(&dir.join("labels.tsv"))?;
        let ds = dir.file_name().and_then(|s| s.to_str()).unwrap_or("?").to_string();
        let popts = PreprocessOptions { normalized_input: io::is_log_scale(&dir), ..Default::default() };
        pool.install(|| -> Res<()> {
            let p = preprocess(&counts.view()?, &popts)?;
            let truth: Vec<i32> = p.cells.iter().map(|&c| labels[c]).collect();
            let k = 15.min(truth.len() - 2);
            for seed in s0.parse::<u64>()?..=s1.parse()? {
                let pca = Pca::fit(p.data.view(), 50, seed)?;
                let pcs = pca.project(p.data.view());
                let view = SparseBatch::sample(p.data.view(), 0.9, |r| stream(seed, Purpose::Dropout, &[u64::MAX, r as u64])).to_dense();
                let view_pcs = pca.project(view.view());
                let tr = train(p.data.clone(), &topts, seed)?;
                let emb = tr.embed()?;
                let (ea, es, el) = summary(&agreement(emb.view(), &truth, k)?, &truth);
                let (pa, ps, pl) = summary(&agreement(pcs.view(), &truth, k)?, &truth);
                let (va, _, _) = summary(&agreement(view_pcs.view(), &truth, k)?, &truth);
                let l = tr.losses();
                let last10 = l.len().saturating_sub(11);
                let change = (l[last10] - l[l.len() - 1]) / l[l.len() - 1];
                let uniform = ((2 * topts.batch_size.min(truth.len()) - 1) as f64).ln();
                println!(
                    "{ds},{seed},{ea:.3},{pa:.3},{va:.3},{es:.3},{ps:.3},{el:.3},{pl:.3},{:.4},{:.4},{uniform:.4},{change:.4}",
                    l[0],
                    l[l.len() - 1]
                );
            }
            Ok(())
        })?;
    }
    Ok(())
}
