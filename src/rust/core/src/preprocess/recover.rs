//! Counts recovered from log-normalised input (issue 12, item 5).
//!
//! Public matrices often hold only `log_b(1 + counts * s_c)`: Seurat's
//! `NormalizeData` and scanpy write base e with `s_c = 10^4 / total_c`,
//! scran's `logNormCounts` base 2 with `s_c = 1 / sizeFactor_c`, many papers
//! log2 counts per million. Undoing the log gives `counts * s_c`, and a
//! cell's smallest non-zero value is then `s_c` (one count: almost every cell
//! has a gene seen once), so dividing by it gives the counts back as whole
//! numbers. Whether that worked is checked, not assumed: for each base the
//! share of non-zero values that land within [`TOLERANCE`] of a whole number
//! is measured, and the counts are used only when the best base reaches
//! [`MIN_WHOLE_SHARE`]. Matrices that are not of this form (TPM, RPKM,
//! SCTransform residuals, imputed or batch-corrected values) give no whole
//! numbers and stay on the log-scale path.
//!
//! Recovered counts let log-scale input take the counts path (genes ranked by
//! Pearson residuals, which need counts). On the 14 shared datasets made
//! log-scale (ln per 10,000 or log2 CPM) it scored 0.824 mean ARI against
//! 0.735 and 0.677 on the log-scale path (the counts themselves 0.818;
//! `bench/results/issue12-normalized/`). Values stored in fixed steps (RPKM
//! rounded to 0.1) pass the check too and become counts of that step.

use crate::sparse::CscView;
use rayon::prelude::*;

/// The log bases tried, in order of preference on a tie.
pub const BASES: [f64; 3] = [std::f64::consts::E, 2.0, 10.0];

/// How far from a whole number a recovered count may be.
pub const TOLERANCE: f64 = 0.05;

/// The share of non-zero values that must recover as whole numbers.
pub const MIN_WHOLE_SHARE: f64 = 0.9;

/// Counts recovered from log-normalised values.
#[derive(Clone, Debug, PartialEq)]
pub struct Recovered {
    /// The log base that gave whole numbers.
    pub base: f64,
    /// Share of the non-zero values within [`TOLERANCE`] of a whole number.
    pub whole_share: f64,
    /// The counts, rounded, in the input's storage order (same pattern).
    pub values: Vec<f64>,
}

/// The counts behind `x` when it is `log_b(1 + counts * s_c)` for one of
/// [`BASES`]; `None` when no base gives whole numbers or `x` is empty (a
/// [`CscView`] holds no negative or non-finite values).
pub fn recover_counts(x: &CscView) -> Option<Recovered> {
    if x.values.is_empty() {
        return None;
    }
    let (base, whole_share) = BASES
        .iter()
        .map(|&b| (b, whole_share(x, b)))
        .fold((f64::NAN, -1.0), |best, c| if c.1 > best.1 { c } else { best });
    if whole_share < MIN_WHOLE_SHARE {
        return None;
    }
    let mut values = vec![0.0; x.values.len()];
    let ptr = x.col_ptr;
    for c in 0..x.n_cols {
        let (a, b) = (ptr[c] as usize, ptr[c + 1] as usize);
        let col = &x.values[a..b];
        if let Some(unit) = unit(col, base) {
            for (out, &v) in values[a..b].iter_mut().zip(col) {
                *out = (linear(v, base) / unit).round();
            }
        }
    }
    Some(Recovered { base, whole_share, values })
}

/// `b^v - 1`, the scaled count behind a value.
#[inline]
fn linear(v: f64, base: f64) -> f64 {
    (v * base.ln()).exp_m1()
}

/// A cell's smallest positive scaled count (one count), if any.
fn unit(col: &[f64], base: f64) -> Option<f64> {
    col.iter().filter(|&&v| v > 0.0).map(|&v| linear(v, base)).reduce(f64::min)
}

/// Share of the positive values that are whole numbers of their cell's unit.
fn whole_share(x: &CscView, base: f64) -> f64 {
    let (whole, total) = (0..x.n_cols)
        .into_par_iter()
        .map(|c| {
            let col = &x.values[x.col_ptr[c] as usize..x.col_ptr[c + 1] as usize];
            let Some(u) = unit(col, base) else { return (0usize, 0usize) };
            col.iter().filter(|&&v| v > 0.0).fold((0, 0), |(w, t), &v| {
                let r = linear(v, base) / u;
                (w + usize::from((r - r.round()).abs() <= TOLERANCE), t + 1)
            })
        })
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    if total == 0 { 0.0 } else { whole as f64 / total as f64 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sparse::CscOwned;
    use rand::{Rng, SeedableRng};

    /// 200 genes x 60 cells of counts, at least one 1 per cell.
    fn counts() -> CscOwned {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        let mut trip = Vec::new();
        for c in 0..60 {
            trip.push((0, c, 1.0));
            for g in 1..200 {
                if rng.gen::<f64>() < 0.3 {
                    trip.push((g, c, rng.gen_range(1..400) as f64));
                }
            }
        }
        CscOwned::from_triplets(200, 60, trip)
    }

    fn log_normalised(x: &CscOwned, base: f64, target: f64) -> CscOwned {
        let mut y = x.clone();
        for c in 0..y.n_cols {
            let (a, b) = (y.col_ptr[c] as usize, y.col_ptr[c + 1] as usize);
            let total: f64 = y.values[a..b].iter().sum();
            y.values[a..b].iter_mut().for_each(|v| *v = (*v * target / total).ln_1p() / base.ln());
        }
        y
    }

    #[test]
    fn counts_come_back_from_each_base_and_scaling() {
        let x = counts();
        for (base, target) in [(std::f64::consts::E, 1e4), (2.0, 1e6), (10.0, 1e4), (2.0, 1.0)] {
            let y = log_normalised(&x, base, target);
            let r = recover_counts(&y.view().unwrap()).expect("recovered");
            assert_eq!(r.base, base, "target {target}");
            assert_eq!(r.values, x.values, "base {base}, target {target}");
            assert!(r.whole_share > 0.999);
        }
    }

    #[test]
    fn float32_storage_still_recovers() {
        let x = counts();
        let mut y = log_normalised(&x, 2.0, 1e6);
        y.values.iter_mut().for_each(|v| *v = *v as f32 as f64);
        let r = recover_counts(&y.view().unwrap()).expect("recovered");
        assert_eq!(r.values, x.values);
    }

    #[test]
    fn values_that_are_not_scaled_counts_are_left_alone() {
        let x = counts();
        // log of TPM-like values: each gene scaled by its own length
        let mut y = x.clone();
        for (k, v) in y.values.iter_mut().enumerate() {
            *v = (*v * 1000.0 / (300.0 + (k % 97) as f64 * 41.0)).ln_1p();
        }
        assert_eq!(recover_counts(&y.view().unwrap()), None);
        let empty = CscOwned::from_triplets(3, 2, vec![]);
        assert_eq!(recover_counts(&empty.view().unwrap()), None);
    }
}
