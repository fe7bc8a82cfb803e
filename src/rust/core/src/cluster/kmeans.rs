//! KMeans as scikit-learn runs it: greedy k-means++ seeding with
//! `2 + floor(ln k)` candidates per centre, Lloyd iterations until the
//! squared centre shift falls below `tol` times the mean per-dimension
//! variance (or labels stop changing), `n_init` seeded restarts run in
//! parallel, the lowest inertia kept (ties: the earliest restart).

use crate::error::{invalid, Result};
use crate::options::KMeansOptions;
use crate::rng::{stream, Purpose, Rng};
use ndarray::{Array2, ArrayView2, Axis};
use rand::Rng as _;
use rayon::prelude::*;

/// A partition of the rows into `k` clusters.
#[derive(Clone, Debug)]
pub struct KMeansResult {
    /// Cluster of each row, `0..k`.
    pub labels: Vec<usize>,
    /// `k x d` centres.
    pub centers: Array2<f64>,
    /// Sum of squared distances to the assigned centres.
    pub inertia: f64,
    /// Lloyd iterations of the kept restart.
    pub n_iter: usize,
}

/// Clusters the rows of `x` into `k` groups.
pub fn kmeans(x: ArrayView2<f32>, k: usize, opts: &KMeansOptions, seed: u64) -> Result<KMeansResult> {
    opts.validate()?;
    let n = x.nrows();
    if k < 1 || k > n {
        return Err(invalid("k", format!("must be between 1 and the number of cells ({n}), got {k}")));
    }
    if x.iter().any(|v| !v.is_finite()) {
        return Err(invalid("x", "contains non-finite values"));
    }
    let data = x.mapv(f64::from);
    let variance = data.var_axis(Axis(0), 0.0).mean().unwrap_or(0.0);
    let tol = variance * opts.tol;
    let runs: Vec<KMeansResult> = (0..opts.n_init)
        .into_par_iter()
        .map(|r| {
            let mut rng = stream(seed, Purpose::KMeans, &[r as u64]);
            let init = kmeans_plus_plus(&data, k, &mut rng);
            lloyd(&data, init, opts.max_iter, tol)
        })
        .collect();
    let best = runs
        .into_iter()
        .reduce(|a, b| if b.inertia < a.inertia { b } else { a })
        .expect("n_init >= 1 restarts ran");
    Ok(best)
}

fn sq_dist(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum()
}

/// Greedy k-means++ (scikit-learn's `_kmeans_plusplus`).
fn kmeans_plus_plus(x: &Array2<f64>, k: usize, rng: &mut Rng) -> Array2<f64> {
    let n = x.nrows();
    let row = |i: usize| x.row(i).to_slice().expect("standard layout").to_vec();
    let trials = 2 + (k as f64).ln().floor() as usize;
    let mut centers = Array2::zeros((k, x.ncols()));
    let first = rng.gen_range(0..n);
    centers.row_mut(0).assign(&x.row(first));
    let c0 = row(first);
    let mut closest: Vec<f64> = (0..n).map(|i| sq_dist(x.row(i).to_slice().expect("standard"), &c0)).collect();
    let mut pot: f64 = closest.iter().sum();
    for c in 1..k {
        let mut cum = Vec::with_capacity(n);
        let mut acc = 0.0;
        for d in &closest {
            acc += d;
            cum.push(acc);
        }
        let mut best: Option<(f64, usize, Vec<f64>)> = None;
        for _ in 0..trials {
            let r = rng.gen::<f64>() * pot;
            let cand = cum.partition_point(|&v| v < r).min(n - 1);
            let cr = row(cand);
            let new: Vec<f64> =
                (0..n).map(|i| closest[i].min(sq_dist(x.row(i).to_slice().expect("standard"), &cr))).collect();
            let p: f64 = new.iter().sum();
            if best.as_ref().map_or(true, |b| p < b.0) {
                best = Some((p, cand, new));
            }
        }
        let (p, cand, new) = best.expect("at least two candidate trials");
        centers.row_mut(c).assign(&x.row(cand));
        closest = new;
        pot = p;
    }
    centers
}

/// Nearest centre of every row and the squared distance to it.
fn assign(x: &Array2<f64>, centers: &Array2<f64>) -> Vec<(usize, f64)> {
    x.outer_iter()
        .map(|r| {
            let r = r.to_slice().expect("standard layout");
            let mut best = (0, f64::INFINITY);
            for (j, c) in centers.outer_iter().enumerate() {
                let d = sq_dist(r, c.to_slice().expect("standard layout"));
                if d < best.1 {
                    best = (j, d);
                }
            }
            best
        })
        .collect()
}

fn lloyd(x: &Array2<f64>, mut centers: Array2<f64>, max_iter: usize, tol: f64) -> KMeansResult {
    let (k, d) = centers.dim();
    let mut labels: Vec<usize> = vec![usize::MAX; x.nrows()];
    let mut n_iter = 0;
    for it in 0..max_iter {
        n_iter = it + 1;
        let assigned = assign(x, &centers);
        let new_labels: Vec<usize> = assigned.iter().map(|a| a.0).collect();
        let mut sums = Array2::<f64>::zeros((k, d));
        let mut counts = vec![0usize; k];
        for (r, &l) in x.outer_iter().zip(&new_labels) {
            let mut s = sums.row_mut(l);
            s += &r;
            counts[l] += 1;
        }
        // An empty cluster takes the row farthest from its own centre.
        let mut far: Vec<usize> = (0..x.nrows()).collect();
        far.sort_by(|&a, &b| assigned[b].1.total_cmp(&assigned[a].1).then(a.cmp(&b)));
        let mut next_far = far.into_iter();
        let mut new_centers = Array2::<f64>::zeros((k, d));
        for j in 0..k {
            if counts[j] > 0 {
                new_centers.row_mut(j).assign(&(&sums.row(j) / counts[j] as f64));
            } else if let Some(i) = next_far.next() {
                new_centers.row_mut(j).assign(&x.row(i));
            }
        }
        let shift: f64 = (&new_centers - &centers).iter().map(|v| v * v).sum();
        centers = new_centers;
        let unchanged = new_labels == labels;
        labels = new_labels;
        if unchanged || shift <= tol {
            break;
        }
    }
    let assigned = assign(x, &centers);
    let labels = assigned.iter().map(|a| a.0).collect();
    let inertia = assigned.iter().map(|a| a.1).sum();
    KMeansResult { labels, centers, inertia, n_iter }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blobs() -> Array2<f32> {
        Array2::from_shape_fn((90, 2), |(i, j)| {
            let c = (i / 30) as f32 * 10.0;
            c + ((i * 7 + j * 13) % 10) as f32 / 10.0
        })
    }

    #[test]
    fn separates_blobs_and_is_seeded() {
        let x = blobs();
        let a = kmeans(x.view(), 3, &Default::default(), 7).unwrap();
        for b in 0..3 {
            let l = a.labels[b * 30];
            assert!(a.labels[b * 30..(b + 1) * 30].iter().all(|&v| v == l));
        }
        let b = kmeans(x.view(), 3, &Default::default(), 7).unwrap();
        assert_eq!(a.labels, b.labels);
    }

    #[test]
    fn k_out_of_range_names_k() {
        let x = blobs();
        assert!(kmeans(x.view(), 91, &Default::default(), 0).unwrap_err().to_string().starts_with("'k'"));
    }

    #[test]
    fn k_equal_to_n_gives_singletons() {
        let x = Array2::from_shape_fn((5, 1), |(i, _)| i as f32);
        let r = kmeans(x.view(), 5, &Default::default(), 0).unwrap();
        let mut l = r.labels.clone();
        l.sort_unstable();
        assert_eq!(l, vec![0, 1, 2, 3, 4]);
        assert_eq!(r.inertia, 0.0);
    }
}
