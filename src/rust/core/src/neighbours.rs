//! Each cell's nearest neighbours (Euclidean) among the rows of a small
//! dense matrix, typically the cells' principal components: the positives
//! of neighbour-contrastive training ([`crate::train`]).
//!
//! Up to [`EXACT_MAX`] rows the search is exact: distances come from
//! blocked products `|a|^2 + |b|^2 - 2 a.b`. Above, the rows are first cut
//! into leaves of at most [`LEAF`] rows by a k-d tree (each node split at
//! the median of its widest coordinate) and searched exactly within their
//! leaf, so the cost grows as n log n, not n^2; a cell near a cut may miss
//! some neighbours across it, which a positive drawn from ten neighbours
//! does not notice. Each list is sorted by distance with ties broken by
//! index, so results do not depend on the thread count.

use crate::error::{Error, Result};
use ndarray::{s, ArrayView2, Axis};
use rayon::prelude::*;

/// Rows up to which the search is exact.
pub const EXACT_MAX: usize = 30_000;
/// Largest leaf of the k-d tree above [`EXACT_MAX`].
pub const LEAF: usize = 2_048;

/// The `k` nearest rows of every row (itself first), row-major.
#[derive(Clone, Debug, PartialEq)]
pub struct Neighbours {
    /// Neighbours per row, the row itself included.
    pub k: usize,
    /// `k` indices per row.
    pub index: Vec<u32>,
}

impl Neighbours {
    /// The `k` nearest rows of `x` (the row itself counts as one): exact up
    /// to [`EXACT_MAX`] rows, within k-d tree leaves above.
    pub fn find(x: ArrayView2<f32>, k: usize) -> Result<Self> {
        if x.nrows() <= EXACT_MAX {
            return Self::exact(x, k);
        }
        let k = k.clamp(1, LEAF / 2);
        let mut leaves = Vec::new();
        split((0..x.nrows()).collect(), x, &mut leaves);
        let found: Vec<(Vec<usize>, Neighbours)> = leaves
            .into_par_iter()
            .map(|rows| {
                let nb = Self::exact(x.select(Axis(0), &rows).view(), k)?;
                Ok((rows, nb))
            })
            .collect::<Result<_>>()?;
        let mut index = vec![0u32; x.nrows() * k];
        for (rows, nb) in &found {
            for (local, &row) in rows.iter().enumerate() {
                let out = &mut index[row * k..(row + 1) * k];
                for (o, &j) in out.iter_mut().zip(nb.of(local)) {
                    *o = rows[j as usize] as u32;
                }
                // a leaf smaller than k repeats its nearest rows
                for i in nb.k..k {
                    out[i] = out[i % nb.k];
                }
            }
        }
        Ok(Self { k, index })
    }

    /// Exact `k` nearest rows of `x` (the row itself counts as one).
    pub fn exact(x: ArrayView2<f32>, k: usize) -> Result<Self> {
        let n = x.nrows();
        if k == 0 || n == 0 {
            return Err(Error::NotEnoughData(format!("neighbours need k >= 1 and cells, got k = {k}, {n} cells")));
        }
        let k = k.min(n);
        let norms: Vec<f32> = x.axis_iter(Axis(0)).map(|r| r.dot(&r)).collect();
        const BLOCK: usize = 256;
        let index: Vec<u32> = (0..n.div_ceil(BLOCK))
            .into_par_iter()
            .flat_map_iter(|b| {
                let lo = b * BLOCK;
                let hi = ((b + 1) * BLOCK).min(n);
                let dots = x.slice(s![lo..hi, ..]).dot(&x.t());
                let norms = &norms;
                (lo..hi).flat_map(move |i| {
                    let row = dots.row(i - lo);
                    let d: Vec<(f32, u32)> =
                        (0..n).map(|j| (if j == i { f32::NEG_INFINITY } else { norms[i] + norms[j] - 2.0 * row[j] }, j as u32)).collect();
                    nearest(d, k)
                })
            })
            .collect();
        Ok(Self { k, index })
    }

    /// The `k` nearest rows of `reference` to each row of `query` (exact),
    /// row-major: the search across batches ([`crate::mnn`]).
    pub fn between(query: ArrayView2<f32>, reference: ArrayView2<f32>, k: usize) -> Result<Self> {
        let n = reference.nrows();
        if k == 0 || n == 0 || query.nrows() == 0 {
            return Err(Error::NotEnoughData(format!("neighbours need k >= 1 and cells, got k = {k}, {n} cells")));
        }
        let k = k.min(n);
        let norms: Vec<f32> = reference.axis_iter(Axis(0)).map(|r| r.dot(&r)).collect();
        const BLOCK: usize = 256;
        let index: Vec<u32> = (0..query.nrows().div_ceil(BLOCK))
            .into_par_iter()
            .flat_map_iter(|b| {
                let lo = b * BLOCK;
                let hi = ((b + 1) * BLOCK).min(query.nrows());
                let dots = query.slice(s![lo..hi, ..]).dot(&reference.t());
                let norms = &norms;
                (lo..hi).flat_map(move |i| {
                    let row = dots.row(i - lo);
                    // |a|^2 is the same for every candidate: left out
                    let d: Vec<(f32, u32)> = (0..n).map(|j| (norms[j] - 2.0 * row[j], j as u32)).collect();
                    nearest(d, k)
                })
            })
            .collect();
        Ok(Self { k, index })
    }

    /// The neighbours of row `i`, itself first.
    pub fn of(&self, i: usize) -> &[u32] {
        &self.index[i * self.k..(i + 1) * self.k]
    }
}

/// The indices of the `k` smallest distances, nearest first, ties broken by
/// index.
fn nearest(mut d: Vec<(f32, u32)>, k: usize) -> Vec<u32> {
    let cmp = |a: &(f32, u32), b: &(f32, u32)| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1));
    if k < d.len() {
        d.select_nth_unstable_by(k - 1, cmp);
        d.truncate(k);
    }
    d.sort_unstable_by(cmp);
    d.into_iter().map(|(_, j)| j).collect()
}

/// Cuts `rows` at the median of their widest coordinate until each part
/// has at most [`LEAF`] rows.
fn split(mut rows: Vec<usize>, x: ArrayView2<f32>, leaves: &mut Vec<Vec<usize>>) {
    if rows.len() <= LEAF {
        leaves.push(rows);
        return;
    }
    let widest = (0..x.ncols())
        .map(|c| {
            let (lo, hi) = rows.iter().fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), &r| (lo.min(x[[r, c]]), hi.max(x[[r, c]])));
            (hi - lo, c)
        })
        .fold((f32::NEG_INFINITY, 0), |a, b| if b.0 > a.0 { b } else { a })
        .1;
    let mid = rows.len() / 2;
    rows.select_nth_unstable_by(mid, |&a, &b| x[[a, widest]].total_cmp(&x[[b, widest]]).then(a.cmp(&b)));
    let right = rows.split_off(mid);
    split(rows, x, leaves);
    split(right, x, leaves);
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array2;

    #[test]
    fn neighbours_match_brute_force() {
        let x = Array2::from_shape_fn((700, 5), |(i, j)| (((i * 37 + j * 11) % 101) as f32).sin() * (j + 1) as f32);
        let nb = Neighbours::exact(x.view(), 6).unwrap();
        for i in [0usize, 13, 699] {
            let mut d: Vec<(f64, usize)> = (0..700)
                .map(|j| (x.row(i).iter().zip(x.row(j)).map(|(a, b)| ((a - b) as f64).powi(2)).sum::<f64>(), j))
                .collect();
            d.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            assert_eq!(nb.of(i)[0], i as u32);
            let want: Vec<u32> = d.iter().filter(|p| p.1 != i).take(5).map(|p| p.1 as u32).collect();
            assert_eq!(&nb.of(i)[1..], &want[..], "row {i}");
        }
    }

    #[test]
    fn leaves_find_most_true_neighbours_of_large_inputs() {
        // 40,000 rows on a 2-d grid with jitter: above EXACT_MAX.
        let x = Array2::from_shape_fn((40_000, 2), |(i, j)| if j == 0 { (i % 200) as f32 } else { (i / 200) as f32 + 0.01 * (i % 7) as f32 });
        let nb = Neighbours::find(x.view(), 5).unwrap();
        assert_eq!(nb.index.len(), 40_000 * 5);
        let mut good = 0;
        for i in (0..40_000).step_by(97) {
            assert_eq!(nb.of(i)[0], i as u32);
            let far = nb.of(i)[1..].iter().filter(|&&j| {
                let d: f32 = (0..2).map(|c| (x[[i, c]] - x[[j as usize, c]]).powi(2)).sum();
                d > 2.1
            });
            good += (far.count() == 0) as usize;
        }
        assert!(good as f64 > 0.9 * (40_000 / 97) as f64, "{good}");
    }
}
