//! The trained model as plain R data (lists of matrices and vectors, so
//! `saveRDS()` works) and back, and embedding new cells with it.
//!
//! Weights cross as R matrices `n_in x n_out`, the same orientation as the
//! core, so `x %*% weight` in R is the layer's product.

use crate::convert::{csc, matrix_from_r, matrix_to_r, pool};
use crate::error::{arg_error, to_r};
use csc_core::nn::{BatchNorm, Encoder, Linear};
use csc_core::mnn::{Correction, Paired, Round};
use csc_core::preprocess::{recover_counts, transform, Scaling};
use csc_core::PreprocessFit;
use extendr_api::prelude::*;
use extendr_api::Result;
use ndarray::Array1;

pub(crate) fn named(names: &[&str], values: Vec<Robj>) -> Result<List> {
    List::from_names_and_values(names.iter().copied(), values)
}

/// The preprocessing fit as an R list (gene indices 0-based; R adds 1).
pub(crate) fn fit_to_r(f: &PreprocessFit) -> Result<List> {
    let genes: Vec<i32> = f.genes.iter().map(|&g| g as i32).collect();
    named(
        &["genes", "means", "stds", "median_total", "normalized_input"],
        vec![genes.into(), f.means.clone().into(), f.stds.clone().into(), f.median_total.into(), f.normalized_input.into()],
    )
}

/// Each batch's scaling as an R list of `list(means, stds)` (empty
/// without batches).
pub(crate) fn scaling_to_r(scaling: &[Scaling]) -> Result<List> {
    let batches: Vec<List> = scaling.iter().map(|s| named(&["means", "stds"], vec![s.means.clone().into(), s.stds.clone().into()])).collect::<Result<_>>()?;
    Ok(List::from_values(batches))
}

/// The batch correction as an R list: `paired_share` and `rounds`, each
/// `list(center, loadings, batches)` with, per batch, `NULL` or
/// `list(points, shifts)`.
pub(crate) fn correction_to_r(c: &Correction) -> Result<List> {
    let rounds: Vec<List> = c
        .rounds
        .iter()
        .map(|r| {
            let batches: Vec<Robj> = r
                .batches
                .iter()
                .map(|p| match p {
                    None => Ok(Robj::from(())),
                    Some(p) => named(&["points", "shifts"], vec![matrix_to_r(&p.points), matrix_to_r(&p.shifts)]).map(Robj::from),
                })
                .collect::<Result<_>>()?;
            let center: Vec<f64> = r.center.iter().map(|&v| v as f64).collect();
            named(&["center", "loadings", "batches"], vec![center.into(), matrix_to_r(&r.loadings), List::from_values(batches).into()])
        })
        .collect::<Result<_>>()?;
    named(&["paired_share", "rounds"], vec![c.paired_share.into(), List::from_values(rounds).into()])
}

/// An R matrix field of a list (part of a model), as a row-major array.
pub(crate) fn matrix_field(l: &List, name: &str) -> Result<ndarray::Array2<f32>> {
    let m = l.dollar(name).map_err(|_| arg_error("object", &format!("has no field '{name}'")))?;
    let dims: Vec<i32> = m.dim().map(|d| d.iter().map(|v| Option::<i32>::from(v).unwrap_or(0)).collect()).unwrap_or_default();
    let vals = m.as_real_vector().ok_or_else(|| arg_error("object", &format!("has a non-numeric '{name}'")))?;
    if dims.len() != 2 {
        return Err(arg_error("object", &format!("has a '{name}' that is not a matrix")));
    }
    matrix_from_r(&vals, dims[0], dims[1], "object")
}

/// Rebuilds a correction from [`correction_to_r`]'s list.
fn correction_from_r(l: &List) -> Result<Correction> {
    let bad = || arg_error("object", "has a malformed batch correction");
    let rounds: List = l.dollar("rounds").map_err(|_| bad())?.try_into().map_err(|_| bad())?;
    let mut out = Vec::new();
    for (_, r) in rounds.iter() {
        let r: List = r.try_into().map_err(|_| bad())?;
        let center = vector(&r, "center")?;
        let loadings = matrix_field(&r, "loadings")?;
        let batches: List = r.dollar("batches").map_err(|_| bad())?.try_into().map_err(|_| bad())?;
        let mut per_batch = Vec::new();
        for (_, b) in batches.iter() {
            per_batch.push(if b.is_null() {
                None
            } else {
                let b: List = b.try_into().map_err(|_| bad())?;
                Some(Paired { points: matrix_field(&b, "points")?, shifts: matrix_field(&b, "shifts")? })
            });
        }
        if center.len() != loadings.nrows() {
            return Err(bad());
        }
        out.push(Round { center, loadings, batches: per_batch });
    }
    Ok(Correction { rounds: out, paired_share: f64::NAN })
}

/// The encoder's weights as an R list of layers.
pub(crate) fn encoder_to_r(e: &Encoder) -> Result<List> {
    let mut layers = Vec::new();
    for (i, lin) in e.linears.iter().enumerate() {
        let w = lin.weight.clone();
        let mut names = vec!["weight", "bias"];
        let mut vals: Vec<Robj> = vec![matrix_to_r(&w), lin.bias.to_vec().iter().map(|&v| v as f64).collect::<Vec<f64>>().into()];
        if let Some(bn) = e.norms.get(i) {
            names.extend(["gamma", "beta", "running_mean", "running_var"]);
            for a in [&bn.gamma, &bn.beta, &bn.running_mean, &bn.running_var] {
                vals.push(a.iter().map(|&v| v as f64).collect::<Vec<f64>>().into());
            }
        }
        layers.push(named(&names, vals)?);
    }
    Ok(List::from_values(layers))
}

pub(crate) fn vector(l: &List, name: &str) -> Result<Array1<f32>> {
    let v = l.dollar(name).map_err(|_| arg_error("object", &format!("is missing layer field '{name}'")))?;
    let d: Vec<f64> = v.as_real_vector().ok_or_else(|| arg_error("object", &format!("field '{name}' is not numeric")))?;
    Ok(d.iter().map(|&x| x as f32).collect())
}

/// Rebuilds an encoder from [`encoder_to_r`]'s list.
pub(crate) fn encoder_from_r(layers: &List) -> Result<Encoder> {
    let mut linears = Vec::new();
    let mut norms = Vec::new();
    let n = layers.len();
    for (i, (_, layer)) in layers.iter().enumerate() {
        let layer: List = layer.try_into().map_err(|_| arg_error("object", "has a layer that is not a list"))?;
        let w = layer.dollar("weight").map_err(|_| arg_error("object", "has a layer without 'weight'"))?;
        let dim = w.dim().ok_or_else(|| arg_error("object", "has a weight that is not a matrix"))?;
        let dims: Vec<i32> = dim.iter().map(|d| Option::<i32>::from(d).unwrap_or(0)).collect();
        let vals = w.as_real_vector().ok_or_else(|| arg_error("object", "has a non-numeric weight"))?;
        let weight = matrix_from_r(&vals, dims[0], dims[1], "object")?;
        let bias = vector(&layer, "bias")?;
        if bias.len() != weight.ncols() {
            return Err(arg_error("object", "has a bias that does not match its weight"));
        }
        linears.push(Linear { weight, bias });
        if i + 1 < n {
            let mut bn = BatchNorm::new(linears[i].n_out());
            bn.gamma = vector(&layer, "gamma")?;
            bn.beta = vector(&layer, "beta")?;
            bn.running_mean = vector(&layer, "running_mean")?;
            bn.running_var = vector(&layer, "running_var")?;
            norms.push(bn);
        }
    }
    if linears.is_empty() || linears.windows(2).any(|w| w[0].n_out() != w[1].n_in()) {
        return Err(arg_error("object", "has layers whose sizes do not chain"));
    }
    Ok(Encoder { linears, norms })
}

/// New cells (`rows`: 0-based row of `view` for each model gene)
/// normalised, logged and scaled as a model's training cells (`means`,
/// `stds`): cells x genes, and the cells kept (those with counts). `arg`
/// names the model's argument in errors.
#[allow(clippy::too_many_arguments)]
pub(crate) fn scaled_like_model(
    pool: &rayon::ThreadPool,
    view: &csc_core::CscView,
    rows: &[i32],
    means: &[f64],
    stds: &[f64],
    median_total: f64,
    normalized: bool,
    arg: &str,
) -> Result<(ndarray::Array2<f32>, Vec<usize>)> {
    if means.len() != rows.len() || stds.len() != rows.len() {
        return Err(arg_error(arg, "has genes and scaling of different lengths"));
    }
    let fit = PreprocessFit { genes: (0..rows.len()).collect(), means: means.to_vec(), stds: stds.to_vec(), median_total, normalized_input: normalized };
    let rows: Vec<usize> = rows.iter().map(|&r| r.max(0) as usize).collect();
    pool.install(|| transform(view, &fit, &rows)).map_err(to_r)
}

/// Embeds new cells (a dgCMatrix, genes x cells) with a trained model.
/// `rows` are 0-based rows of the new data for each model gene. @noRd
#[extendr]
#[allow(clippy::too_many_arguments)]
fn csc_predict(
    p: &[i32],
    i: &[i32],
    x: &[f64],
    n_rows: i32,
    n_cols: i32,
    rows: &[i32],
    means: &[f64],
    stds: &[f64],
    median_total: f64,
    normalized: bool,
    layers: List,
    correction: Nullable<List>,
    batch: i32,
    num_threads: i32,
) -> Result<List> {
    let pool = pool(num_threads)?;
    let view = csc(p, i, x, n_rows, n_cols)?;
    let encoder = encoder_from_r(&layers)?;
    if encoder.n_in() != rows.len() {
        return Err(arg_error("object", "has genes and weights of different lengths"));
    }
    let (mut data, cells) = scaled_like_model(&pool, &view, rows, means, stds, median_total, normalized, "object")?;
    if let Nullable::NotNull(c) = correction {
        let c = correction_from_r(&c)?;
        let b = u32::try_from(batch).map_err(|_| arg_error("batch", "is missing"))?;
        let batch = vec![b; data.nrows()];
        pool.install(|| c.apply(&mut data, &batch)).map_err(to_r)?;
    }
    let emb = pool.install(|| encoder.embed(data.view()));
    let cells: Vec<i32> = cells.iter().map(|&c| c as i32).collect();
    named(&["embedding", "cells"], vec![matrix_to_r(&emb), cells.into()])
}

/// The counts behind log-normalised values (a dgCMatrix's slots), when
/// they can be recovered: `list(base, whole_share, x)` with `x` the new
/// values slot, or `NULL`. @noRd
#[extendr]
fn csc_recover_counts(p: &[i32], i: &[i32], x: &[f64], n_rows: i32, n_cols: i32, num_threads: i32) -> Result<Robj> {
    let pool = pool(num_threads)?;
    let view = csc(p, i, x, n_rows, n_cols)?;
    Ok(match pool.install(|| recover_counts(&view)) {
        None => Robj::from(()),
        Some(r) => named(&["base", "whole_share", "x"], vec![r.base.into(), r.whole_share.into(), r.values.into()])?.into(),
    })
}

/// `list(non_finite, negative, fractional)` of a values slot, read in
/// place (no vector as long as the slot is allocated). @noRd
#[extendr]
fn csc_value_summary(x: &[f64], num_threads: i32) -> Result<List> {
    let s = pool(num_threads)?.install(|| csc_core::ValueSummary::of(x));
    named(&["non_finite", "negative", "fractional"], vec![s.non_finite.into(), s.negative.into(), s.fractional.into()])
}

extendr_module! {
    mod model;
    fn csc_predict;
    fn csc_recover_counts;
    fn csc_value_summary;
}
