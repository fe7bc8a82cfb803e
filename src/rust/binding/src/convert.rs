//! Conversions at the R edge: dgCMatrix slots to a borrowed CSC view, R
//! (column-major) matrices to row-major `f32` arrays and back, seeds and
//! thread pools. Orientation and index base change here and nowhere else.

use crate::error::{arg_error, to_r};
use csc_core::{CscView, GeneRanking, PreprocessOptions, TrainOptions};
use extendr_api::prelude::*;
use extendr_api::Result;
use ndarray::Array2;

/// A view of a dgCMatrix's slots (genes x cells), read in place.
pub(crate) fn csc<'a>(p: &'a [i32], i: &'a [i32], x: &'a [f64], n_rows: i32, n_cols: i32) -> Result<CscView<'a>> {
    if n_rows < 0 || n_cols < 0 {
        return Err(arg_error("x", "has negative dimensions"));
    }
    CscView::new(n_rows as usize, n_cols as usize, p, i, x).map_err(to_r)
}

/// An R numeric matrix (column-major, `nrow x ncol`) as a row-major array.
pub(crate) fn matrix_from_r(values: &[f64], nrow: i32, ncol: i32, arg: &str) -> Result<Array2<f32>> {
    let (n, m) = (nrow.max(0) as usize, ncol.max(0) as usize);
    if values.len() != n * m {
        return Err(arg_error(arg, &format!("has {} values for a {n} x {m} matrix", values.len())));
    }
    if values.iter().any(|v| !v.is_finite()) {
        return Err(arg_error(arg, "contains missing or infinite values"));
    }
    Ok(Array2::from_shape_fn((n, m), |(r, c)| values[c * n + r] as f32))
}

/// A row-major array as an R double matrix.
pub(crate) fn matrix_to_r(a: &Array2<f32>) -> Robj {
    RMatrix::new_matrix(a.nrows(), a.ncols(), |r, c| a[[r, c]] as f64).into()
}

/// A seed from R (a whole number in `[0, 2^53]`).
pub(crate) fn seed(s: f64) -> Result<u64> {
    if !(s.is_finite() && s >= 0.0 && s.fract() == 0.0 && s <= 9_007_199_254_740_992.0) {
        return Err(arg_error("seed", &format!("must be a non-negative whole number, got {s}")));
    }
    Ok(s as u64)
}

/// A thread pool of `n` threads for this call only (never rayon's global one).
pub(crate) fn pool(n: i32) -> Result<rayon::ThreadPool> {
    if n < 1 {
        return Err(arg_error("num.threads", &format!("must be at least 1, got {n}")));
    }
    rayon::ThreadPoolBuilder::new().num_threads(n as usize).build().map_err(to_r)
}

/// Positive integer scalar from R.
pub(crate) fn count(v: i32, arg: &str) -> Result<usize> {
    if v < 0 {
        return Err(arg_error(arg, &format!("must be a non-negative integer, got {v}")));
    }
    Ok(v as usize)
}

/// A number from the R parameter list (named as the R argument).
fn field(params: &List, name: &'static str) -> Result<Robj> {
    params.dollar(name).map_err(|_| arg_error(name, "is missing from the parameters"))
}

fn number(params: &List, name: &'static str) -> Result<f64> {
    field(params, name)?.as_real().ok_or_else(|| arg_error(name, "must be a single number"))
}

fn whole(params: &List, name: &'static str) -> Result<usize> {
    let v = field(params, name)?.as_integer().ok_or_else(|| arg_error(name, "must be a single integer"))?;
    count(v, name)
}

/// Preprocessing options from R's resolved parameters.
pub(crate) fn preprocess_options(params: &List, normalized: bool) -> Result<PreprocessOptions> {
    Ok(PreprocessOptions {
        n_genes: whole(params, "n.genes")?,
        min_counts: number(params, "min.counts")?,
        normalized_input: normalized,
        ranking: GeneRanking::parse(
            field(params, "gene.ranking")?.as_str().ok_or_else(|| arg_error("gene.ranking", "must be a single string"))?,
        )
        .map_err(to_r)?,
        ..Default::default()
    })
}

/// Training options from R's resolved parameters (checked in R; the core
/// checks again).
pub(crate) fn train_options(params: &List) -> Result<TrainOptions> {
    let layers = field(params, "layers")?
        .as_integer_vector()
        .ok_or_else(|| arg_error("layers", "must be integers"))?
        .into_iter()
        .map(|l| count(l, "layers"))
        .collect::<Result<_>>()?;
    let t = TrainOptions {
        layers,
        dropout: number(params, "dropout")?,
        temperature: number(params, "temperature")?,
        epochs: whole(params, "epochs")?,
        batch_size: whole(params, "batch.size")?,
        learning_rate: number(params, "learning.rate")?,
        cosine_period: whole(params, "cosine.period")?,
        runs: whole(params, "n.runs")?,
        neighbours: whole(params, "neighbours")?,
        exclude_neighbours: whole(params, "exclude.neighbours")?,
        min_steps: whole(params, "min.steps")?,
        max_steps: whole(params, "max.steps")?,
        max_cells: whole(params, "max.cells")?,
    };
    t.validate().map_err(to_r)?;
    Ok(t)
}
