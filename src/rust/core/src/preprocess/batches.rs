//! Preprocessing cells from several batches (samples, donors, plates,
//! protocols) so that the model sees the biology they share, not the batch:
//!
//! - genes are ranked within each batch and combined by rank as Seurat's
//!   `SelectIntegrationFeatures` does: first the genes that are among the
//!   `n_genes` most variable in the most batches, then by their median rank
//!   across batches; a gene variable in one batch only (often the batch
//!   effect itself) comes after the genes variable in all;
//! - each gene is scaled within each batch (mean 0, variance 1 per batch),
//!   which removes the batch's shift of every gene's mean and spread.
//!
//! Normalisation and the `min_counts` filter stay those of all cells
//! together, so the same genes are usable in every batch.

use super::{hvg, Preprocessed};
use crate::error::{Error, Result};
use crate::options::PreprocessOptions;
use crate::sparse::{CscOwned, CscView};
use ndarray::{Array2, Axis};

/// Per-gene scaling of one batch's cells: `(x - mean) / std`.
#[derive(Clone, Debug, PartialEq)]
pub struct Scaling {
    /// Mean of each kept gene's log-normalised expression in the batch.
    pub means: Vec<f64>,
    /// Its standard deviation (ddof = 1); 1 for a gene constant in the batch.
    pub stds: Vec<f64>,
}

/// Runs SPEC section 1 on cells from several batches. `batch` holds a
/// 0-based batch per input column (cell); every batch in `0..=max` must
/// have at least 2 cells with counts. Returns the preprocessed cells (their
/// fit holds the scaling of all cells together) and each batch's scaling.
pub fn preprocess_in_batches(x: &CscView, batch: &[u32], opts: &PreprocessOptions) -> Result<(Preprocessed, Vec<Scaling>)> {
    if batch.len() != x.n_cols {
        return Err(Error::Shape(format!("{} batch labels for {} cells", batch.len(), x.n_cols)));
    }
    let mut all = super::ranked(x, opts)?;
    let kept_batch: Vec<u32> = all.cells().iter().map(|&c| batch[c]).collect();
    for (b, kept) in batch_rows(&kept_batch).iter().enumerate() {
        if kept.len() < 2 {
            return Err(Error::NotEnoughData(format!("batch {} has {} cell(s) with counts; need 2", b + 1, kept.len())));
        }
    }
    let ranks: Vec<Vec<usize>> = batch_rows(batch)
        .iter()
        .enumerate()
        .map(|(b, cols)| {
            batch_ranks(x, cols, opts).map_err(|e| match e {
                Error::NotEnoughData(m) => Error::NotEnoughData(format!("batch {} {m}", b + 1)),
                other => other,
            })
        })
        .collect::<Result<_>>()?;
    let genes = combine_ranks(all.ranking().0, &ranks, opts.n_genes);
    all.keep_genes(genes)?;
    all.add_rows(x, 0)?;
    all.finish_in_batches(&kept_batch)
}

/// The rows of each batch (`batch`: 0-based, one per row), ascending; a
/// batch code without rows has an empty list.
pub fn batch_rows(batch: &[u32]) -> Vec<Vec<usize>> {
    let n_batches = batch.iter().max().map_or(0, |&b| b as usize + 1);
    let mut rows = vec![Vec::new(); n_batches];
    for (r, &b) in batch.iter().enumerate() {
        rows[b as usize].push(r);
    }
    rows
}

/// The rank (0 = most variable) of every input row within the cells `cols`;
/// `usize::MAX` for a row not ranked there (fewer than `min_counts` counts).
fn batch_ranks(x: &CscView, cols: &[usize], opts: &PreprocessOptions) -> Result<Vec<usize>> {
    let triplets = cols.iter().enumerate().flat_map(|(j, &c)| x.column(c).map(move |(g, v)| (g, j, v))).collect();
    let sub = CscOwned::from_triplets(x.n_rows, cols.len(), triplets);
    let p = super::ranked(&sub.view()?, opts)?;
    let (genes, dispersion) = p.ranking();
    let mut rank = vec![usize::MAX; x.n_rows];
    for (r, i) in hvg::ranking_order(dispersion).into_iter().enumerate() {
        rank[genes[i]] = r;
    }
    Ok(rank)
}

/// The `n_genes` genes of `candidates` (input rows) that are among the
/// `n_genes` best-ranked in the most batches, ties broken by the median
/// rank across batches, then by row; ascending.
fn combine_ranks(candidates: &[usize], ranks: &[Vec<usize>], n_genes: usize) -> Vec<usize> {
    let key = |g: usize| {
        let mut r: Vec<usize> = ranks.iter().map(|rank| rank[g]).collect();
        r.sort_unstable();
        let hits = r.iter().filter(|&&x| x < n_genes).count();
        // the median of an even count is the mean of the middle two; an
        // unranked gene counts as ranked last
        let mid = |i: usize| r[i].min(candidates.len()) as f64;
        let median = if r.len() % 2 == 1 { mid(r.len() / 2) } else { (mid(r.len() / 2 - 1) + mid(r.len() / 2)) / 2.0 };
        (std::cmp::Reverse(hits), median, g)
    };
    let mut order: Vec<(std::cmp::Reverse<usize>, f64, usize)> = candidates.iter().map(|&g| key(g)).collect();
    order.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut genes: Vec<usize> = order.into_iter().take(n_genes).map(|k| k.2).collect();
    genes.sort_unstable();
    genes
}

/// Scales each column of `data` within each batch (`batch` per row) and
/// returns every batch's scaling, for new cells of that batch.
pub fn scale_in_batches(data: &mut Array2<f32>, batch: &[u32]) -> Vec<Scaling> {
    let width = data.ncols();
    let members = batch_rows(batch);
    let mut scaling = Vec::with_capacity(members.len());
    for rows in &members {
        let n = rows.len() as f64;
        let mut means = vec![0.0; width];
        let mut stds = vec![1.0; width];
        for j in 0..width {
            let col = data.column(j);
            let mean = rows.iter().map(|&r| col[r] as f64).sum::<f64>() / n;
            let var = rows.iter().map(|&r| (col[r] as f64 - mean).powi(2)).sum::<f64>() / (n - 1.0);
            means[j] = mean;
            if var > 0.0 && var.is_finite() {
                stds[j] = var.sqrt();
            }
        }
        scaling.push(Scaling { means, stds });
    }
    for (mut row, &b) in data.axis_iter_mut(Axis(0)).zip(batch) {
        let s = &scaling[b as usize];
        for ((x, m), sd) in row.iter_mut().zip(&s.means).zip(&s.stds) {
            *x = ((*x as f64 - m) / sd) as f32;
        }
    }
    scaling
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::preprocess;

    /// 30 genes x 120 cells in three batches: genes 0-4 vary with a "type"
    /// present in every batch, genes 5-9 vary strongly in batch 2 only,
    /// batch 1 has twice the depth.
    fn three_batches() -> (CscOwned, Vec<u32>) {
        let mut t = Vec::new();
        for c in 0..120 {
            let b = c / 40;
            let kind = c % 2;
            for g in 0..30 {
                let base = 2 + (c * 7 + g * 3) % 3;
                let v = match g {
                    0..=4 => base + 12 * kind,
                    5..=9 if b == 2 => base + 40 * ((c / 3) % 2),
                    _ => base,
                };
                t.push((g, c, (v * (1 + (b == 1) as usize)) as f64));
            }
        }
        (CscOwned::from_triplets(30, 120, t), (0..120).map(|c| (c / 40) as u32).collect())
    }

    #[test]
    fn genes_variable_in_every_batch_come_first_and_each_batch_is_scaled_alone() {
        let (m, batch) = three_batches();
        let opts = PreprocessOptions { n_genes: 5, ..Default::default() };
        let (pre, scaling) = preprocess_in_batches(&m.view().unwrap(), &batch, &opts).unwrap();
        assert_eq!(pre.fit.genes, vec![0, 1, 2, 3, 4]);
        // all cells together would rather keep the batch-1-only genes
        let pooled = preprocess(&m.view().unwrap(), &opts).unwrap();
        assert_ne!(pooled.fit.genes, pre.fit.genes);
        assert_eq!(scaling.len(), 3);
        for b in 0..3 {
            for j in 0..5 {
                let col: Vec<f64> = (0..120).filter(|&r| r / 40 == b).map(|r| pre.data[[r, j]] as f64).collect();
                let mean = col.iter().sum::<f64>() / 40.0;
                let var = col.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / 39.0;
                assert!(mean.abs() < 1e-5 && (var - 1.0).abs() < 1e-4, "batch {b}, gene {j}: {mean} {var}");
            }
        }
    }

    #[test]
    fn a_batch_without_two_cells_is_named() {
        let (m, mut batch) = three_batches();
        batch[119] = 3;
        let err = preprocess_in_batches(&m.view().unwrap(), &batch, &Default::default()).unwrap_err();
        assert!(err.to_string().contains("batch 4 has 1 cell"), "{err}");
    }

    #[test]
    fn ranks_combine_by_batches_then_median() {
        // of the top 2, gene 2 is in both batches, genes 0 and 1 in one
        // each, gene 1 with the better median rank
        let ranks = vec![vec![0, 2, 1, 3], vec![3, 0, 1, 2]];
        assert_eq!(combine_ranks(&[0, 1, 2, 3], &ranks, 2), vec![1, 2]);
        // of the top 1: genes 0 and 1 once each, gene 2 never
        assert_eq!(combine_ranks(&[0, 1, 2, 3], &ranks, 1), vec![1]);
    }
}
