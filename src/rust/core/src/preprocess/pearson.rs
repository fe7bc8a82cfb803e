//! Gene ranking by the variance of analytic Pearson residuals (Lause, Berens
//! & Kobak 2021), as scanpy's `highly_variable_genes(flavor =
//! "pearson_residuals")` computes it: under a negative binomial with
//! `theta = 100` and mean `mu = total_g * total_c / total`, the residual of a
//! count is `(x - mu) / sqrt(mu + mu^2 / theta)`, clipped to
//! `[-sqrt(cells), sqrt(cells)]`, and genes rank by its variance over cells.
//!
//! The residual matrix is dense (a zero count has residual `-mu / sd`), but
//! its sums are not: each gene's sum over all cells *as if every count were
//! zero* depends on the cells only through their totals, so it is a sum over
//! the distinct totals (few, counts being whole numbers); the stored counts
//! then add their difference from that baseline in one sparse pass.

use rayon::prelude::*;

/// The negative binomial's overdispersion (scanpy's default).
pub const THETA: f64 = 100.0;

/// The clipped residual of count `x` at mean `mu` (also the input of a
/// search candidate, `examples/search`).
#[inline]
pub fn residual(x: f64, mu: f64, clip: f64) -> f64 {
    if mu <= 0.0 {
        return 0.0;
    }
    ((x - mu) / (mu + mu * mu / THETA).sqrt()).clamp(-clip, clip)
}

/// Residuals clip at the square root of the number of cells.
pub fn clip_for(n_cells: usize) -> f64 {
    (n_cells as f64).sqrt()
}

/// Distinct cell totals and how many cells have each, ascending.
pub fn total_histogram(totals: impl Iterator<Item = f64>) -> Vec<(f64, usize)> {
    let mut t: Vec<f64> = totals.collect();
    t.sort_by(|a, b| a.total_cmp(b));
    let mut out: Vec<(f64, usize)> = Vec::new();
    for v in t {
        match out.last_mut() {
            Some((last, n)) if *last == v => *n += 1,
            _ => out.push((v, 1)),
        }
    }
    out
}

/// For each gene (its share `p` of all counts), the sum over cells of the
/// residual and of its square if all its counts were zero.
pub fn zero_sums(share: &[f64], histogram: &[(f64, usize)], clip: f64) -> (Vec<f64>, Vec<f64>) {
    share
        .par_iter()
        .map(|&p| {
            histogram.iter().fold((0.0, 0.0), |(s1, s2), &(t, n)| {
                let r = residual(0.0, p * t, clip);
                (s1 + n as f64 * r, s2 + n as f64 * r * r)
            })
        })
        .unzip()
}

/// Variance (ddof = 1) over `n` cells from the sums of the residual and of
/// its square; the ranking is the same as scanpy's ddof = 0.
pub fn variances(sum: &[f64], sum_sq: &[f64], n: usize) -> Vec<f64> {
    let nf = n as f64;
    sum.iter().zip(sum_sq).map(|(s, s2)| (s2 - s * s / nf) / (nf - 1.0)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The dense definition, cell by cell.
    fn dense_variances(counts: &[Vec<f64>]) -> Vec<f64> {
        let (g, c) = (counts.len(), counts[0].len());
        let cell: Vec<f64> = (0..c).map(|j| (0..g).map(|i| counts[i][j]).sum()).collect();
        let total: f64 = cell.iter().sum();
        let clip = clip_for(c);
        (0..g)
            .map(|i| {
                let gt: f64 = counts[i].iter().sum();
                let r: Vec<f64> = (0..c).map(|j| residual(counts[i][j], gt * cell[j] / total, clip)).collect();
                let m = r.iter().sum::<f64>() / c as f64;
                r.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (c as f64 - 1.0)
            })
            .collect()
    }

    #[test]
    fn the_histogram_shortcut_equals_the_dense_definition() {
        // 6 genes x 40 cells, sparse, with repeated cell totals.
        let counts: Vec<Vec<f64>> =
            (0..6).map(|i| (0..40).map(|j| if (i * 7 + j * 3) % 5 < 2 { ((i + 2 * j) % 9) as f64 } else { 0.0 }).collect()).collect();
        let want = dense_variances(&counts);
        let cell: Vec<f64> = (0..40).map(|j| (0..6).map(|i| counts[i][j]).sum()).collect();
        let total: f64 = cell.iter().sum();
        let share: Vec<f64> = counts.iter().map(|r| r.iter().sum::<f64>() / total).collect();
        let clip = clip_for(40);
        let (mut s1, mut s2) = zero_sums(&share, &total_histogram(cell.iter().copied()), clip);
        for i in 0..6 {
            for j in 0..40 {
                if counts[i][j] != 0.0 {
                    let mu = share[i] * cell[j];
                    let (r, r0) = (residual(counts[i][j], mu, clip), residual(0.0, mu, clip));
                    s1[i] += r - r0;
                    s2[i] += r * r - r0 * r0;
                }
            }
        }
        let got = variances(&s1, &s2, 40);
        for (a, b) in got.iter().zip(&want) {
            assert!((a - b).abs() <= 1e-9 * b.abs().max(1.0), "{a} vs {b}");
        }
    }

    #[test]
    fn residuals_clip_at_the_root_of_the_cell_count() {
        assert_eq!(residual(1e6, 1.0, clip_for(100)), 10.0);
        assert_eq!(residual(0.0, 1e6, clip_for(4)), -2.0);
        assert_eq!(total_histogram([3.0, 1.0, 3.0].into_iter()), vec![(1.0, 1), (3.0, 2)]);
    }
}
