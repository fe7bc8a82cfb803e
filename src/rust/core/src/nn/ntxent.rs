//! NT-Xent (SimCLR; SupCon without labels) over `2B` L2-normalised rows:
//! rows `0..B` are view 1, rows `B..2B` view 2, and row `i`'s positive is the
//! other view of the same cell. With `s_ij = e_i . e_j / tau`,
//! `l_i = -s_{i,p(i)} + log sum_{j != i} exp(s_ij)`, loss = mean of `l_i`.

use ndarray::{Array2, ArrayView2, Axis};
use rayon::prelude::*;

/// The loss and its gradient with respect to `e`.
pub fn nt_xent(e: ArrayView2<f32>, temperature: f64) -> (f64, Array2<f32>) {
    let n = e.nrows();
    let half = n / 2;
    let inv_t = (1.0 / temperature) as f32;
    let mut s = e.dot(&e.t());
    s.mapv_inplace(|v| v * inv_t);
    // Row i of `g` becomes dL/ds_i. = (softmax_i - onehot(p(i))) / n, 0 on the diagonal.
    let losses: Vec<f64> = s
        .axis_iter_mut(Axis(0))
        .into_par_iter()
        .enumerate()
        .map(|(i, mut row)| {
            let row = row.as_slice_mut().expect("rows of a fresh array are contiguous");
            let p = if i < half { i + half } else { i - half };
            row[i] = f32::NEG_INFINITY;
            let max = row.iter().fold(f32::NEG_INFINITY, |a, &b| a.max(b));
            let positive = (row[p] - max) as f64;
            row.iter_mut().for_each(|v| *v = (*v - max).exp());
            row[i] = 0.0;
            let denom: f64 = row.iter().map(|&v| v as f64).sum();
            let scale = (1.0 / (denom * n as f64)) as f32;
            row.iter_mut().for_each(|v| *v *= scale);
            row[p] -= 1.0 / n as f32;
            -positive + denom.ln()
        })
        .collect();
    let loss = losses.iter().sum::<f64>() / n as f64;
    // s_ij depends on e_i and e_j: de = (G + G^T) e / tau.
    let g = &s + &s.t();
    let mut de = g.dot(&e);
    de.mapv_inplace(|v| v * inv_t);
    (loss, de)
}
