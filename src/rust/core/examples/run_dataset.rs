//! Runs the whole pipeline on one dataset folder of the project's format and
//! prints one CSV line per seed: preprocessing, training and KMeans times,
//! ARI, NMI and silhouette against the labels.
//!
//! `cargo run --release --example run_dataset -- DIR [N_GENES] [SEEDS] [THREADS]`
//! e.g. `... ../shared/data/10X_PBMC_top2000 500 0-9 2`.

use csc_core::{cluster::kmeans, io, metrics, preprocess, train::train, KMeansOptions, PreprocessOptions, TrainOptions};
use std::path::PathBuf;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let dir = PathBuf::from(args.get(1).ok_or("usage: run_dataset DIR [N_GENES] [SEEDS] [THREADS]")?);
    let n_genes: usize = args.get(2).map_or(Ok(500), |s| s.parse())?;
    let seeds: Vec<u64> = match args.get(3).map(String::as_str).unwrap_or("0") {
        s if s.contains('-') => {
            let (a, b) = s.split_once('-').ok_or("bad seed range")?;
            (a.parse()?..=b.parse()?).collect()
        }
        s => s.split(',').map(str::parse).collect::<Result<_, _>>()?,
    };
    let threads: usize = args.get(4).map_or(Ok(2), |s| s.parse())?;
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build()?;
    let counts = io::read_matrix_market(&dir.join("counts.mtx.gz"))?;
    let labels = io::read_labels(&dir.join("labels.tsv"))?;
    let k = labels.iter().collect::<std::collections::HashSet<_>>().len();
    let name = dir.file_name().and_then(|s| s.to_str()).unwrap_or("?");
    println!("dataset,n_genes,seed,preprocess_s,train_s,kmeans_s,total_s,ari,nmi,silhouette,final_loss");
    for seed in seeds {
        pool.install(|| -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
            let t0 = Instant::now();
            let view = counts.view()?;
            let p = preprocess(&view, &PreprocessOptions { n_genes, ..PreprocessOptions::reference() })?;
            let t1 = Instant::now();
            let trainer = train(p.data.clone(), &TrainOptions::reference(), seed)?;
            let emb = trainer.embed()?;
            let t2 = Instant::now();
            let km = kmeans(emb.view(), k, &KMeansOptions::reference(), seed)?;
            let t3 = Instant::now();
            let truth: Vec<i32> = p.cells.iter().map(|&c| labels[c]).collect();
            let pred: Vec<i32> = km.labels.iter().map(|&l| l as i32).collect();
            let ari = metrics::adjusted_rand_index(&truth, &pred)?;
            let nmi = metrics::normalized_mutual_info(&truth, &pred)?;
            let sil = metrics::silhouette(emb.mapv(f64::from).view(), &pred).unwrap_or(f64::NAN);
            let s = |a: Instant, b: Instant| (b - a).as_secs_f64();
            println!(
                "{name},{n_genes},{seed},{:.3},{:.3},{:.3},{:.3},{ari:.4},{nmi:.4},{sil:.4},{:.4}",
                s(t0, t1), s(t1, t2), s(t2, t3), s(t0, t3), trainer.losses().last().copied().unwrap_or(f64::NAN)
            );
            Ok(())
        }).map_err(|e| e.to_string())?;
    }
    Ok(())
}
