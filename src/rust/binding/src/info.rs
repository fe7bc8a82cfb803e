//! The core's defaults, exported to R so that R arguments can default to
//! `NULL` without repeating any value.

use crate::error::to_r;
use csc_core::{KMeansOptions, Mode, PreprocessOptions, TrainOptions};
use extendr_api::Result;
use extendr_api::prelude::*;

/// The settings of `mode` ("default" or "reference"). @noRd
#[extendr]
fn csc_defaults(mode: &str) -> Result<List> {
    let mode = Mode::parse(mode).map_err(to_r)?;
    let p = PreprocessOptions::for_mode(mode);
    let t = TrainOptions::for_mode(mode);
    let k = KMeansOptions::for_mode(mode);
    let names = [
        "n.genes", "gene.ranking", "min.counts", "layers", "dropout", "temperature", "epochs",
        "batch.size", "learning.rate", "cosine.period", "n.runs", "neighbours", "exclude.neighbours", "min.steps", "max.steps", "max.cells",
        "n.init", "max.iter",
    ];
    let values: Vec<Robj> = vec![
        (p.n_genes as i32).into(),
        p.ranking.name().into(),
        p.min_counts.into(),
        t.layers.iter().map(|&v| v as i32).collect::<Vec<i32>>().into(),
        t.dropout.into(),
        t.temperature.into(),
        (t.epochs as i32).into(),
        (t.batch_size as i32).into(),
        t.learning_rate.into(),
        (t.cosine_period as i32).into(),
        (t.runs as i32).into(),
        (t.neighbours as i32).into(),
        (t.exclude_neighbours as i32).into(),
        (t.min_steps as i32).into(),
        (t.max_steps as i32).into(),
        (t.max_cells as i32).into(),
        (k.n_init as i32).into(),
        (k.max_iter as i32).into(),
    ];
    List::from_names_and_values(names, values)
}

/// Compiled backends and the CUDA devices libtorch sees. @noRd
#[extendr]
fn csc_backends() -> List {
    let n = csc_core::backend::cuda_device_count();
    let names: Vec<String> = (0..n).map(|i| csc_core::backend::cuda_device_name(i).unwrap_or_else(|| format!("cuda:{i}"))).collect();
    let backends: Vec<&str> = if csc_core::backend::TORCH_COMPILED { vec!["native", "torch"] } else { vec!["native"] };
    List::from_names_and_values(
        ["backends", "torch", "cuda", "cuda.devices"],
        [Robj::from(backends), Robj::from(csc_core::backend::TORCH_COMPILED), Robj::from(n > 0), Robj::from(names)],
    )
    .expect("names and values have the same length")
}

extendr_module! {
    mod info;
    fn csc_defaults;
    fn csc_backends;
}
