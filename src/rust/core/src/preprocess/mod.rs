//! Preprocessing (SPEC section 1): sparse counts in, a dense scaled
//! cells x genes `f32` matrix of the kept genes out. Only the kept genes ever
//! become dense; the full matrix is read in place, column (cell) by column.
//!
//! The work is a few passes over the cells ([`Preprocessor`]): totals, the
//! gene statistics for the dispersion ranking, then the dense fill of the
//! kept genes; each pass is parallel over fixed chunks of cells whose
//! partial sums are added in chunk order, so any thread count, and any
//! split into blocks for out-of-core input, gives the same bits.

mod batches;
mod hvg;
mod pearson;
mod pipeline;
mod recover;
mod stats;
mod transform;

pub use batches::{batch_rows, preprocess_in_batches, scale_in_batches, Scaling};
pub use hvg::{ranking_order, seurat_dispersions, top_genes, Dispersions};
pub use pearson::residual as pearson_residual;
pub use pipeline::Preprocessor;
pub use recover::{recover_counts, Recovered};
pub use stats::CHUNK;
pub use transform::transform;

use crate::error::Result;
use crate::options::PreprocessOptions;
use crate::sparse::CscView;
use ndarray::Array2;
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
    /// The dispersion ranking of the genes that passed `min_counts` (with
    /// [`crate::GeneRanking::PearsonResiduals`], `normalized` holds the
    /// residual variances and the other fields are empty).
    pub dispersions: Dispersions,
    /// Input rows that passed `min_counts` (the genes ranked above).
    pub ranked_genes: Vec<usize>,
}

/// Reads a stored value as the method sees it: counts are rounded up.
#[inline]
pub(crate) fn as_count(v: f64, normalized_input: bool) -> f64 {
    if normalized_input { v } else { v.ceil() }
}

/// Normalised expression on the linear scale (SPEC 1.3): a count scaled to
/// the median library size; `expm1` of already log-normalised input.
#[inline]
pub(crate) fn linear(v: f64, cell_total: f64, median_total: f64, normalized_input: bool) -> f64 {
    if normalized_input { v.exp_m1() } else { v.ceil() * median_total / cell_total }
}

/// Log-normalised expression (SPEC 1.4), the scale the model sees; shared
/// by training and by [`transform`] so new cells are treated identically.
#[inline]
pub(crate) fn log_normalized(v: f64, cell_total: f64, median_total: f64, normalized_input: bool) -> f64 {
    if normalized_input { v } else { linear(v, cell_total, median_total, false).ln_1p() }
}

/// Runs SPEC section 1 on genes x cells counts held in memory (one block
/// of the [`Preprocessor`]).
pub fn preprocess(x: &CscView, opts: &PreprocessOptions) -> Result<Preprocessed> {
    let mut p = ranked(x, opts)?;
    p.add_rows(x, 0)?;
    p.finish()
}

/// Passes 1 to 3 of the [`Preprocessor`] on counts held in memory: the kept
/// cells, their totals and the ranking of the genes.
pub(crate) fn ranked(x: &CscView, opts: &PreprocessOptions) -> Result<Preprocessor> {
    let mut p = Preprocessor::new(x.n_rows, x.n_cols, opts)?;
    p.add_totals(x, 0)?;
    p.finish_totals()?;
    if p.needs_recount() {
        p.add_recount(x, 0)?;
        p.finish_cells()?;
    }
    p.add_dispersions(x, 0)?;
    p.finish_dispersions()?;
    Ok(p)
}

/// Maps input rows to their position among `genes`, `usize::MAX` elsewhere.
pub(crate) fn slot_map(n_rows: usize, genes: &[usize]) -> Vec<usize> {
    let mut slot = vec![usize::MAX; n_rows];
    for (j, &g) in genes.iter().enumerate() {
        slot[g] = j;
    }
    slot
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
        assert!(matches!(preprocess(&m.view().unwrap(), &Default::default()), Err(crate::Error::NotEnoughData(_))));
    }
}
