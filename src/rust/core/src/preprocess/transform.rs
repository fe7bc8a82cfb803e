//! Embedding new cells the way the training cells were: the fitted gene
//! list, normalisation target and per-gene scaling applied to other counts.

use super::stats::{cell_totals, CHUNK};
use super::{log_normalized, scale_columns, slot_map, PreprocessFit};
use crate::error::{Error, Result};
use crate::sparse::CscView;
use ndarray::Array2;
use rayon::prelude::*;

/// Scales new cells with a training fit. `rows[j]` is the row of `x` that
/// holds the fit's gene `j`. Cells are normalised by their total over all
/// rows of `x`; cells with a zero total are left out (their indices are not
/// in the returned list).
pub fn transform(x: &CscView, fit: &PreprocessFit, rows: &[usize]) -> Result<(Array2<f32>, Vec<usize>)> {
    if rows.len() != fit.genes.len() {
        return Err(Error::Shape(format!("{} gene rows for a model of {} genes", rows.len(), fit.genes.len())));
    }
    if let Some(&r) = rows.iter().find(|&&r| r >= x.n_rows) {
        return Err(Error::Shape(format!("gene row {} of {}", r + 1, x.n_rows)));
    }
    let norm_in = fit.normalized_input;
    let totals = cell_totals(x, None, norm_in);
    let cells: Vec<usize> = (0..x.n_cols).filter(|&c| norm_in || totals[c] > 0.0).collect();
    let slot = slot_map(x.n_rows, rows);
    let width = rows.len();
    let mut data = Array2::<f32>::zeros((cells.len(), width));
    if width > 0 {
        data.as_slice_mut()
            .expect("fresh arrays are contiguous")
            .par_chunks_mut(CHUNK * width)
            .zip(cells.par_chunks(CHUNK))
            .for_each(|(out, chunk)| {
                for (row, &c) in out.chunks_mut(width).zip(chunk) {
                    for (g, v) in x.column(c) {
                        let j = slot[g];
                        if j != usize::MAX {
                            row[j] = log_normalized(v, totals[c], fit.median_total, norm_in) as f32;
                        }
                    }
                }
            });
    }
    scale_columns(&mut data, &fit.means, &fit.stds);
    Ok((data, cells))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{preprocess, sparse::CscOwned, PreprocessOptions};

    #[test]
    fn training_cells_transform_to_the_training_matrix() {
        let t: Vec<(usize, usize, f64)> =
            (0..40).flat_map(|c| (0..6).map(move |g| (g, c, ((c * (g + 3) + g * g) % 7) as f64))).collect();
        let m = CscOwned::from_triplets(6, 40, t);
        let v = m.view().unwrap();
        let p = preprocess(&v, &PreprocessOptions { n_genes: 3, ..Default::default() }).unwrap();
        let (d, cells) = transform(&v, &p.fit, &p.fit.genes).unwrap();
        assert_eq!(cells, p.cells);
        assert!(d.iter().zip(p.data.iter()).all(|(a, b)| (a - b).abs() < 1e-5));
    }
}
