//! Scores of cells against reference types: for each type, the mean
//! similarity to the cell's nearest reference cells of that type. A type
//! scores by its own cells however few they are (a majority vote among a
//! cell's nearest reference cells loses the rare types), and a cell of a
//! type the reference lacks scores low against every type.

use crate::error::{Error, Result};
use crate::neighbours::Neighbours;
use crate::preprocess::batch_rows;
use ndarray::{Array2, ArrayView1, ArrayView2, Axis};
use rayon::prelude::*;

/// Similarity of two rows of unit length: their cosine, `1 - |a - b|^2 / 2`.
fn similarity(a: ArrayView1<f32>, b: ArrayView1<f32>) -> f32 {
    let d2: f32 = a.iter().zip(b.iter()).map(|(x, y)| (x - y) * (x - y)).sum();
    1.0 - d2 / 2.0
}

fn check(reference: ArrayView2<f32>, labels: &[u32], width: usize, k: usize) -> Result<()> {
    if labels.len() != reference.nrows() {
        return Err(Error::Shape(format!("{} labels for {} reference cells", labels.len(), reference.nrows())));
    }
    if reference.ncols() != width {
        return Err(Error::Shape(format!("{} dimensions in the reference, {} in the cells", reference.ncols(), width)));
    }
    if k == 0 || reference.nrows() == 0 {
        return Err(Error::NotEnoughData("type scores need k >= 1 and reference cells".into()));
    }
    Ok(())
}

/// Cells x types (`labels`: 0-based type of each reference row; a type
/// without rows scores NaN): the mean similarity of each row of `cells` to
/// its `k` nearest reference rows of the type (all of them for a type of
/// fewer). Rows are embeddings of unit length.
pub fn type_scores(cells: ArrayView2<f32>, reference: ArrayView2<f32>, labels: &[u32], k: usize) -> Result<Array2<f32>> {
    check(reference, labels, cells.ncols(), k)?;
    let members = batch_rows(labels);
    let mut out = Array2::<f32>::from_elem((cells.nrows(), members.len()), f32::NAN);
    if cells.nrows() == 0 {
        return Ok(out);
    }
    let columns: Vec<Option<Vec<f32>>> = members
        .par_iter()
        .map(|rows| {
            if rows.is_empty() {
                return Ok(None);
            }
            let of_type = reference.select(Axis(0), rows);
            let near = Neighbours::between(cells, of_type.view(), k)?;
            Ok(Some(
                (0..cells.nrows())
                    .map(|i| near.of(i).iter().map(|&j| similarity(cells.row(i), of_type.row(j as usize))).sum::<f32>() / near.k as f32)
                    .collect(),
            ))
        })
        .collect::<Result<_>>()?;
    for (t, col) in columns.into_iter().enumerate() {
        if let Some(col) = col {
            out.column_mut(t).assign(&ndarray::Array1::from(col));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(v: &[f32]) -> Vec<f32> {
        let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        v.iter().map(|x| x / n).collect()
    }

    fn rows(v: &[Vec<f32>]) -> Array2<f32> {
        Array2::from_shape_vec((v.len(), v[0].len()), v.iter().flatten().copied().collect()).unwrap()
    }

    #[test]
    fn a_rare_type_scores_by_its_own_cells() {
        // 50 cells of type 0 around (1, 0.1), 2 cells of type 1 at (0, 1)
        let mut r: Vec<Vec<f32>> = (0..50).map(|i| unit(&[1.0, 0.1 + i as f32 * 0.01])).collect();
        r.push(unit(&[0.0, 1.0]));
        r.push(unit(&[0.05, 1.0]));
        let labels: Vec<u32> = (0..52).map(|i| (i >= 50) as u32).collect();
        // a cell near the two rare cells: its 10 nearest are mostly type 0,
        // but its type-1 score is the higher
        let q = rows(&[unit(&[0.02, 1.0]), unit(&[1.0, 0.3])]);
        let s = type_scores(q.view(), rows(&r).view(), &labels, 10).unwrap();
        assert_eq!(s.dim(), (2, 2));
        assert!(s[[0, 1]] > 0.99 && s[[0, 1]] > s[[0, 0]] + 0.3, "{s:?}");
        assert!(s[[1, 0]] > s[[1, 1]]);
        // scores are cosines: one cell equal to a reference row of a type of one
        let one = type_scores(rows(&r[50..51]).view(), rows(&r[50..51]).view(), &[0], 3).unwrap();
        assert!((one[[0, 0]] - 1.0).abs() < 1e-6);
    }
}
