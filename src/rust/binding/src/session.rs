//! A training session kept in an external pointer between calls: R creates
//! it (preprocessing happens here), then asks for epochs in chunks, so R
//! itself can report progress and honour Ctrl-C between chunks, and finally
//! collects the embedding and the model as plain R data.

use crate::convert::{count, csc, matrix_to_r, pool, seed};
use crate::error::to_r;
use crate::model::{encoder_to_r, fit_to_r};
use csc_core::train::Trainer;
use csc_core::{preprocess, PreprocessFit, PreprocessOptions, TrainOptions};
use extendr_api::prelude::*;
use extendr_api::Result;
use std::time::Instant;

/// What lives behind the external pointer.
pub struct Session {
    pool: rayon::ThreadPool,
    trainer: Trainer,
    fit: PreprocessFit,
    cells: Vec<usize>,
    preprocess_seconds: f64,
    train_seconds: f64,
}

/// Preprocesses the counts and sets up the model. @noRd
#[extendr]
#[allow(clippy::too_many_arguments)]
fn csc_session_new(
    p: &[i32],
    i: &[i32],
    x: &[f64],
    n_rows: i32,
    n_cols: i32,
    n_genes: i32,
    min_counts: f64,
    normalized: bool,
    layers: &[i32],
    dropout: f64,
    temperature: f64,
    epochs: i32,
    batch_size: i32,
    learning_rate: f64,
    cosine_period: i32,
    seed_value: f64,
    num_threads: i32,
) -> Result<ExternalPtr<Session>> {
    let pool = pool(num_threads)?;
    let view = csc(p, i, x, n_rows, n_cols)?;
    let popts = PreprocessOptions { n_genes: count(n_genes, "n.genes")?, min_counts, normalized_input: normalized, ..Default::default() };
    let topts = TrainOptions {
        layers: layers.iter().map(|&l| count(l, "layers")).collect::<Result<_>>()?,
        dropout,
        temperature,
        epochs: count(epochs, "epochs")?,
        batch_size: count(batch_size, "batch.size")?,
        learning_rate,
        cosine_period: count(cosine_period, "cosine.period")?,
    };
    topts.validate().map_err(to_r)?;
    let seed = seed(seed_value)?;
    let start = Instant::now();
    let pre = pool.install(|| preprocess(&view, &popts)).map_err(to_r)?;
    let preprocess_seconds = start.elapsed().as_secs_f64();
    let trainer = Trainer::new(pre.data, topts, seed).map_err(to_r)?;
    Ok(ExternalPtr::new(Session { pool, trainer, fit: pre.fit, cells: pre.cells, preprocess_seconds, train_seconds: 0.0 }))
}

/// Runs up to `n_epochs` more epochs; returns their mean losses. @noRd
#[extendr]
fn csc_session_train(mut session: ExternalPtr<Session>, n_epochs: i32) -> Result<Vec<f64>> {
    let s = session.try_addr_mut()?;
    let start = Instant::now();
    let mut losses = Vec::new();
    for _ in 0..n_epochs.max(0) {
        if s.trainer.finished() {
            break;
        }
        let trainer = &mut s.trainer;
        losses.push(s.pool.install(|| trainer.run_epoch()).map_err(to_r)?);
    }
    s.train_seconds += start.elapsed().as_secs_f64();
    Ok(losses)
}

/// Whether all epochs have run. @noRd
#[extendr]
fn csc_session_finished(session: ExternalPtr<Session>) -> Result<bool> {
    Ok(session.try_addr()?.trainer.finished())
}

/// The embedding of the training cells and the model. @noRd
#[extendr]
fn csc_session_result(session: ExternalPtr<Session>) -> Result<List> {
    let s = session.try_addr()?;
    let start = Instant::now();
    let trainer = &s.trainer;
    let embedding = s.pool.install(|| trainer.embed());
    let embed_seconds = start.elapsed().as_secs_f64();
    let cells: Vec<i32> = s.cells.iter().map(|&c| c as i32).collect();
    List::from_names_and_values(
        ["embedding", "cells", "fit", "weights", "losses", "preprocess_seconds", "train_seconds"],
        [
            matrix_to_r(&embedding),
            cells.into(),
            fit_to_r(&s.fit)?.into(),
            encoder_to_r(trainer.encoder())?.into(),
            trainer.losses().to_vec().into(),
            s.preprocess_seconds.into(),
            (s.train_seconds + embed_seconds).into(),
        ],
    )
}

extendr_module! {
    mod session;
    fn csc_session_new;
    fn csc_session_train;
    fn csc_session_finished;
    fn csc_session_result;
}
