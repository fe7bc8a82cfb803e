//! A mini-batch after input dropout, stored sparse. With p = 0.9 only one gene
//! in ten survives, so the first layer's product and its weight gradient
//! touch a tenth of the entries a dense product would.
//!
//! Dropout is inverted: each gene is kept with probability `1 - p` and scaled
//! by `1 / (1 - p)`; a dropped (z-scored) gene is 0, its mean.

use crate::rng::Rng;
use ndarray::{Array1, Array2, ArrayView2, Axis};
use rand::Rng as _;
use rayon::prelude::*;

/// The kept entries of a batch, by row (CSR) and by column (CSC).
#[derive(Clone, Debug)]
pub struct SparseBatch {
    /// Rows of the batch.
    pub n_rows: usize,
    /// Genes.
    pub n_cols: usize,
    row_ptr: Vec<usize>,
    row_col: Vec<u32>,
    row_val: Vec<f32>,
    col_ptr: Vec<usize>,
    col_row: Vec<u32>,
    col_val: Vec<f32>,
}

impl SparseBatch {
    /// Applies a given keep-mask (`true` = kept) to dense rows; for parity
    /// tests that replay another implementation's masks.
    pub fn from_mask(x: ArrayView2<f32>, keep: ArrayView2<bool>, dropout: f64) -> Self {
        let scale = (1.0 / (1.0 - dropout)) as f32;
        let kept: Vec<Vec<u32>> = keep.outer_iter().map(|r| (0..r.len() as u32).filter(|&j| r[j as usize]).collect()).collect();
        Self::build(x, &kept, scale)
    }

    /// Draws the mask: per row, the gaps between kept genes are geometric, so
    /// the cost is proportional to the kept entries, not to all genes. Each
    /// row has its own stream, `rng_for(row)`.
    pub fn sample<F>(x: ArrayView2<f32>, dropout: f64, rng_for: F) -> Self
    where
        F: Fn(usize) -> Rng + Sync,
    {
        let n_cols = x.ncols();
        let keep_p = 1.0 - dropout;
        let kept: Vec<Vec<u32>> = (0..x.nrows())
            .into_par_iter()
            .map(|r| {
                if keep_p >= 1.0 {
                    return (0..n_cols as u32).collect();
                }
                let mut rng = rng_for(r);
                let log_q = (1.0 - keep_p).ln();
                let mut out = Vec::with_capacity((n_cols as f64 * keep_p * 1.5) as usize + 4);
                let mut j: f64 = -1.0;
                loop {
                    // P(gap = k) = (1 - keep_p)^k keep_p, k >= 0
                    let u: f64 = 1.0 - rng.gen::<f64>();
                    j += 1.0 + (u.ln() / log_q).floor();
                    if j >= n_cols as f64 {
                        break;
                    }
                    out.push(j as u32);
                }
                out
            })
            .collect();
        Self::build(x, &kept, (1.0 / keep_p) as f32)
    }

    fn build(x: ArrayView2<f32>, kept: &[Vec<u32>], scale: f32) -> Self {
        let (n_rows, n_cols) = x.dim();
        let mut row_ptr = Vec::with_capacity(n_rows + 1);
        row_ptr.push(0);
        let nnz: usize = kept.iter().map(Vec::len).sum();
        let (mut row_col, mut row_val) = (Vec::with_capacity(nnz), Vec::with_capacity(nnz));
        let mut col_count = vec![0usize; n_cols + 1];
        for (r, cols) in kept.iter().enumerate() {
            for &j in cols {
                row_col.push(j);
                row_val.push(x[[r, j as usize]] * scale);
                col_count[j as usize + 1] += 1;
            }
            row_ptr.push(row_col.len());
        }
        for j in 0..n_cols {
            col_count[j + 1] += col_count[j];
        }
        let col_ptr = col_count.clone();
        let mut next = col_count;
        let (mut col_row, mut col_val) = (vec![0u32; nnz], vec![0f32; nnz]);
        for r in 0..n_rows {
            for k in row_ptr[r]..row_ptr[r + 1] {
                let j = row_col[k] as usize;
                col_row[next[j]] = r as u32;
                col_val[next[j]] = row_val[k];
                next[j] += 1;
            }
        }
        Self { n_rows, n_cols, row_ptr, row_col, row_val, col_ptr, col_row, col_val }
    }

    /// The kept entries by row: `(row_ptr, columns, values)`, values already
    /// scaled (for backends that rebuild the batch elsewhere, e.g. on a GPU).
    pub fn csr(&self) -> (&[usize], &[u32], &[f32]) {
        (&self.row_ptr, &self.row_col, &self.row_val)
    }

    /// Number of kept entries.
    pub fn nnz(&self) -> usize {
        self.row_val.len()
    }

    /// The batch as a dense matrix (tests).
    pub fn to_dense(&self) -> Array2<f32> {
        let mut d = Array2::zeros((self.n_rows, self.n_cols));
        for r in 0..self.n_rows {
            for k in self.row_ptr[r]..self.row_ptr[r + 1] {
                d[[r, self.row_col[k] as usize]] = self.row_val[k];
            }
        }
        d
    }

    /// `x W + b`, parallel over rows.
    pub fn matmul_add(&self, w: ArrayView2<f32>, b: &Array1<f32>) -> Array2<f32> {
        let m = w.ncols();
        let w = w.as_standard_layout();
        let w = w.as_slice().expect("standard layout");
        let mut y = Array2::<f32>::zeros((self.n_rows, m));
        y.axis_iter_mut(Axis(0)).into_par_iter().enumerate().for_each(|(r, mut out)| {
            out.assign(b);
            let o = out.as_slice_mut().expect("rows of a standard array are contiguous");
            for k in self.row_ptr[r]..self.row_ptr[r + 1] {
                let v = self.row_val[k];
                let j = self.row_col[k] as usize;
                super::kernels::axpy(o, v, &w[j * m..(j + 1) * m]);
            }
        });
        y
    }

    /// `x^T dy`: the weight gradient, parallel over genes.
    pub fn t_matmul(&self, dy: ArrayView2<f32>) -> Array2<f32> {
        let m = dy.ncols();
        let dy = dy.as_standard_layout();
        let dy = dy.as_slice().expect("standard layout");
        let mut g = Array2::<f32>::zeros((self.n_cols, m));
        g.axis_iter_mut(Axis(0)).into_par_iter().enumerate().for_each(|(j, mut out)| {
            let o = out.as_slice_mut().expect("rows of a standard array are contiguous");
            for k in self.col_ptr[j]..self.col_ptr[j + 1] {
                let v = self.col_val[k];
                let r = self.col_row[k] as usize;
                super::kernels::axpy(o, v, &dy[r * m..(r + 1) * m]);
            }
        });
        g
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{stream, Purpose};

    #[test]
    fn sparse_products_match_dense_ones() {
        let x = Array2::from_shape_fn((7, 30), |(i, j)| ((i * 31 + j * 7) % 11) as f32 - 5.0);
        let b = SparseBatch::sample(x.view(), 0.7, |r| stream(3, Purpose::Dropout, &[r as u64]));
        let d = b.to_dense();
        let w = Array2::from_shape_fn((30, 4), |(i, j)| (i as f32 - j as f32) / 10.0);
        let bias = Array1::from_vec(vec![0.5, -1.0, 0.0, 2.0]);
        let y = b.matmul_add(w.view(), &bias);
        let want = d.dot(&w) + &bias;
        assert!(y.iter().zip(want.iter()).all(|(a, b)| (a - b).abs() < 1e-4));
        let dy = Array2::from_shape_fn((7, 4), |(i, j)| (i + j) as f32);
        let g = b.t_matmul(dy.view());
        let want = d.t().dot(&dy);
        assert!(g.iter().zip(want.iter()).all(|(a, b)| (a - b).abs() < 1e-3));
    }

    #[test]
    fn keep_rate_is_one_minus_p() {
        let x = Array2::<f32>::ones((200, 500));
        let b = SparseBatch::sample(x.view(), 0.9, |r| stream(1, Purpose::Dropout, &[r as u64]));
        let rate = b.nnz() as f64 / 100_000.0;
        assert!((rate - 0.1).abs() < 0.005, "keep rate {rate}");
        assert!(b.to_dense().iter().all(|&v| v == 0.0 || (v - 10.0).abs() < 1e-5));
    }
}
