//! Issue 14, item 1: where a native training step spends its time, and how
//! many floating-point operations it does. On one dataset folder (PBMC by
//! default) with the default preprocessing and training options, runs
//! `STEPS` steps phase by phase as the native backend does them (the two
//! views' forward passes, NT-Xent, the two backward passes, Adam) and
//! prints seconds, GFLOP and GFLOP/s per phase, plus the run's other parts
//! (principal components and neighbours, then the embedding of every cell
//! and k-means with the true k, by the model trained here).
//!
//! `cargo run --release --example step_profile -- DIR [STEPS] [THREADS]`
//!
//! FLOPs counted (a multiply-add is 2): the sparse first layer `2 nnz m`
//! forward and again for its weight gradient; a dense `n x k . k x m`
//! layer `2 n k m` forward, twice that backward (weight and input
//! gradients); NT-Xent's similarity matrix `2 (2B)^2 d` and its gradient
//! `2 (2B)^2 d`; BatchNorm, ReLU, normalisation and Adam are counted as
//! memory-bound (a few operations per element) and reported by time only.

use csc_core::cluster::kmeans;
use csc_core::nn::{nt_xent, Adam, Encoder, SparseBatch};
use csc_core::rng::{stream, Purpose};
use csc_core::train::{epoch_batches, Trainer};
use csc_core::{io, preprocess, KMeansOptions, PreprocessOptions, TrainOptions};
use ndarray::{concatenate, s, Axis};
use std::time::Instant;

type Res<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

#[derive(Default)]
struct Phase {
    seconds: f64,
    flops: f64,
}

fn main() -> Res<()> {
    let args: Vec<String> = std::env::args().collect();
    let dir = std::path::PathBuf::from(args.get(1).ok_or("usage: step_profile DIR [STEPS] [THREADS]")?);
    let steps: usize = args.get(2).map_or(Ok(500), |s| s.parse())?;
    let threads: usize = args.get(3).map_or(Ok(2), |s| s.parse())?;
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build()?;
    pool.install(|| run(&dir, steps))
}

fn run(dir: &std::path::Path, steps: usize) -> Res<()> {
    let counts = io::read_matrix_market(&dir.join("counts.mtx.gz"))?;
    let labels = io::read_labels(&dir.join("labels.tsv"))?;
    let k = labels.iter().collect::<std::collections::HashSet<_>>().len();
    let t = Instant::now();
    let p = preprocess(&counts.view()?, &PreprocessOptions::default())?;
    let preprocess_s = t.elapsed().as_secs_f64();
    let opts = TrainOptions::default();
    let t = Instant::now();
    let trainer = Trainer::new(p.data.clone(), opts.clone(), 0)?;
    let setup_s = t.elapsed().as_secs_f64();
    let data = p.data;
    let (n, g) = data.dim();
    let mut enc: Encoder = Trainer::initial_encoder(g, &opts, 0);
    let mut adam = Adam::new(&enc.parameter_sizes());
    let layers = &opts.layers;
    let b = opts.batch_size.min(n);
    let mut ph: [Phase; 6] = Default::default();
    let names = ["views (dropout masks)", "forward x2", "nt-xent", "backward x2", "adam + running stats", "batch rows"];
    let mut done = 0;
    let mut epoch = 0u64;
    while done < steps {
        let batches = epoch_batches(n, opts.batch_size, &mut stream(0, Purpose::Shuffle, &[epoch]));
        for (bi, rows) in batches.iter().enumerate() {
            if done == steps || rows.len() < b {
                continue;
            }
            let t = Instant::now();
            let x = data.select(Axis(0), rows);
            ph[5].seconds += t.elapsed().as_secs_f64();
            let t = Instant::now();
            let view = |v: u64| SparseBatch::sample(x.view(), opts.dropout, move |r| stream(0, Purpose::Dropout, &[epoch, bi as u64, v, r as u64]));
            let (v1, v2) = rayon::join(|| view(0), || view(1));
            ph[0].seconds += t.elapsed().as_secs_f64();
            let nnz = (v1.nnz() + v2.nnz()) as f64;
            let dense: f64 = layers.windows(2).map(|w| (w[0] * w[1]) as f64).sum::<f64>() * 2.0 * b as f64;
            let t = Instant::now();
            let ((e1, c1), (e2, c2)) = rayon::join(|| enc.forward_train(&v1), || enc.forward_train(&v2));
            ph[1].seconds += t.elapsed().as_secs_f64();
            ph[1].flops += 2.0 * nnz * layers[0] as f64 + 2.0 * dense;
            let t = Instant::now();
            let e = concatenate![Axis(0), e1, e2];
            let (_loss, de) = nt_xent(e.view(), opts.temperature);
            ph[2].seconds += t.elapsed().as_secs_f64();
            ph[2].flops += 4.0 * (2.0 * b as f64).powi(2) * *layers.last().unwrap_or(&60) as f64;
            let t = Instant::now();
            let (mut gr, g2) = rayon::join(
                || enc.backward(&v1, e.slice(s![..b, ..]), &c1, de.slice(s![..b, ..])),
                || enc.backward(&v2, e.slice(s![b.., ..]), &c2, de.slice(s![b.., ..])),
            );
            gr.add(&g2);
            ph[3].seconds += t.elapsed().as_secs_f64();
            ph[3].flops += 2.0 * nnz * layers[0] as f64 + 4.0 * dense;
            let t = Instant::now();
            enc.update_running(&c1.stats);
            enc.update_running(&c2.stats);
            adam.step(&mut enc.parameters_mut(), &gr.slices(), opts.learning_rate);
            ph[4].seconds += t.elapsed().as_secs_f64();
            done += 1;
        }
        epoch += 1;
    }
    // the embedding and k-means of the model trained above (an untrained
    // one makes k-means iterate longer)
    drop(trainer);
    let t = Instant::now();
    let emb = enc.embed(data.view());
    let embed_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    kmeans(emb.view(), k, &KMeansOptions::default(), 0)?;
    let kmeans_s = t.elapsed().as_secs_f64();
    let total: f64 = ph.iter().map(|p| p.seconds).sum();
    let flops: f64 = ph.iter().map(|p| p.flops).sum();
    println!("{} : {n} cells x {g} genes, batch {b}, {steps} steps, {} threads", dir.display(), rayon::current_num_threads());
    println!("phase,ms_per_step,share,gflop_per_step,gflop_per_s");
    for (p, name) in ph.iter().zip(names) {
        let gf = p.flops / steps as f64 / 1e9;
        println!("{name},{:.3},{:.0}%,{gf:.4},{:.1}", p.seconds / steps as f64 * 1e3, 100.0 * p.seconds / total, p.flops / p.seconds.max(1e-12) / 1e9);
    }
    println!("step,{:.3},100%,{:.4},{:.1}", total / steps as f64 * 1e3, flops / steps as f64 / 1e9, flops / total / 1e9);
    println!("other parts (s): preprocess {preprocess_s:.3}, components + neighbours {setup_s:.3}, embed {embed_s:.3}, k-means ({} restarts) {kmeans_s:.3}", KMeansOptions::default().n_init);
    Ok(())
}
