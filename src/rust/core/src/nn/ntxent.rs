//! NT-Xent (SimCLR; SupCon without labels) over `2B` L2-normalised rows:
//! rows `0..B` are view 1, rows `B..2B` view 2, and row `i`'s positive is the
//! other view of the same cell. With `s_ij = e_i . e_j / tau`,
//! `l_i = -s_{i,p(i)} + log sum_{j in D(i)} exp(s_ij)`, loss = mean of
//! `l_i`, where the denominator `D(i)` is every row but `i` (the published
//! loss) or, with a [`PairMask`], every row but `i` and those the mask
//! leaves out of it (false negatives), `p(i)` always kept.

use super::PairMask;
use ndarray::{Array2, ArrayView2, Axis};
use rayon::prelude::*;

/// The published loss and its gradient with respect to `e`.
pub fn nt_xent(e: ArrayView2<f32>, temperature: f64) -> (f64, Array2<f32>) {
    nt_xent_masked(e, temperature, None)
}

/// The loss with `excluded` pairs out of the denominators (`None`: the
/// published loss), and its gradient with respect to `e`.
pub fn nt_xent_masked(e: ArrayView2<f32>, temperature: f64, excluded: Option<&PairMask>) -> (f64, Array2<f32>) {
    let n = e.nrows();
    let half = n / 2;
    assert!(excluded.map_or(true, |m| m.rows() == n), "a pair mask of {} rows for {n} rows", excluded.map_or(0, PairMask::rows));
    let inv_t = (1.0 / temperature) as f32;
    let mut s = e.dot(&e.t());
    s.mapv_inplace(|v| v * inv_t);
    // Row i of `g` becomes dL/ds_i. = (softmax_i - onehot(p(i))) / n, 0 on the
    // diagonal and on excluded pairs.
    let losses: Vec<f64> = s
        .axis_iter_mut(Axis(0))
        .into_par_iter()
        .enumerate()
        .map(|(i, mut row)| {
            let row = row.as_slice_mut().expect("rows of a fresh array are contiguous");
            let p = if i < half { i + half } else { i - half };
            let positive_s = row[p];
            row[i] = f32::NEG_INFINITY;
            if let Some(m) = excluded {
                for (v, &out) in row.iter_mut().zip(m.row(i)) {
                    if out {
                        *v = f32::NEG_INFINITY;
                    }
                }
                row[p] = positive_s;
            }
            let max = row.iter().fold(f32::NEG_INFINITY, |a, &b| a.max(b));
            let positive = (row[p] - max) as f64;
            // exp(-inf) is 0: the diagonal and excluded pairs drop out
            row.iter_mut().for_each(|v| *v = (*v - max).exp());
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

#[cfg(test)]
mod tests {
    use super::*;

    fn rows() -> Array2<f32> {
        let z = Array2::from_shape_fn((6, 4), |(i, j)| ((i * 3 + j * 5) % 7) as f32 - 3.0 + 0.1 * i as f32);
        crate::nn::l2_normalize(z.view()).0
    }

    #[test]
    fn an_empty_mask_is_the_published_loss_bit_for_bit() {
        let e = rows();
        let (a, ga) = nt_xent(e.view(), 0.2);
        let (b, gb) = nt_xent_masked(e.view(), 0.2, Some(&PairMask::new(6)));
        assert_eq!(a, b);
        assert_eq!(ga, gb);
    }

    #[test]
    fn an_excluded_pair_leaves_the_denominator_and_its_gradient() {
        let e = rows();
        let t = 0.2;
        let mut m = PairMask::new(6);
        m.exclude(0, 1);
        // the positive pair (0, 3) stays, even when the mask names it
        m.exclude(0, 3);
        let (loss, _) = nt_xent_masked(e.view(), t, Some(&m));
        let s = |i: usize, j: usize| (e.row(i).dot(&e.row(j)) / t as f32) as f64;
        let term = |i: usize, p: usize, out: &[usize]| {
            let d: f64 = (0..6).filter(|&j| j != i && (j == p || !out.contains(&j))).map(|j| s(i, j).exp()).sum();
            -s(i, p) + d.ln()
        };
        let expected = (term(0, 3, &[1]) + term(1, 4, &[0]) + term(2, 5, &[]) + term(3, 0, &[]) + term(4, 1, &[]) + term(5, 2, &[])) / 6.0;
        assert!((loss - expected).abs() < 1e-5, "{loss} vs {expected}");
    }
}
