//! The quality search's fast path (issue 12): on every dataset folder under
//! DIR and every seed, the no-training baseline (50 principal components of
//! the same scaled genes + k-means with the true k, 50 restarts) and one
//! candidate setting of the contrastive embedding (k-means with the true k
//! on it), printed as CSV. No R, so a candidate costs about a minute; the
//! kept settings are then confirmed from R by `bench/suite.R`, next to
//! Seurat. Log-scale datasets (non-integer values below 30) run with
//! `normalized_input`, as the suite passes `normalized = TRUE`.
//!
//! `cargo run --release --example search -- DIR SEEDS NAME [key=value...]`
//! keys: genes, ranking (pearson|seurat), temperature, epochs, lr, dropout,
//! batch, neighbours, min_steps, layers (200x40x60), clip (scaled values
//! clipped to +-clip, as scanpy's `max_value`), baseline (1: print PCA rows).

use csc_core::cluster::kmeans;
use csc_core::pca::Pca;
use csc_core::{io, metrics, preprocess, train::train, GeneRanking, KMeansOptions, PreprocessOptions, TrainOptions};
use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;

type Res<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

fn ari(truth: &[i32], labels: &[usize]) -> Res<f64> {
    let pred: Vec<i32> = labels.iter().map(|&l| l as i32).collect();
    Ok(metrics::adjusted_rand_index(truth, &pred)?)
}

fn main() -> Res<()> {
    let a: Vec<String> = std::env::args().collect();
    let root = Path::new(&a[1]);
    let (s0, s1) = a[2].split_once('-').ok_or("SEEDS as A-B")?;
    let name = &a[3];
    let kv: HashMap<&str, &str> = a[4..].iter().filter_map(|s| s.split_once('=')).collect();
    let get = |k: &str| kv.get(k).copied();
    let mut popts = PreprocessOptions::default();
    let mut topts = TrainOptions::default();
    if let Some(v) = get("genes") { popts.n_genes = v.parse()?; }
    if let Some(v) = get("ranking") { popts.ranking = GeneRanking::parse(v)?; }
    if let Some(v) = get("temperature") { topts.temperature = v.parse()?; }
    if let Some(v) = get("epochs") { topts.epochs = v.parse()?; topts.cosine_period = topts.epochs; }
    if let Some(v) = get("lr") { topts.learning_rate = v.parse()?; }
    if let Some(v) = get("dropout") { topts.dropout = v.parse()?; }
    if let Some(v) = get("batch") { topts.batch_size = v.parse()?; }
    if let Some(v) = get("neighbours") { topts.neighbours = v.parse()?; }
    if let Some(v) = get("min_steps") { topts.min_steps = v.parse()?; }
    if let Some(v) = get("layers") { topts.layers = v.split('x').map(str::parse).collect::<Result<_, _>>()?; }
    let baseline = get("baseline") == Some("1");
    let clip: Option<f32> = get("clip").map(str::parse).transpose()?;
    let kopts = KMeansOptions::default();
    let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build()?;
    let mut dirs: Vec<_> = std::fs::read_dir(root)?.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.join("counts.mtx.gz").exists()).collect();
    dirs.sort();
    for dir in dirs {
        let counts = io::read_matrix_market(&dir.join("counts.mtx.gz"))?;
        let labels = io::read_labels(&dir.join("labels.tsv"))?;
        let k = labels.iter().collect::<std::collections::HashSet<_>>().len();
        let ds = dir.file_name().and_then(|s| s.to_str()).unwrap_or("?").to_string();
        let popts = PreprocessOptions { normalized_input: io::is_log_scale(&dir), ..popts.clone() };
        pool.install(|| -> Res<()> {
            let mut p = preprocess(&counts.view()?, &popts)?;
            if let Some(c) = clip {
                p.data.mapv_inplace(|v| v.clamp(-c, c));
            }
            let truth: Vec<i32> = p.cells.iter().map(|&c| labels[c]).collect();
            for seed in s0.parse::<u64>()?..=s1.parse()? {
                if baseline {
                    let t = Instant::now();
                    let pcs = Pca::fit(p.data.view(), 50, seed)?.project(p.data.view());
                    let t_pca = t.elapsed().as_secs_f64();
                    let km = kmeans(pcs.view(), k, &kopts, seed)?;
                    println!("{name},{ds},{seed},pca,{:.4},{:.2},{t_pca:.2}", ari(&truth, &km.labels)?, t.elapsed().as_secs_f64());
                }
                let t = Instant::now();
                let tr = train(p.data.clone(), &topts, seed)?;
                let emb = tr.embed()?;
                let km = kmeans(emb.view(), k, &kopts, seed)?;
                println!("{name},{ds},{seed},csc,{:.4},{:.2}", ari(&truth, &km.labels)?, t.elapsed().as_secs_f64());
            }
            Ok(())
        })?;
    }
    Ok(())
}
