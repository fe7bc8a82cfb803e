//! Out-of-core preprocessing: R reads a large (HDF5-backed) matrix block by
//! block and hands each block to the passes of `csc_core`'s
//! `Preprocessor`; the result starts a training session like the in-memory
//! path, with the same bits.

use crate::convert::{count, csc, pool, preprocess_options, seed, train_options};
use crate::error::{arg_error, to_r};
use crate::session::Session;
use csc_core::preprocess::{Preprocessor, CHUNK};
use extendr_api::prelude::*;
use extendr_api::Result;
use std::time::Instant;

/// The preprocessing state behind the external pointer.
pub struct Stream {
    pool: rayon::ThreadPool,
    pre: Option<Preprocessor>,
    seconds: f64,
}

/// Starts streaming preprocessing of a genes x cells matrix. @noRd
#[extendr]
fn csc_stream_new(n_rows: i32, n_cols: i32, params: List, normalized: bool, num_threads: i32) -> Result<ExternalPtr<Stream>> {
    let opts = preprocess_options(&params, normalized)?;
    let pre = Preprocessor::new(count(n_rows, "x")?, count(n_cols, "x")?, &opts).map_err(to_r)?;
    Ok(ExternalPtr::new(Stream { pool: pool(num_threads)?, pre: Some(pre), seconds: 0.0 }))
}

/// Cells per block must be a multiple of this. @noRd
#[extendr]
fn csc_stream_chunk() -> i32 {
    CHUNK as i32
}

/// Feeds one block (a dgCMatrix of all genes and cells
/// `first_cell..first_cell + n_cols`, 0-based) to pass 1 to 4. @noRd
#[extendr]
#[allow(clippy::too_many_arguments)]
fn csc_stream_block(mut stream: ExternalPtr<Stream>, pass: i32, p: &[i32], i: &[i32], x: &[f64], n_rows: i32, n_cols: i32, first_cell: i32) -> Result<()> {
    let s = stream.try_addr_mut()?;
    let view = csc(p, i, x, n_rows, n_cols)?;
    let first = count(first_cell, "first_cell")?;
    let start = Instant::now();
    let pre = s.pre.as_mut().ok_or_else(|| arg_error("stream", "is finished"))?;
    s.pool
        .install(|| match pass {
            1 => pre.add_totals(&view, first),
            2 => pre.add_recount(&view, first),
            3 => pre.add_dispersions(&view, first),
            4 => pre.add_rows(&view, first),
            _ => Err(csc_core::Error::InvalidArgument { arg: "pass", msg: format!("must be 1 to 4, got {pass}") }),
        })
        .map_err(to_r)?;
    s.seconds += start.elapsed().as_secs_f64();
    Ok(())
}

/// Ends a pass; after pass 1, returns whether pass 2 is needed. @noRd
#[extendr]
fn csc_stream_finish_pass(mut stream: ExternalPtr<Stream>, pass: i32) -> Result<bool> {
    let s = stream.try_addr_mut()?;
    let pre = s.pre.as_mut().ok_or_else(|| arg_error("stream", "is finished"))?;
    let start = Instant::now();
    let recount = match pass {
        1 => {
            pre.finish_totals().map_err(to_r)?;
            pre.needs_recount()
        }
        2 => {
            pre.finish_cells().map_err(to_r)?;
            false
        }
        3 => {
            s.pool.install(|| pre.finish_dispersions()).map_err(to_r)?;
            false
        }
        _ => return Err(arg_error("pass", "must be 1, 2 or 3")),
    };
    s.seconds += start.elapsed().as_secs_f64();
    Ok(recount)
}

/// Ends pass 4 and starts a training session on the result. @noRd
#[extendr]
fn csc_stream_session(
    mut stream: ExternalPtr<Stream>,
    params: List,
    seed_value: f64,
    num_threads: i32,
    backend: &str,
    device: &str,
) -> Result<ExternalPtr<Session>> {
    let target = csc_core::backend::resolve(backend, device).map_err(to_r)?;
    let topts = train_options(&params)?;
    let seed = seed(seed_value)?;
    let s = stream.try_addr_mut()?;
    let pre = s.pre.take().ok_or_else(|| arg_error("stream", "is finished"))?;
    let start = Instant::now();
    let done = s.pool.install(|| pre.finish()).map_err(to_r)?;
    let seconds = s.seconds + start.elapsed().as_secs_f64();
    Session::start(pool(num_threads)?, done, None, topts, seed, target, seconds)
}

extendr_module! {
    mod stream;
    fn csc_stream_new;
    fn csc_stream_chunk;
    fn csc_stream_block;
    fn csc_stream_finish_pass;
    fn csc_stream_session;
}
