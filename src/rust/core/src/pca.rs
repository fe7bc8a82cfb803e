//! Principal components of the scaled matrix (cells x kept genes): the
//! no-training baseline that the contrastive embedding must beat, and the
//! space in which each cell's nearest neighbours are found
//! ([`crate::neighbours`]).
//!
//! The covariance of the genes is formed once (genes x genes, small for the
//! few hundred kept genes), and its leading eigenvectors are found by
//! subspace iteration with a Rayleigh-Ritz step solved by Jacobi rotations.
//! Everything is deterministic: the start block is seeded, products are
//! summed in a fixed order, so any thread count gives the same bits.

use crate::error::{Error, Result};
use crate::rng::{stream, Purpose};
use ndarray::{s, Array1, Array2, ArrayView2, Axis};
use rand::Rng as _;
use rayon::prelude::*;

/// Cells used to fit the components; above this a seeded subsample fits
/// them (the covariance of 50,000 cells is as good as that of a million for
/// 50 components) and every cell is projected.
pub const MAX_FIT_CELLS: usize = 50_000;

/// The fitted components.
#[derive(Clone, Debug)]
pub struct Pca {
    /// Column means of the fitting cells (the data is scaled, so near 0).
    pub center: Array1<f32>,
    /// Genes x components, orthonormal columns, by decreasing variance.
    pub loadings: Array2<f32>,
    /// Variance along each component.
    pub variances: Vec<f64>,
}

impl Pca {
    /// Fits `n_components` components of the rows of `x` (at most
    /// [`MAX_FIT_CELLS`] of them, a subsample drawn from `seed`).
    pub fn fit(x: ArrayView2<f32>, n_components: usize, seed: u64) -> Result<Self> {
        let (n, g) = x.dim();
        if n < 2 || g == 0 {
            return Err(Error::NotEnoughData(format!("PCA needs at least 2 cells and 1 gene, got {n} x {g}")));
        }
        let c = n_components.min(g).min(n - 1).max(1);
        let rows = fit_rows(n, seed);
        let sub = rows.as_ref().map(|r| x.select(Axis(0), r));
        let fit = match &sub {
            Some(s) => s.view(),
            None => x.view(),
        };
        let center = fit.mean_axis(Axis(0)).ok_or_else(|| Error::NotEnoughData("no cells".into()))?;
        let cov = covariance(fit, &center);
        let (values, vectors) = leading_eigen(&cov, c, seed);
        Ok(Self { center, loadings: vectors.mapv(|v| v as f32), variances: values })
    }

    /// Number of components.
    pub fn n_components(&self) -> usize {
        self.loadings.ncols()
    }

    /// Scores of the rows of `x`: `(x - center) loadings`.
    pub fn project(&self, x: ArrayView2<f32>) -> Array2<f32> {
        project(x, &self.center, &self.loadings)
    }
}

/// Scores of the rows of `x` on components kept apart from their fit
/// (a batch correction's rounds, [`crate::mnn`]): `(x - center) loadings`.
pub fn project(x: ArrayView2<f32>, center: &Array1<f32>, loadings: &Array2<f32>) -> Array2<f32> {
    let mut centered = x.to_owned();
    centered.axis_iter_mut(Axis(0)).into_par_iter().for_each(|mut r| r -= center);
    centered.dot(loadings)
}

/// The seeded subsample of rows that fits the components, or `None` for all.
fn fit_rows(n: usize, seed: u64) -> Option<Vec<usize>> {
    if n <= MAX_FIT_CELLS {
        return None;
    }
    let mut rng = stream(seed, Purpose::Subsample, &[]);
    let mut idx: Vec<usize> = (0..n).collect();
    for i in 0..MAX_FIT_CELLS {
        let j = rng.gen_range(i..n);
        idx.swap(i, j);
    }
    let mut rows = idx[..MAX_FIT_CELLS].to_vec();
    rows.sort_unstable();
    Some(rows)
}

/// Sample covariance (ddof = 1) of the columns, in f64: blocks of rows are
/// summed in a fixed order.
fn covariance(x: ArrayView2<f32>, center: &Array1<f32>) -> Array2<f64> {
    const BLOCK: usize = 2048;
    let (n, g) = x.dim();
    let blocks: Vec<Array2<f64>> = (0..n.div_ceil(BLOCK))
        .into_par_iter()
        .map(|b| {
            let rows = x.slice(s![b * BLOCK..((b + 1) * BLOCK).min(n), ..]);
            let centered = (&rows - center).mapv(f64::from);
            centered.t().dot(&centered)
        })
        .collect();
    let mut cov = Array2::<f64>::zeros((g, g));
    for b in &blocks {
        cov += b;
    }
    cov / (n as f64 - 1.0)
}

/// The `c` largest eigenpairs of the symmetric `a`, by subspace iteration
/// on a block of `2c + 10` seeded vectors (the oversampling makes each
/// iteration shrink the error by the ratio of the `2c + 11`-th to the
/// `c`-th eigenvalue), with a Rayleigh-Ritz step every few iterations,
/// until the leading `c` Ritz values settle to 1e-8. The block is kept as
/// rows, so every vector is contiguous.
fn leading_eigen(a: &Array2<f64>, c: usize, seed: u64) -> (Vec<f64>, Array2<f64>) {
    const RITZ_EVERY: usize = 4;
    let g = a.nrows();
    let width = (2 * c + 10).min(g);
    let mut rng = stream(seed, Purpose::Subsample, &[1]);
    let mut qt = Array2::from_shape_fn((width, g), |_| rng.gen::<f64>() - 0.5);
    orthonormalize_rows(&mut qt);
    let mut previous = vec![f64::INFINITY; c];
    let mut vals = Vec::new();
    for it in 0..400 {
        // a is symmetric: the rows of qt a are a times the block's vectors.
        qt = qt.dot(a);
        orthonormalize_rows(&mut qt);
        if it % RITZ_EVERY != RITZ_EVERY - 1 {
            continue;
        }
        let small = qt.dot(a).dot(&qt.t());
        let (v, vecs) = jacobi_eigen(small);
        qt = vecs.t().dot(&qt);
        let scale = v[0].abs().max(1e-300);
        let done = v.iter().zip(&previous).take(c).all(|(x, p)| (x - p).abs() <= 1e-8 * scale);
        previous = v[..c].to_vec();
        vals = v;
        if done {
            break;
        }
    }
    let mut vecs = qt.slice(s![..c, ..]).t().to_owned();
    // A sign convention, so runs compare: each component's largest loading
    // is positive.
    for mut col in vecs.axis_iter_mut(Axis(1)) {
        let big = col.iter().fold(0.0f64, |m, &v| if v.abs() > m.abs() { v } else { m });
        if big < 0.0 {
            col.mapv_inplace(|v| -v);
        }
    }
    (vals[..c].to_vec(), vecs)
}

/// Modified Gram-Schmidt on the rows, twice (enough for orthogonality to
/// working precision). A row that vanishes is left as zeros.
fn orthonormalize_rows(q: &mut Array2<f64>) {
    let g = q.ncols();
    let flat = q.as_slice_mut().expect("a fresh array is contiguous");
    for _ in 0..2 {
        for j in 0..flat.len() / g {
            let (done, rest) = flat.split_at_mut(j * g);
            let row = &mut rest[..g];
            for prev in done.chunks_exact(g) {
                let d: f64 = prev.iter().zip(row.iter()).map(|(a, b)| a * b).sum();
                row.iter_mut().zip(prev).for_each(|(r, p)| *r -= d * p);
            }
            let norm = row.iter().map(|v| v * v).sum::<f64>().sqrt();
            let inv = if norm > 1e-300 { 1.0 / norm } else { 0.0 };
            row.iter_mut().for_each(|v| *v *= inv);
        }
    }
}

/// All eigenpairs of a small symmetric matrix by cyclic Jacobi rotations,
/// sorted by decreasing eigenvalue (vectors as columns). Subspace iteration
/// hands it nearly diagonal matrices, so a sweep or two usually suffices.
fn jacobi_eigen(a: Array2<f64>) -> (Vec<f64>, Array2<f64>) {
    let n = a.nrows();
    let mut m: Vec<f64> = a.iter().copied().collect();
    let mut v = vec![0.0f64; n * n];
    (0..n).for_each(|i| v[i * n + i] = 1.0);
    for _sweep in 0..60 {
        let diag: f64 = (0..n).map(|i| m[i * n + i].powi(2)).sum();
        let off: f64 = (0..n).map(|i| (0..n).filter(|&j| j != i).map(|j| m[i * n + j].powi(2)).sum::<f64>()).sum();
        if off <= 1e-22 * diag.max(1e-300) {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                let apq = m[p * n + q];
                if apq.abs() <= 1e-300 || apq.abs() < 1e-18 * (m[p * n + p].abs() + m[q * n + q].abs()) {
                    continue;
                }
                let theta = (m[q * n + q] - m[p * n + p]) / (2.0 * apq);
                let t = if theta == 0.0 { 1.0 } else { theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt()) };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                // columns p and q, then rows p and q (the matrix stays symmetric)
                for k in 0..n {
                    let (akp, akq) = (m[k * n + p], m[k * n + q]);
                    m[k * n + p] = c * akp - s * akq;
                    m[k * n + q] = s * akp + c * akq;
                }
                let (rp, rq) = (p * n, q * n);
                for k in 0..n {
                    let (apk, aqk) = (m[rp + k], m[rq + k]);
                    m[rp + k] = c * apk - s * aqk;
                    m[rq + k] = s * apk + c * aqk;
                }
                for k in 0..n {
                    let (vkp, vkq) = (v[k * n + p], v[k * n + q]);
                    v[k * n + p] = c * vkp - s * vkq;
                    v[k * n + q] = s * vkp + c * vkq;
                }
            }
        }
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&i, &j| m[j * n + j].total_cmp(&m[i * n + i]));
    let vals = order.iter().map(|&i| m[i * n + i]).collect();
    let vecs = Array2::from_shape_fn((n, n), |(k, j)| v[k * n + order[j]]);
    (vals, vecs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jacobi_diagonalises_a_symmetric_matrix() {
        let a = ndarray::arr2(&[[4.0, 1.0, 0.5], [1.0, 3.0, 0.2], [0.5, 0.2, 1.0]]);
        let (vals, vecs) = jacobi_eigen(a.clone());
        assert!(vals.windows(2).all(|w| w[0] >= w[1]));
        let back = vecs.dot(&Array2::from_diag(&Array1::from(vals))).dot(&vecs.t());
        assert!(back.iter().zip(a.iter()).all(|(x, y)| (x - y).abs() < 1e-10));
    }

    #[test]
    fn components_are_the_covariance_eigenvectors() {
        // 300 cells on three directions with variances 9, 4, 1 plus noise.
        let mut rng = stream(7, Purpose::Init, &[]);
        let mut x = Array2::<f32>::zeros((300, 12));
        for mut row in x.axis_iter_mut(Axis(0)) {
            let a: f32 = (rng.gen::<f32>() - 0.5) * 3.0 * 3.46;
            let b: f32 = (rng.gen::<f32>() - 0.5) * 2.0 * 3.46;
            let c: f32 = (rng.gen::<f32>() - 0.5) * 3.46;
            for (j, v) in row.iter_mut().enumerate() {
                *v = match j % 3 { 0 => a, 1 => b, _ => c } / 2.0 + (rng.gen::<f32>() - 0.5) * 0.01;
            }
        }
        let p = Pca::fit(x.view(), 3, 1).unwrap();
        let cov = covariance(x.view(), &p.center);
        for k in 0..3 {
            let w = p.loadings.column(k).mapv(f64::from);
            let cw = cov.dot(&w);
            let lambda = p.variances[k];
            assert!(cw.iter().zip(w.iter()).all(|(a, b)| (a - lambda * b).abs() < 1e-4 * lambda), "component {k}");
        }
        assert!(p.variances[0] > p.variances[1] && p.variances[1] > p.variances[2]);
        // scores' variance is the component's variance
        let scores = p.project(x.view());
        let var0 = scores.column(0).mapv(f64::from).var(1.0);
        assert!((var0 - p.variances[0]).abs() < 1e-3 * p.variances[0]);
    }
}
