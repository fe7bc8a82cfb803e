//! A training session kept in an external pointer between calls: R creates
//! it (preprocessing happens here), then asks for epochs in chunks, so R
//! itself can report progress and honour Ctrl-C between chunks, and finally
//! collects the embedding and the model as plain R data.

use crate::convert::{csc, matrix_to_r, pool, preprocess_options, seed, train_options};
use crate::error::{arg_error, to_r};
use crate::mapping::reference_to_r;
use crate::model::{correction_to_r, encoder_to_r, fit_to_r, scaling_to_r};
use csc_core::backend::{make_backend, resolve, Backend, BackendKind, Device};
use csc_core::rng::run_seed;
use csc_core::mapping::Reference;
use csc_core::mnn::Correction;
use csc_core::train::{training_rows, Trainer};
use csc_core::preprocess::{preprocess_in_batches, Scaling};
use csc_core::{preprocess, PreprocessFit, Preprocessed, TrainOptions};
use extendr_api::prelude::*;
use extendr_api::Result;
use std::time::Instant;

/// What lives behind the external pointer.
pub struct Session {
    pool: rayon::ThreadPool,
    /// `None` once closed ([`csc_session_close`]): the training matrix is
    /// freed before R clusters the embedding.
    trainer: Option<Trainer>,
    fit: PreprocessFit,
    /// With batches: each batch's scaling of the kept genes.
    batch_scaling: Vec<Scaling>,
    /// With batches: how the cells were corrected, for new cells.
    correction: Option<Correction>,
    /// The training cells kept for mapping new samples.
    reference: Reference,
    cells: Vec<usize>,
    /// The user's seed and the backend, for the later runs of a consensus.
    seed: u64,
    target: (BackendKind, Device),
    preprocess_seconds: f64,
    train_seconds: f64,
}

/// Preprocesses the counts and sets up the model. `batch`: `NULL`, or a
/// 0-based batch per cell (integration, see `csc_core::mnn`). @noRd
#[extendr]
#[allow(clippy::too_many_arguments)]
fn csc_session_new(
    p: &[i32],
    i: &[i32],
    x: &[f64],
    n_rows: i32,
    n_cols: i32,
    params: List,
    normalized: bool,
    seed_value: f64,
    num_threads: i32,
    backend: &str,
    device: &str,
    batch: Nullable<Vec<i32>>,
) -> Result<ExternalPtr<Session>> {
    let pool = pool(num_threads)?;
    let target = resolve(backend, device).map_err(to_r)?;
    let view = csc(p, i, x, n_rows, n_cols)?;
    let popts = preprocess_options(&params, normalized)?;
    let topts = train_options(&params)?;
    let seed = seed(seed_value)?;
    let start = Instant::now();
    let (pre, scaling) = match batch {
        Nullable::Null => (pool.install(|| preprocess(&view, &popts)).map_err(to_r)?, None),
        Nullable::NotNull(b) => {
            if b.iter().any(|&v| v < 0) {
                return Err(arg_error("batch", "has missing values"));
            }
            let b: Vec<u32> = b.iter().map(|&v| v as u32).collect();
            let (pre, scaling) = pool.install(|| preprocess_in_batches(&view, &b, &popts)).map_err(to_r)?;
            let kept: Vec<u32> = pre.cells.iter().map(|&c| b[c]).collect();
            (pre, Some((kept, scaling)))
        }
    };
    Session::start(pool, pre, scaling, topts, seed, target, start.elapsed().as_secs_f64())
}

impl Session {
    /// A session on preprocessed cells.
    /// `batches`: the batch of each kept cell and each batch's scaling.
    pub(crate) fn start(
        pool: rayon::ThreadPool,
        pre: Preprocessed,
        batches: Option<(Vec<u32>, Vec<Scaling>)>,
        topts: TrainOptions,
        seed: u64,
        (kind, device): (BackendKind, Device),
        preprocess_seconds: f64,
    ) -> Result<ExternalPtr<Session>> {
        let backend = seeded_backend(pre.data.ncols(), &topts, seed, (kind, device))?;
        // In the session's pool: neighbour positives compute principal
        // components and neighbours here, on the session's threads (never
        // on rayon's global pool, which a forked BiocParallel worker lacks).
        let (batch, batch_scaling) = batches.map_or((None, Vec::new()), |(b, s)| (Some(b), s));
        let mut data = pre.data;
        // The stages before training: the batches' correction, on the
        // training cells, applied to all.
        let correction = match &batch {
            None => None,
            Some(b) => {
                let rows = training_rows(data.nrows(), &topts, seed);
                Some(pool.install(|| Correction::fit_on(&mut data, b, rows.as_deref(), seed)).map_err(to_r)?)
            }
        };
        let trainer = pool.install(|| Trainer::with_backend(data, topts, seed, backend)).map_err(to_r)?;
        // borrowed apart: the trainer's backend need not be Sync
        let (data, rows, components) = (trainer.data(), trainer.training_rows(), trainer.components());
        let reference = pool.install(|| Reference::fit(data, rows, components, seed)).map_err(to_r)?;
        Ok(ExternalPtr::new(Session {
            pool,
            trainer: Some(trainer),
            fit: pre.fit,
            batch_scaling,
            correction,
            reference,
            cells: pre.cells,
            seed,
            target: (kind, device),
            preprocess_seconds,
            train_seconds: 0.0,
        }))
    }
}

/// A fresh model for `n_genes` inputs with `seed`'s initial weights, on the
/// chosen backend: the first run and every later run of a consensus start so.
fn seeded_backend(
    n_genes: usize,
    opts: &TrainOptions,
    seed: u64,
    (kind, device): (BackendKind, Device),
) -> Result<Box<dyn Backend>> {
    let init = Trainer::initial_encoder(n_genes, opts, seed);
    make_backend(kind, device, init, opts.temperature).map_err(to_r)
}

/// Starts run `run` (0-based) of a consensus on the same preprocessed cells:
/// a fresh model from the run's derived seed. @noRd
#[extendr]
fn csc_session_restart(mut session: ExternalPtr<Session>, run: i32) -> Result<()> {
    let s = session.try_addr_mut()?;
    let seed = run_seed(s.seed, run.max(0) as usize);
    let target = s.target;
    let backend = seeded_backend(s.fit.genes.len(), s.trainer()?.options(), seed, target)?;
    s.train_seconds = 0.0;
    s.trainer()?.restart(seed, backend).map_err(to_r)
}

/// Runs up to `n_steps` more mini-batch steps (stopping at an epoch's end);
/// returns the losses of the epochs completed, the epochs done so far and
/// the epochs of the whole run (more than asked on small data, `min.steps`).
/// @noRd
#[extendr]
fn csc_session_train(mut session: ExternalPtr<Session>, n_steps: i32) -> Result<List> {
    let s = session.try_addr_mut()?;
    let start = Instant::now();
    let Session { pool, trainer, .. } = &mut *s;
    let trainer = trainer.as_mut().ok_or_else(closed)?;
    let before = trainer.epochs_done();
    pool.install(|| trainer.run_steps(n_steps.max(1) as usize)).map_err(to_r)?;
    let done = trainer.epochs_done();
    let losses = trainer.losses()[before..done].to_vec();
    let total = trainer.options().epochs as i32;
    s.train_seconds += start.elapsed().as_secs_f64();
    List::from_names_and_values(["losses", "epochs", "total"], [Robj::from(losses), Robj::from(done as i32), Robj::from(total)])
}

/// Whether all epochs have run. @noRd
#[extendr]
fn csc_session_finished(session: ExternalPtr<Session>) -> Result<bool> {
    Ok(session.try_addr()?.trainer.as_ref().ok_or_else(closed)?.finished())
}

/// The embedding of the training cells and the model. @noRd
#[extendr]
fn csc_session_result(mut session: ExternalPtr<Session>) -> Result<List> {
    let s = session.try_addr_mut()?;
    let start = Instant::now();
    // &mut: a backend is Send but not necessarily Sync (libtorch tensors).
    let Session { pool, trainer, .. } = &mut *s;
    let trainer = trainer.as_mut().ok_or_else(closed)?;
    let embedding = pool.install(move || trainer.embed()).map_err(to_r)?;
    let trainer = s.trainer.as_ref().ok_or_else(closed)?;
    let embed_seconds = start.elapsed().as_secs_f64();
    let cells: Vec<i32> = s.cells.iter().map(|&c| c as i32).collect();
    List::from_names_and_values(
        ["embedding", "cells", "fit", "batch_scaling", "correction", "reference", "weights", "losses", "training_cells", "preprocess_seconds", "train_seconds", "backend", "device"],
        [
            matrix_to_r(&embedding),
            cells.into(),
            fit_to_r(&s.fit)?.into(),
            scaling_to_r(&s.batch_scaling)?.into(),
            s.correction.as_ref().map_or(Ok(Robj::from(())), |c| correction_to_r(c).map(Robj::from))?,
            reference_to_r(&s.reference)?.into(),
            encoder_to_r(&trainer.encoder().map_err(to_r)?)?.into(),
            trainer.losses().to_vec().into(),
            (trainer.n_training_cells() as i32).into(),
            s.preprocess_seconds.into(),
            (s.train_seconds + embed_seconds).into(),
            trainer.backend().name().into(),
            trainer.backend().device().to_string().into(),
        ],
    )
}

/// Frees the session's training matrix and model once every run's result
/// is in R (the dense kept-gene matrix: 1.9 GB for a million cells), so
/// that clustering does not hold it until R's garbage collector runs.
/// @noRd
#[extendr]
fn csc_session_close(mut session: ExternalPtr<Session>) -> Result<()> {
    session.try_addr_mut()?.trainer = None;
    Ok(())
}

impl Session {
    fn trainer(&mut self) -> Result<&mut Trainer> {
        self.trainer.as_mut().ok_or_else(closed)
    }
}

fn closed() -> extendr_api::Error {
    extendr_api::Error::Other("the training session is closed".into())
}

extendr_module! {
    mod session;
    fn csc_session_close;
    fn csc_session_new;
    fn csc_session_train;
    fn csc_session_finished;
    fn csc_session_restart;
    fn csc_session_result;
}
