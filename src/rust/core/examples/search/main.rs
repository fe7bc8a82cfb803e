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
//! batch, neighbours, min_steps, max_steps, max_cells (issue 14), layers (200x40x60), clip (scaled values
//! clipped to +-clip, as scanpy's `max_value`), baseline (1: print PCA rows),
//! log_base (log-scale datasets' values taken as logs to this base, i.e.
//! multiplied by its natural log), as_log (item 5: count datasets turned
//! into the log-scale matrices public data often comes as, and run with
//! `normalized_input`: `as_log=2` is log2(CPM + 1), any other base b is
//! log_b(1 + counts scaled to 10,000 per cell), scanpy's and Seurat's), and
//! recover (1: counts recovered from log-scale values where they can be,
//! `csc_core::preprocess::recover_counts`, as `contrastiveSC()` does), and
//! those of `variants.rs`.

use csc_core::cluster::kmeans;
use csc_core::pca::Pca;
use csc_core::{io, metrics, preprocess, train::train, GeneRanking, KMeansOptions, PreprocessOptions, TrainOptions};
use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;

mod variants;

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
    if let Some(v) = get("max_steps") { topts.max_steps = v.parse()?; }
    if let Some(v) = get("max_cells") { topts.max_cells = v.parse()?; }
    if let Some(v) = get("layers") { topts.layers = v.split('x').map(str::parse).collect::<Result<_, _>>()?; }
    let variant = variants::Variant::parse(&kv)?;
    let baseline = get("baseline") == Some("1");
    let as_log: Option<f64> = get("as_log").map(str::parse).transpose()?;
    let recover = get("recover") == Some("1");
    let log_base: Option<f64> = get("log_base").map(str::parse).transpose()?;
    let clip: Option<f32> = get("clip").map(str::parse).transpose()?;
    let kopts = KMeansOptions::default();
    let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build()?;
    let mut dirs: Vec<_> = std::fs::read_dir(root)?.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.join("counts.mtx.gz").exists()).collect();
    dirs.sort();
    for dir in dirs {
        let mut counts = io::read_matrix_market(&dir.join("counts.mtx.gz"))?;
        let labels = io::read_labels(&dir.join("labels.tsv"))?;
        let k = labels.iter().collect::<std::collections::HashSet<_>>().len();
        let ds = dir.file_name().and_then(|s| s.to_str()).unwrap_or("?").to_string();
        let mut log_scale = io::is_log_scale(&dir);
        if let (Some(b), false) = (as_log, log_scale) {
            as_log_normalized(&mut counts, b);
            log_scale = true;
        }
        if let (Some(b), true) = (log_base, log_scale) {
            // item 5: log-scale values read as logs to this base
            counts.values.iter_mut().for_each(|v| *v *= b.ln());
        }
        if let (true, true) = (recover, log_scale) {
            match csc_core::preprocess::recover_counts(&counts.view()?) {
                Some(r) => {
                    eprintln!("{ds}: counts recovered, base {:.3}, {:.4} whole", r.base, r.whole_share);
                    counts.values = r.values;
                    log_scale = false;
                }
                None => eprintln!("{ds}: no counts recovered"),
            }
        }
        let popts = PreprocessOptions { normalized_input: log_scale, ..popts.clone() };
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
                let emb = match &variant {
                    Some(v) => variants::embed(&variants::Inputs { pre: &p, counts: &counts }, v, &topts, seed)?,
                    None => train(p.data.clone(), &topts, seed)?.embed()?,
                };
                let km = kmeans(emb.view(), k, &kopts, seed)?;
                println!("{name},{ds},{seed},csc,{:.4},{:.2}", ari(&truth, &km.labels)?, t.elapsed().as_secs_f64());
            }
            Ok(())
        })?;
    }
    Ok(())
}

/// Counts to log-normalised values in place (see `as_log`).
fn as_log_normalized(x: &mut csc_core::CscOwned, base: f64) {
    let target = if base == 2.0 { 1e6 } else { 1e4 };
    for c in 0..x.n_cols {
        let (a, b) = (x.col_ptr[c] as usize, x.col_ptr[c + 1] as usize);
        let total: f64 = x.values[a..b].iter().sum();
        x.values[a..b].iter_mut().for_each(|v| *v = (*v * target / total).ln_1p() / base.ln());
    }
}
