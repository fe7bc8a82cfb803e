//! Mapping a query onto a trained reference (`csc_core::mapping`): the
//! reference's kept cells as R data and back, the query's correction and
//! embedding, and the per-type scores the labels come from.

use crate::convert::{csc, matrix_from_r, matrix_to_r, pool, seed};
use crate::error::{arg_error, to_r};
use crate::model::{encoder_from_r, matrix_field, named, scaled_like_model, vector};
use csc_core::mapping::{type_scores, Reference};
use extendr_api::prelude::*;
use extendr_api::Result;

/// The reference as an R list: `center`, `loadings` (genes x components),
/// `points` (kept cells x components) and `rows` (0-based rows of the
/// training matrix, i.e. of the kept cells).
pub(crate) fn reference_to_r(r: &Reference) -> Result<List> {
    let center: Vec<f64> = r.center.iter().map(|&v| v as f64).collect();
    let rows: Vec<i32> = r.rows.iter().map(|&v| v as i32).collect();
    named(&["center", "loadings", "points", "rows"], vec![center.into(), matrix_to_r(&r.loadings), matrix_to_r(&r.points), rows.into()])
}

fn reference_from_r(l: &List) -> Result<Reference> {
    let center = vector(l, "center")?;
    let loadings = matrix_field(l, "loadings")?;
    let points = matrix_field(l, "points")?;
    if center.len() != loadings.nrows() || points.ncols() != loadings.ncols() {
        return Err(arg_error("reference", "has a malformed mapping reference"));
    }
    Ok(Reference { center, loadings, points, rows: Vec::new() })
}

/// Scales the query's cells (a dgCMatrix; `rows`: 0-based row of each
/// model gene) as the reference's (`means`, `stds`), corrects them toward
/// the reference and embeds them with each of `encoders` (the runs of a
/// consensus):
/// `list(embeddings, cells, paired_share, points)` (`points`: the corrected
/// cells in the reference's components). @noRd
#[extendr]
#[allow(clippy::too_many_arguments)]
fn csc_map_query(
    p: &[i32],
    i: &[i32],
    x: &[f64],
    n_rows: i32,
    n_cols: i32,
    rows: &[i32],
    median_total: f64,
    normalized: bool,
    reference: List,
    encoders: List,
    means: &[f64],
    stds: &[f64],
    seed_value: f64,
    num_threads: i32,
) -> Result<List> {
    let pool = pool(num_threads)?;
    let view = csc(p, i, x, n_rows, n_cols)?;
    let reference = reference_from_r(&reference)?;
    let seed = seed(seed_value)?;
    let encoders: Vec<_> = encoders
        .iter()
        .map(|(_, e)| e.try_into().map_err(|_| arg_error("reference", "has encoders that are not lists")).and_then(|l: List| encoder_from_r(&l)))
        .collect::<Result<_>>()?;
    if encoders.iter().any(|e| e.n_in() != rows.len()) || reference.loadings.nrows() != rows.len() {
        return Err(arg_error("reference", "has genes, components and weights of different lengths"));
    }
    // Normalised, logged and scaled as the reference's cells. Scaled on its
    // own, the query would lose its composition with its batch effect (a
    // query of mostly one type would be centred on that type), which the
    // correction then cannot tell apart: mean macro-F1 0.904 against 0.929
    // on the mapping tasks (bench/results/mapping/search/).
    let (mut data, cells) = scaled_like_model(&pool, &view, rows, means, stds, median_total, normalized, "reference")?;
    if data.nrows() < 2 {
        return Err(arg_error("query", &format!("has {} cell(s) with counts in the model's genes; need 2", data.nrows())));
    }
    let (points, share) = pool.install(|| reference.correct(&mut data, seed)).map_err(to_r)?;
    let embeddings: Vec<Robj> = encoders.iter().map(|e| matrix_to_r(&pool.install(|| e.embed(data.view())))).collect();
    let cells: Vec<i32> = cells.iter().map(|&c| c as i32).collect();
    named(&["embeddings", "cells", "paired_share", "points"], vec![List::from_values(embeddings).into(), cells.into(), share.into(), matrix_to_r(&points)])
}

/// Scores of cells (rows of `cells`, unit-length embeddings) against each
/// reference type (`labels`: 0-based per reference row) by the `k` nearest
/// reference cells of the type: cells x types. @noRd
#[extendr]
#[allow(clippy::too_many_arguments)]
fn csc_type_scores(cells: &[f64], n_cells: i32, reference: &[f64], n_reference: i32, dims: i32, labels: &[i32], k: i32, num_threads: i32) -> Result<Robj> {
    let pool = pool(num_threads)?;
    let cells = matrix_from_r(cells, n_cells, dims, "query")?;
    let reference = matrix_from_r(reference, n_reference, dims, "reference")?;
    if labels.iter().any(|&l| l < 0) {
        return Err(arg_error("labels", "has missing values"));
    }
    let labels: Vec<u32> = labels.iter().map(|&l| l as u32).collect();
    let k = usize::try_from(k).map_err(|_| arg_error("k", "must be positive"))?;
    let scores = pool.install(|| type_scores(cells.view(), reference.view(), &labels, k)).map_err(to_r)?;
    Ok(matrix_to_r(&scores))
}

extendr_module! {
    mod mapping;
    fn csc_map_query;
    fn csc_type_scores;
}
