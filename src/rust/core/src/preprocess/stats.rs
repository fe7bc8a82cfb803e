//! Per-gene sums over the columns (cells) of a sparse matrix, in parallel
//! and reproducibly: cells are cut into chunks of [`CHUNK`] by their global
//! index, chunks are summed in parallel in waves, and each chunk's partial
//! sums are added to the running totals in chunk order. The totals are
//! therefore the same for any thread count and for any split of the cells
//! into blocks that starts each block on a chunk boundary (out-of-core
//! input), and memory stays bounded by one wave of accumulators.

use super::as_count;
use crate::sparse::CscView;
use rayon::prelude::*;

/// Cells per chunk; blocks of streamed input must start at multiples of it.
pub const CHUNK: usize = 512;

/// Chunks summed in parallel before their partials are folded in.
const WAVE: usize = 32;

/// Running per-slot sums, sums of squares, counts and range.
#[derive(Clone, Debug)]
pub(crate) struct GeneSums {
    pub sum: Vec<f64>,
    pub sum_sq: Vec<f64>,
    pub count: Vec<usize>,
    pub min: Vec<f64>,
    pub max: Vec<f64>,
}

impl GeneSums {
    pub fn new(width: usize) -> Self {
        Self {
            sum: vec![0.0; width],
            sum_sq: vec![0.0; width],
            count: vec![0; width],
            min: vec![f64::INFINITY; width],
            max: vec![f64::NEG_INFINITY; width],
        }
    }

    #[inline]
    fn add(&mut self, j: usize, y: f64) {
        self.sum[j] += y;
        self.sum_sq[j] += y * y;
        self.count[j] += 1;
        self.min[j] = self.min[j].min(y);
        self.max[j] = self.max[j].max(y);
    }

    fn fold(&mut self, p: &GeneSums) {
        for j in 0..self.sum.len() {
            self.sum[j] += p.sum[j];
            self.sum_sq[j] += p.sum_sq[j];
            self.count[j] += p.count[j];
            self.min[j] = self.min[j].min(p.min[j]);
            self.max[j] = self.max[j].max(p.max[j]);
        }
    }

    /// Adds `f(global cell, row, value)` for every stored value of `x`
    /// whose result is `Some((slot, y))`. Column `c` of `x` is global cell
    /// `first_cell + c`.
    pub fn add_columns<F>(&mut self, x: &CscView, first_cell: usize, f: F)
    where
        F: Fn(usize, usize, f64) -> Option<(usize, f64)> + Sync,
    {
        let width = self.sum.len();
        let starts: Vec<usize> = (0..x.n_cols).step_by(CHUNK).collect();
        for wave in starts.chunks(WAVE) {
            let parts: Vec<GeneSums> = wave
                .par_iter()
                .map(|&start| {
                    let mut s = GeneSums::new(width);
                    for c in start..(start + CHUNK).min(x.n_cols) {
                        for (g, v) in x.column(c) {
                            if let Some((j, y)) = f(first_cell + c, g, v) {
                                s.add(j, y);
                            }
                        }
                    }
                    s
                })
                .collect();
            for p in &parts {
                self.fold(p);
            }
        }
    }

    /// Mean and variance (ddof = 1) over `n` cells, as scanpy's
    /// `_get_mean_var` computes them from sums.
    pub fn mean_var(&self, n: usize) -> (Vec<f64>, Vec<f64>) {
        let nf = n as f64;
        let mean: Vec<f64> = self.sum.iter().map(|s| s / nf).collect();
        let var = self.sum_sq.iter().zip(&mean).map(|(s2, m)| (s2 / nf - m * m) * (nf / (nf - 1.0))).collect();
        (mean, var)
    }

    /// Whether slot `j` holds one value in all `n` cells (unstored = 0).
    pub fn is_constant(&self, j: usize, n: usize) -> bool {
        let c = self.count[j];
        c == 0 || (c == n && self.min[j] == self.max[j]) || (self.min[j] == 0.0 && self.max[j] == 0.0)
    }
}

/// Total (rounded) count of each column of `x`, over the rows marked in
/// `keep` (all rows when `None`).
pub(crate) fn cell_totals(x: &CscView, keep: Option<&[bool]>, normalized_input: bool) -> Vec<f64> {
    (0..x.n_cols)
        .into_par_iter()
        .map(|c| x.column(c).filter(|&(g, _)| keep.map_or(true, |k| k[g])).map(|(_, v)| as_count(v, normalized_input)).sum())
        .collect()
}
