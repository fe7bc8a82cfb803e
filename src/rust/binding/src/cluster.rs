//! KMeans on an embedding and clustering scores, for R.

use crate::convert::{count, matrix_from_r, pool, seed};
use crate::error::{arg_error, to_r};
use csc_core::cluster::{kmeans, kmeans_pieces, kmeans_restart};
use csc_core::{metrics, KMeansOptions};
use extendr_api::prelude::*;
use extendr_api::Result;

/// KMeans of the rows of an R matrix; labels are 0-based. With `restart`
/// >= 0 only that restart runs (R loops over restarts so that Ctrl-C works
/// between them; the best inertia over restarts is `kmeans`' result).
/// `refine = FALSE`: on large data, pieces only (`kmeans_pieces`). @noRd
#[extendr]
#[allow(clippy::too_many_arguments)]
fn csc_kmeans(
    values: &[f64],
    nrow: i32,
    ncol: i32,
    k: i32,
    n_init: i32,
    max_iter: i32,
    tol: f64,
    seed_value: f64,
    num_threads: i32,
    restart: i32,
    refine: bool,
) -> Result<List> {
    let pool = pool(num_threads)?;
    let x = matrix_from_r(values, nrow, ncol, "x")?;
    let opts = KMeansOptions { n_init: count(n_init, "n.init")?, max_iter: count(max_iter, "max.iter")?, tol };
    let k = count(k, "k")?;
    let seed = seed(seed_value)?;
    let r = pool
        .install(|| match (restart, refine) {
            (r, _) if r >= 0 => kmeans_restart(x.view(), k, &opts, seed, r as usize),
            (_, true) => kmeans(x.view(), k, &opts, seed),
            (_, false) => kmeans_pieces(x.view(), k, &opts, seed),
        })
        .map_err(to_r)?;
    let labels: Vec<i32> = r.labels.iter().map(|&l| l as i32).collect();
    List::from_names_and_values(["labels", "inertia", "iterations"], [labels.into(), r.inertia.into(), Robj::from(r.n_iter as i32)])
}

/// ARI, NMI, silhouette and Calinski-Harabasz; undefined scores are NA. @noRd
#[extendr]
fn csc_scores(truth: &[i32], pred: &[i32], values: &[f64], nrow: i32, ncol: i32, num_threads: i32) -> Result<List> {
    if truth.len() != pred.len() {
        return Err(arg_error("clusters", &format!("has {} values but 'labels' has {}", pred.len(), truth.len())));
    }
    let pool = pool(num_threads)?;
    let ari = metrics::adjusted_rand_index(truth, pred).map_err(to_r)?;
    let nmi = metrics::normalized_mutual_info(truth, pred).map_err(to_r)?;
    let (mut sil, mut ch) = (Rfloat::na(), Rfloat::na());
    if nrow > 0 {
        let n = nrow as usize;
        let m = ncol.max(0) as usize;
        if n != pred.len() || values.len() != n * m {
            return Err(arg_error("embedding", &format!("must have one row per cell ({}), got {n}", pred.len())));
        }
        let x = ndarray::Array2::from_shape_fn((n, m), |(r, c)| values[c * n + r]);
        if let Ok(s) = pool.install(|| metrics::silhouette(x.view(), pred)) {
            sil = s.into();
        }
        if let Ok(c) = metrics::calinski_harabasz(x.view(), pred) {
            ch = c.into();
        }
    }
    List::from_names_and_values(["ARI", "NMI", "silhouette", "calinski_harabasz"], [Robj::from(ari), nmi.into(), sil.into(), ch.into()])
}

extendr_module! {
    mod cluster;
    fn csc_kmeans;
    fn csc_scores;
}
