//! Trains on a device and reports wall time per phase: 10X PBMC (with its
//! ARI) and synthetic data of given sizes (500 genes, 10 Gaussian-mixture
//! types, already scaled: the training cost alone). Used by
//! `bench/gpu-check.sh` on a GPU machine, and for the native vs torch-CPU
//! ratio here.
//!
//! `gpu_check BACKEND DEVICE PBMC_DIR [SYNTHETIC_CELLS,...] [THREADS]`
//! e.g. `gpu_check torch cuda ../shared/data/10X_PBMC_top2000 100000,1000000`.

use csc_core::backend::{make_backend, resolve};
use csc_core::cluster::kmeans;
use csc_core::rng::{stream, Purpose};
use csc_core::train::Trainer;
use csc_core::{io, metrics, preprocess, KMeansOptions, PreprocessOptions, TrainOptions};
use ndarray::Array2;
use rand::Rng;
use std::path::PathBuf;
use std::time::Instant;

fn train(data: Array2<f32>, backend: &str, device: &str, seed: u64) -> Result<(Trainer, f64, f64), String> {
    let opts = TrainOptions::reference();
    let (kind, dev) = resolve(backend, device).map_err(|e| e.to_string())?;
    let t = Instant::now();
    let b = make_backend(kind, dev, Trainer::initial_encoder(data.ncols(), &opts, seed), opts.temperature).map_err(|e| e.to_string())?;
    let mut trainer = Trainer::with_backend(data, opts, seed, b).map_err(|e| e.to_string())?;
    while !trainer.finished() {
        trainer.run_epoch().map_err(|e| e.to_string())?;
    }
    let train_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    trainer.embed().map_err(|e| e.to_string())?;
    Ok((trainer, train_s, t.elapsed().as_secs_f64()))
}

/// `n` cells x 500 scaled genes: 10 types, each a Gaussian around its own
/// random centre (the cost of training does not depend on the values).
fn synthetic(n: usize) -> Array2<f32> {
    let mut rng = stream(7, Purpose::Init, &[n as u64]);
    let centres: Vec<f32> = (0..10 * 500).map(|_| rng.gen_range(-1.0..1.0)).collect();
    Array2::from_shape_fn((n, 500), |(i, j)| centres[(i % 10) * 500 + j] + rng.gen_range(-1.0f32..1.0))
}

/// Milliseconds per mini-batch step of the reference schedule.
fn ms_per_step(train_s: f64, cells: usize) -> f64 {
    let opts = TrainOptions::reference();
    1000.0 * train_s / (opts.epochs * cells.div_ceil(opts.batch_size)) as f64
}

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().collect();
    let (backend, device) = (args.get(1).map_or("auto", |s| s.as_str()), args.get(2).map_or("auto", |s| s.as_str()));
    let dir = PathBuf::from(args.get(3).ok_or("usage: gpu_check BACKEND DEVICE PBMC_DIR [CELLS,...] [THREADS]")?);
    let sizes: Vec<usize> = args.get(4).map_or(vec![], |s| s.split(',').filter_map(|v| v.parse().ok()).collect());
    let threads: usize = args.get(5).and_then(|s| s.parse().ok()).unwrap_or(2);
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().map_err(|e| e.to_string())?;
    pool.install(|| -> Result<(), String> {
        println!("backend={backend} device={device} cuda_devices={}", csc_core::backend::cuda_device_count());
        println!("data,cells,preprocess_s,train_s,ms_per_step,embed_s,kmeans_s,ari");
        let t = Instant::now();
        let counts = io::read_matrix_market(&dir.join("counts.mtx.gz")).map_err(|e| e.to_string())?;
        let labels = io::read_labels(&dir.join("labels.tsv")).map_err(|e| e.to_string())?;
        let p = preprocess(&counts.view().map_err(|e| e.to_string())?, &PreprocessOptions::reference()).map_err(|e| e.to_string())?;
        let pre_s = t.elapsed().as_secs_f64();
        let cells = p.cells.clone();
        let (trainer, train_s, embed_s) = train(p.data, backend, device, 0)?;
        let emb = trainer.embed().map_err(|e| e.to_string())?;
        let t = Instant::now();
        let km = kmeans(emb.view(), 8, &KMeansOptions::reference(), 0).map_err(|e| e.to_string())?;
        let km_s = t.elapsed().as_secs_f64();
        let truth: Vec<i32> = cells.iter().map(|&c| labels[c]).collect();
        let pred: Vec<i32> = km.labels.iter().map(|&l| l as i32).collect();
        let ari = metrics::adjusted_rand_index(&truth, &pred).map_err(|e| e.to_string())?;
        println!("pbmc,{},{pre_s:.3},{train_s:.3},{:.3},{embed_s:.3},{km_s:.3},{ari:.4}", cells.len(), ms_per_step(train_s, cells.len()));
        for n in sizes {
            let (_, train_s, embed_s) = train(synthetic(n), backend, device, 0)?;
            println!("synthetic,{n},,{train_s:.3},{:.3},{embed_s:.3},,", ms_per_step(train_s, n));
        }
        Ok(())
    })
}
