//! Per-gene and per-cell sums over a sparse matrix, parallel over fixed
//! chunks of cells and added in chunk order, so results do not depend on the
//! number of threads.

use super::as_count;
use crate::sparse::CscView;
use rayon::prelude::*;

/// Cells per parallel chunk: fixed, so the summation order is fixed.
pub(crate) const CHUNK: usize = 512;

/// Total (rounded) count of every gene over all cells.
pub(crate) fn gene_totals(x: &CscView, normalized_input: bool) -> Vec<f64> {
    let partial: Vec<Vec<f64>> = (0..x.n_cols)
        .collect::<Vec<_>>()
        .par_chunks(CHUNK)
        .map(|chunk| {
            let mut t = vec![0.0; x.n_rows];
            for &c in chunk {
                for (g, v) in x.column(c) {
                    t[g] += as_count(v, normalized_input);
                }
            }
            t
        })
        .collect();
    let mut total = vec![0.0; x.n_rows];
    for t in partial {
        total.iter_mut().zip(t).for_each(|(a, b)| *a += b);
    }
    total
}

/// Total (rounded) count of every cell over the genes marked `keep`.
pub(crate) fn cell_totals(x: &CscView, keep: &[bool], normalized_input: bool) -> Vec<f64> {
    (0..x.n_cols)
        .into_par_iter()
        .map(|c| x.column(c).filter(|&(g, _)| keep[g]).map(|(_, v)| as_count(v, normalized_input)).sum())
        .collect()
}

/// Sums and sums of squares of `f(cell, value)` per gene slot, over `cells`.
/// `slot[g]` is the gene's position in the output or `usize::MAX` to skip it.
pub(crate) fn gene_moments<F>(x: &CscView, cells: &[usize], slot: &[usize], width: usize, f: F) -> (Vec<f64>, Vec<f64>)
where
    F: Fn(usize, f64) -> f64 + Sync,
{
    let partial: Vec<(Vec<f64>, Vec<f64>)> = cells
        .par_chunks(CHUNK)
        .map(|chunk| {
            let mut s = vec![0.0; width];
            let mut s2 = vec![0.0; width];
            for &c in chunk {
                for (g, v) in x.column(c) {
                    let j = slot[g];
                    if j != usize::MAX {
                        let y = f(c, v);
                        s[j] += y;
                        s2[j] += y * y;
                    }
                }
            }
            (s, s2)
        })
        .collect();
    add_in_order(partial, width)
}

/// Adds per-chunk (sum, sum of squares) pairs in chunk order.
pub(crate) fn add_in_order(partial: Vec<(Vec<f64>, Vec<f64>)>, width: usize) -> (Vec<f64>, Vec<f64>) {
    let mut s = vec![0.0; width];
    let mut s2 = vec![0.0; width];
    for (a, b) in partial {
        s.iter_mut().zip(a).for_each(|(x, y)| *x += y);
        s2.iter_mut().zip(b).for_each(|(x, y)| *x += y);
    }
    (s, s2)
}
