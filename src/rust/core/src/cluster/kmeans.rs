//! KMeans as scikit-learn runs it: greedy k-means++ seeding with
//! `2 + floor(ln k)` candidates per centre, Lloyd iterations until the
//! squared centre shift falls below `tol` times the mean per-dimension
//! variance (or labels stop changing), `n_init` seeded restarts, the lowest
//! inertia kept (ties: the earliest restart). Each restart can also be run
//! alone ([`kmeans_restart`]), so a caller can interrupt between restarts;
//! within a restart the assignment step is parallel over fixed row chunks.
//!
//! Above [`MAX_FIT_CELLS`] rows the restarts run on a seeded subsample of
//! that many rows, and Lloyd iterations on every row start from the best
//! restart's centres (issue 14): fifty restarts on a million 60-d rows
//! would take minutes, and a subsample of 50,000 places the centres of any
//! cluster holding more than a few hundred of its cells.

use crate::error::{invalid, Result};
use crate::options::KMeansOptions;
use crate::rng::{sorted_subsample, stream, Purpose, Rng};
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

/// Rows above which the restarts run on a seeded subsample.
pub const MAX_FIT_CELLS: usize = 50_000;

/// Clusters the rows of `x` into `k` groups (restarts in parallel; above
/// [`MAX_FIT_CELLS`] rows on a subsample, then refined on every row).
pub fn kmeans(x: ArrayView2<f32>, k: usize, opts: &KMeansOptions, seed: u64) -> Result<KMeansResult> {
    let Some(rows) = sorted_subsample(x.nrows(), MAX_FIT_CELLS, &mut stream(seed, Purpose::KMeans, &[u64::MAX])) else {
        let prepared = Prepared::new(x, k, opts)?;
        let runs: Vec<KMeansResult> = (0..opts.n_init).into_par_iter().map(|r| prepared.run(seed, r)).collect();
        return Ok(best_of(runs));
    };
    let best = best_on_rows(x, &rows, k, opts, seed)?;
    let all = Prepared::new(x, k, opts)?;
    Ok(lloyd(&all.data, best.centers, all.max_iter, all.tol))
}

/// The best of the restarts run on `rows` of `x` only.
fn best_on_rows(x: ArrayView2<f32>, rows: &[usize], k: usize, opts: &KMeansOptions, seed: u64) -> Result<KMeansResult> {
    let sub = Prepared::new(x.select(Axis(0), rows).view(), k, opts)?;
    Ok(best_of((0..opts.n_init).into_par_iter().map(|r| sub.run(seed, r)).collect()))
}

/// [`kmeans`] for a caller that needs only pieces (the over-clustering
/// that `kmeans.merge` joins by average linkage): above [`MAX_FIT_CELLS`]
/// rows every row takes the nearest of the subsample's best centres, with
/// no Lloyd iterations on all of them, which at a million rows and 30
/// centres cost minutes (issue 26); up to it, [`kmeans`] itself.
pub fn kmeans_pieces(x: ArrayView2<f32>, k: usize, opts: &KMeansOptions, seed: u64) -> Result<KMeansResult> {
    let Some(rows) = sorted_subsample(x.nrows(), MAX_FIT_CELLS, &mut stream(seed, Purpose::KMeans, &[u64::MAX])) else {
        return kmeans(x, k, opts, seed);
    };
    let best = best_on_rows(x, &rows, k, opts, seed)?;
    Ok(nearest(&x.mapv(f64::from), best.centers, best.n_iter))
}

/// Restart `restart` (0-based) of [`kmeans`] alone, on every row: up to
/// [`MAX_FIT_CELLS`] rows, `kmeans` equals the [`best_of`] all restarts
/// `0..n_init` run this way.
pub fn kmeans_restart(x: ArrayView2<f32>, k: usize, opts: &KMeansOptions, seed: u64, restart: usize) -> Result<KMeansResult> {
    Ok(Prepared::new(x, k, opts)?.run(seed, restart))
}

/// The lowest inertia; ties go to the earliest run.
pub fn best_of(runs: Vec<KMeansResult>) -> KMeansResult {
    runs.into_iter().reduce(|a, b| if b.inertia < a.inertia { b } else { a }).expect("at least one restart")
}

/// Checked input in f64 and the absolute tolerance.
struct Prepared {
    data: Array2<f64>,
    k: usize,
    max_iter: usize,
    tol: f64,
}

impl Prepared {
    fn new(x: ArrayView2<f32>, k: usize, opts: &KMeansOptions) -> Result<Self> {
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
        Ok(Self { data, k, max_iter: opts.max_iter, tol: variance * opts.tol })
    }

    fn run(&self, seed: u64, restart: usize) -> KMeansResult {
        let mut rng = stream(seed, Purpose::KMeans, &[restart as u64]);
        let init = kmeans_plus_plus(&self.data, self.k, &mut rng);
        lloyd(&self.data, init, self.max_iter, self.tol)
    }
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
            let new: Vec<f64> = (0..n)
                .into_par_iter()
                .map(|i| closest[i].min(sq_dist(x.row(i).to_slice().expect("standard"), &cr)))
                .collect();
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

/// Rows per parallel chunk of the assignment step.
const ROWS: usize = 2048;

/// Nearest centre of every row and the squared distance to it.
fn assign(x: &Array2<f64>, centers: &Array2<f64>) -> Vec<(usize, f64)> {
    x.axis_chunks_iter(Axis(0), ROWS)
        .into_par_iter()
        .flat_map_iter(|rows| {
            rows.outer_iter()
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
                .collect::<Vec<_>>()
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
        // An empty cluster takes the row farthest from its own centre (the
        // sort, n log n, only when one is empty).
        let mut far: Vec<usize> = Vec::new();
        if counts.contains(&0) {
            far = (0..x.nrows()).collect();
            far.sort_by(|&a, &b| assigned[b].1.total_cmp(&assigned[a].1).then(a.cmp(&b)));
        }
        let mut next_far = far.into_iter();
        let mut new_centers = Array2::<f64>::zeros((k, d));
        for (j, &n) in counts.iter().enumerate() {
            if n > 0 {
                new_centers.row_mut(j).assign(&(&sums.row(j) / n as f64));
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
    nearest(x, centers, n_iter)
}

/// Every row labelled by its nearest of `centers`, with the inertia.
fn nearest(x: &Array2<f64>, centers: Array2<f64>, n_iter: usize) -> KMeansResult {
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
    fn restarts_one_by_one_give_the_parallel_result() {
        let x = Array2::from_shape_fn((300, 3), |(i, j)| ((i * 37 + j * 11) % 29) as f32);
        let opts = KMeansOptions::default();
        let all = kmeans(x.view(), 5, &opts, 3).unwrap();
        let one = best_of((0..opts.n_init).map(|r| kmeans_restart(x.view(), 5, &opts, 3, r).unwrap()).collect());
        assert_eq!(all.labels, one.labels);
        assert_eq!(all.inertia, one.inertia);
    }

    #[test]
    fn large_inputs_fit_on_a_subsample_and_label_every_row() {
        // four well separated blobs, one of them 5% of the rows
        let n = MAX_FIT_CELLS + 10_000;
        let blob = |i: usize| if i % 20 == 0 { 3 } else { i % 3 };
        let x = Array2::from_shape_fn((n, 3), |(i, j)| (blob(i) * 10 + j) as f32 + ((i * 7919 + j * 104_729) % 1000) as f32 / 1000.0);
        let opts = KMeansOptions { n_init: 4, ..Default::default() };
        let r = kmeans(x.view(), 4, &opts, 1).unwrap();
        assert_eq!(r.labels.len(), n);
        let truth: Vec<i32> = (0..n).map(|i| blob(i) as i32).collect();
        let pred: Vec<i32> = r.labels.iter().map(|&l| l as i32).collect();
        assert!(crate::metrics::adjusted_rand_index(&truth, &pred).unwrap() > 0.999);
        assert_eq!(kmeans(x.view(), 4, &opts, 1).unwrap().labels, r.labels);
        // pieces: the same centres from the subsample, each row at its
        // nearest, no Lloyd on all rows; here as good as refined
        let p = kmeans_pieces(x.view(), 4, &opts, 1).unwrap();
        let pred: Vec<i32> = p.labels.iter().map(|&l| l as i32).collect();
        assert!(crate::metrics::adjusted_rand_index(&truth, &pred).unwrap() > 0.999);
        assert!(p.inertia >= r.inertia * (1.0 - 1e-9), "refined {} vs pieces {}", r.inertia, p.inertia);
        // up to MAX_FIT_CELLS rows it is kmeans itself
        let small = x.slice(ndarray::s![..2_000, ..]);
        assert_eq!(kmeans_pieces(small, 4, &opts, 1).unwrap().labels, kmeans(small, 4, &opts, 1).unwrap().labels);
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
