//! Preprocessing (SPEC section 1): sparse counts in, a dense scaled
//! cells x genes `f32` matrix of the kept genes out. Only the kept genes ever
//! become dense; the full matrix is read in place, column (cell) by column.
//!
//! Passes over the input, each parallel over fixed chunks of cells whose
//! partial sums are added in chunk order (so any thread count gives the same
//! bits): gene totals, per-cell totals and the gene statistics for the
//! dispersion ranking, then the dense fill of the kept genes.

mod hvg;
mod stats;
mod transform;

pub use hvg::{seurat_dispersions, top_genes, Dispersions};
pub use transform::transform;

use crate::error::{Error, Result};
use crate::options::PreprocessOptions;
use crate::sparse::CscView;
use ndarray::Array2;
use stats::{cell_totals, gene_moments, gene_totals, CHUNK};
use rayon::prelude::*;

/// The fitted pieces of preprocessing, kept with the model so that new cells
/// are embedded the same way.
#[derive(Clone, Debug, PartialEq)]
pub struct PreprocessFit {
    /// Kept genes, 0-based row indices of the input, ascending.
    pub genes: Vec<usize>,
    /// Mean of each kept gene's log-normalised expression.
    pub means: Vec<f64>,
    /// Standard deviation (ddof = 1) of the same; 1 for constant genes.
    pub stds: Vec<f64>,
    /// Median total count of the training cells (the normalisation target).
    pub median_total: f64,
    /// Whether the input was taken as already log-normalised.
    pub normalized_input: bool,
}

/// The output of [`preprocess`].
#[derive(Clone, Debug)]
pub struct Preprocessed {
    /// Scaled expression, kept cells x kept genes, row-major.
    pub data: Array2<f32>,
    /// Indices (0-based) of the cells that were kept (non-zero total).
    pub cells: Vec<usize>,
    /// What new cells need to be scaled the same way.
    pub fit: PreprocessFit,
    /// The dispersion ranking of the genes that passed `min_counts`.
    pub dispersions: Dispersions,
    /// Input rows that passed `min_counts` (the genes ranked above).
    pub ranked_genes: Vec<usize>,
}

/// Reads a stored value as the method sees it: counts are rounded up.
#[inline]
pub(crate) fn as_count(v: f64, normalized_input: bool) -> f64 {
    if normalized_input { v } else { v.ceil() }
}

/// Runs SPEC section 1 on genes x cells counts.
pub fn preprocess(x: &CscView, opts: &PreprocessOptions) -> Result<Preprocessed> {
    opts.validate()?;
    if x.n_rows == 0 || x.n_cols == 0 {
        return Err(Error::NotEnoughData(format!("has {} genes and {} cells", x.n_rows, x.n_cols)));
    }
    let norm_in = opts.normalized_input;
    let totals = gene_totals(x, norm_in);
    let gene_ok: Vec<bool> = totals.iter().map(|&t| t >= opts.min_counts && t > 0.0).collect();
    let ranked_genes: Vec<usize> = (0..x.n_rows).filter(|&g| gene_ok[g]).collect();
    if ranked_genes.len() < 2 {
        return Err(Error::NotEnoughData(format!(
            "has {} gene(s) with a total count of at least {} ('min.counts'); need 2",
            ranked_genes.len(),
            opts.min_counts
        )));
    }
    let cell_total = cell_totals(x, &gene_ok, norm_in);
    let cells: Vec<usize> = (0..x.n_cols).filter(|&c| cell_total[c] > 0.0).collect();
    if cells.len() < 2 {
        return Err(Error::NotEnoughData(format!("has {} cell(s) with non-zero counts; need 2", cells.len())));
    }
    let median_total = if norm_in { f64::NAN } else { median(cells.iter().map(|&c| cell_total[c]).collect()) };
    let normalize = Normalizer { median_total, cell_total: &cell_total, normalized_input: norm_in };

    // Dispersions are computed on the normalised, not logged, scale.
    let all_slot: Vec<usize> = slot_map(x.n_rows, &ranked_genes);
    let (sum, sum_sq) = gene_moments(x, &cells, &all_slot, ranked_genes.len(), |c, v| normalize.linear(c, v));
    let (mean, var) = mean_var(&sum, &sum_sq, cells.len());
    let dispersions = seurat_dispersions(&mean, &var, opts.n_bins);
    let genes: Vec<usize> = top_genes(&dispersions.normalized, opts.n_genes).into_iter().map(|i| ranked_genes[i]).collect();

    let slot = slot_map(x.n_rows, &genes);
    let mut data = Array2::<f32>::zeros((cells.len(), genes.len()));
    let width = genes.len();
    let partial: Vec<(Vec<f64>, Vec<f64>)> = data
        .as_slice_mut()
        .expect("freshly allocated arrays are contiguous")
        .par_chunks_mut(CHUNK * width)
        .zip(cells.par_chunks(CHUNK))
        .map(|(rows, chunk)| {
            let mut s = vec![0.0; width];
            let mut s2 = vec![0.0; width];
            for (row, &c) in rows.chunks_mut(width).zip(chunk) {
                for (g, v) in x.column(c) {
                    let j = slot[g];
                    if j != usize::MAX {
                        let y = normalize.log(c, v);
                        row[j] = y as f32;
                        s[j] += y;
                        s2[j] += y * y;
                    }
                }
            }
            (s, s2)
        })
        .collect();
    let (s, s2) = stats::add_in_order(partial, width);
    let (means, vars) = mean_var(&s, &s2, cells.len());
    let stds: Vec<f64> = vars.iter().map(|&v| if v > 0.0 { v.sqrt() } else { 1.0 }).collect();
    scale_columns(&mut data, &means, &stds);
    let fit = PreprocessFit { genes, means, stds, median_total, normalized_input: norm_in };
    Ok(Preprocessed { data, cells, fit, dispersions, ranked_genes })
}

/// Library-size normalisation and log, per cell.
struct Normalizer<'a> {
    median_total: f64,
    cell_total: &'a [f64],
    normalized_input: bool,
}

impl Normalizer<'_> {
    /// Normalised expression on the linear scale (SPEC 1.3).
    #[inline]
    fn linear(&self, cell: usize, v: f64) -> f64 {
        if self.normalized_input { v.exp_m1() } else { v.ceil() * self.median_total / self.cell_total[cell] }
    }
    /// Log-normalised expression (SPEC 1.4).
    #[inline]
    fn log(&self, cell: usize, v: f64) -> f64 {
        if self.normalized_input { v } else { self.linear(cell, v).ln_1p() }
    }
}

/// Maps input rows to their position among `genes`, `usize::MAX` elsewhere.
pub(crate) fn slot_map(n_rows: usize, genes: &[usize]) -> Vec<usize> {
    let mut slot = vec![usize::MAX; n_rows];
    for (j, &g) in genes.iter().enumerate() {
        slot[g] = j;
    }
    slot
}

/// Mean and variance with ddof = 1, from sums, as scanpy's `_get_mean_var`.
fn mean_var(sum: &[f64], sum_sq: &[f64], n: usize) -> (Vec<f64>, Vec<f64>) {
    let nf = n as f64;
    let mean: Vec<f64> = sum.iter().map(|s| s / nf).collect();
    let var = sum_sq.iter().zip(&mean).map(|(s2, m)| (s2 / nf - m * m) * (nf / (nf - 1.0))).collect();
    (mean, var)
}

/// `(x - mean) / std` per column, in place.
pub(crate) fn scale_columns(data: &mut Array2<f32>, means: &[f64], stds: &[f64]) {
    let width = means.len();
    if width == 0 {
        return;
    }
    if let Some(slice) = data.as_slice_mut() {
        slice.par_chunks_mut(CHUNK * width).for_each(|rows| {
            for row in rows.chunks_mut(width) {
                for ((x, m), s) in row.iter_mut().zip(means).zip(stds) {
                    *x = ((*x as f64 - m) / s) as f32;
                }
            }
        });
    }
}

/// The median as numpy computes it (mean of the two middle values).
fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2.0 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sparse::CscOwned;

    fn toy() -> CscOwned {
        // 4 genes x 5 cells; gene 3 is all zero; cell 4 is empty.
        let t = vec![
            (0, 0, 1.0), (1, 0, 3.0), (2, 0, 1.0),
            (0, 1, 2.0), (1, 1, 1.0),
            (1, 2, 5.0), (2, 2, 2.0),
            (0, 3, 1.0), (2, 3, 4.0),
        ];
        CscOwned::from_triplets(4, 5, t)
    }

    #[test]
    fn empty_cells_and_genes_are_dropped_but_recorded() {
        let m = toy();
        let p = preprocess(&m.view().unwrap(), &PreprocessOptions { n_genes: 2, ..Default::default() }).unwrap();
        assert_eq!(p.cells, vec![0, 1, 2, 3]);
        assert_eq!(p.ranked_genes, vec![0, 1, 2]);
        assert_eq!(p.fit.genes.len(), 2);
        assert_eq!(p.data.dim(), (4, 2));
        // scaled columns have mean 0 and variance 1 (ddof = 1)
        for j in 0..2 {
            let col = p.data.column(j);
            let m: f64 = col.iter().map(|&v| v as f64).sum::<f64>() / 4.0;
            let v: f64 = col.iter().map(|&v| (v as f64 - m).powi(2)).sum::<f64>() / 3.0;
            assert!(m.abs() < 1e-6 && (v - 1.0).abs() < 1e-5, "{m} {v}");
        }
    }

    #[test]
    fn median_is_numpys() {
        assert_eq!(median(vec![3.0, 1.0, 2.0, 10.0]), 2.5);
        assert_eq!(median(vec![3.0, 1.0, 2.0]), 2.0);
    }

    #[test]
    fn too_few_genes_is_an_error() {
        let m = CscOwned::from_triplets(2, 2, vec![(0, 0, 1.0), (0, 1, 1.0)]);
        assert!(matches!(preprocess(&m.view().unwrap(), &Default::default()), Err(Error::NotEnoughData(_))));
    }
}
