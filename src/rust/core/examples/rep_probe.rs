//! Probe for issue 7: k-means with the true k on the trained encoder's
//! layers, not only on its output. Contrastive methods after SimCLR cluster
//! the representation *before* the projection head; this measures whether
//! that holds here. Prints one CSV line per dataset x seed x layer.
//!
//! `cargo run --release --example rep_probe -- DIR N_GENES EPOCHS COSINE SEEDS`
//! e.g. `... ../shared/data/10X_PBMC_top2000 500 60 60 0-4`.

use csc_core::nn::Encoder;
use csc_core::{cluster::kmeans, io, metrics, preprocess, train::train, KMeansOptions, PreprocessOptions, TrainOptions};
use ndarray::{Array2, ArrayView2, Axis};
use std::path::PathBuf;

/// Eval-mode activations after each hidden layer's BatchNorm + ReLU, then
/// the embedding; each L2-normalised by row.
fn layers(e: &Encoder, x: ArrayView2<f32>) -> Vec<Array2<f32>> {
    let mut out = Vec::new();
    let mut h = e.linears[0].forward(x);
    for (i, lin) in e.linears.iter().enumerate().skip(1) {
        h = e.norms[i - 1].forward_eval(h.view());
        h.mapv_inplace(|v| v.max(0.0));
        out.push(h.clone());
        h = lin.forward(h.view());
    }
    out.push(h);
    out.into_iter()
        .map(|mut a| {
            for mut r in a.axis_iter_mut(Axis(0)) {
                let n = r.dot(&r).sqrt().max(1e-12);
                r.mapv_inplace(|v| v / n);
            }
            a
        })
        .collect()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let a: Vec<String> = std::env::args().collect();
    let dir = PathBuf::from(&a[1]);
    let n_genes: usize = a[2].parse()?;
    let epochs: usize = a[3].parse()?;
    let cosine_period: usize = a[4].parse()?;
    let (s0, s1) = a[5].split_once('-').ok_or("SEEDS as A-B")?;
    let counts = io::read_matrix_market(&dir.join("counts.mtx.gz"))?;
    let labels = io::read_labels(&dir.join("labels.tsv"))?;
    let k = labels.iter().collect::<std::collections::HashSet<_>>().len();
    let name = dir.file_name().and_then(|s| s.to_str()).unwrap_or("?");
    let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build()?;
    for seed in s0.parse::<u64>()?..=s1.parse()? {
        pool.install(|| -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
            let p = preprocess(&counts.view()?, &PreprocessOptions { n_genes, ..PreprocessOptions::reference() })?;
            let opts = TrainOptions { epochs, cosine_period, ..TrainOptions::reference() };
            let t = train(p.data.clone(), &opts, seed)?;
            let enc = t.encoder()?;
            let truth: Vec<i32> = p.cells.iter().map(|&c| labels[c]).collect();
            for (l, rep) in layers(&enc, p.data.view()).iter().enumerate() {
                let km = kmeans(rep.view(), k, &KMeansOptions::reference(), seed)?;
                let pred: Vec<i32> = km.labels.iter().map(|&v| v as i32).collect();
                let ari = metrics::adjusted_rand_index(&truth, &pred)?;
                println!("{name},{n_genes},{epochs},{seed},layer{l}_{},{ari:.4}", rep.ncols());
            }
            Ok(())
        }).map_err(|e| e.to_string())?;
    }
    Ok(())
}
