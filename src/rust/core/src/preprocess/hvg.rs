//! Highly variable genes, Seurat flavour, exactly as scanpy's
//! `highly_variable_genes(flavor = "seurat")` computes them (SPEC section 1.5).
//!
//! Inputs are per-gene mean and variance (ddof = 1) of the normalised, not
//! logged, expression. Genes are binned by `log1p(mean)` into equal-width
//! bins as pandas `cut` makes them, and `log(variance / mean)` is z-scored
//! within each bin.

/// The per-gene numbers behind the ranking.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Dispersions {
    /// `log1p(mean)` per gene.
    pub log_mean: Vec<f64>,
    /// `log(variance / mean)` per gene, NaN where the variance is 0.
    pub log_dispersion: Vec<f64>,
    /// Dispersion z-scored within its mean bin (NaN ranks last).
    pub normalized: Vec<f64>,
}

/// Computes the Seurat-flavour normalised dispersions.
pub fn seurat_dispersions(mean: &[f64], var: &[f64], n_bins: usize) -> Dispersions {
    let log_mean: Vec<f64> = mean.iter().map(|&m| if m == 0.0 { 1e-12 } else { m }).map(f64::ln_1p).collect();
    let log_dispersion: Vec<f64> = mean
        .iter()
        .zip(var)
        .map(|(&m, &v)| {
            let d = v / if m == 0.0 { 1e-12 } else { m };
            if d == 0.0 { f64::NAN } else { d.ln() }
        })
        .collect();
    let bin = pandas_cut(&log_mean, n_bins);
    let (avg, dev) = bin_mean_std(&log_dispersion, &bin, n_bins);
    let normalized = log_dispersion
        .iter()
        .zip(&bin)
        .map(|(&d, &b)| {
            // scanpy's rule: a bin whose std is undefined (a single gene)
            // gives its gene a normalised dispersion of 1 (d / d).
            if dev[b].is_nan() { d / avg[b] } else { (d - avg[b]) / dev[b] }
        })
        .collect();
    Dispersions { log_mean, log_dispersion, normalized }
}

/// Indices (ascending) of the `n_top` genes with the highest normalised
/// dispersion, NaN last, ties broken by gene order; all genes when
/// `n_top >= len`.
pub fn top_genes(normalized: &[f64], n_top: usize) -> Vec<usize> {
    let n = normalized.len();
    if n_top >= n {
        return (0..n).collect();
    }
    let mut kept = ranking_order(normalized)[..n_top].to_vec();
    kept.sort_unstable();
    kept
}

/// Indices of all genes from the highest normalised dispersion to the
/// lowest, NaN last, ties broken by gene order.
pub fn ranking_order(normalized: &[f64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..normalized.len()).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (normalized[a], normalized[b]);
        match (x.is_nan(), y.is_nan()) {
            (true, true) => a.cmp(&b),
            (true, false) => std::cmp::Ordering::Greater,
            (false, true) => std::cmp::Ordering::Less,
            _ => y.partial_cmp(&x).unwrap_or(std::cmp::Ordering::Equal).then(a.cmp(&b)),
        }
    });
    order
}

/// Bin index of each value for `n_bins` equal-width bins, as pandas
/// `cut(x, bins = n_bins)` (right-closed, lowest edge moved down by 0.1% of
/// the range); edges are computed as `np.linspace` does, so borderline values
/// fall on the same side.
fn pandas_cut(x: &[f64], n_bins: usize) -> Vec<usize> {
    let mut mn = x.iter().copied().fold(f64::INFINITY, f64::min);
    let mut mx = x.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let edges: Vec<f64> = if mn == mx {
        mn -= if mn != 0.0 { 0.001 * mn.abs() } else { 0.001 };
        mx += if mx != 0.0 { 0.001 * mx.abs() } else { 0.001 };
        linspace(mn, mx, n_bins + 1)
    } else {
        let mut e = linspace(mn, mx, n_bins + 1);
        e[0] -= (mx - mn) * 0.001;
        e
    };
    x.iter()
        .map(|&v| {
            // searchsorted(side = "left") - 1: the first edge >= v closes the bin.
            let first_ge = edges.partition_point(|&e| e < v);
            first_ge.saturating_sub(1).min(n_bins - 1)
        })
        .collect()
}

/// `np.linspace(start, stop, num)` with the same floating-point operations.
fn linspace(start: f64, stop: f64, num: usize) -> Vec<f64> {
    let step = (stop - start) / (num - 1) as f64;
    let mut y: Vec<f64> = (0..num).map(|i| i as f64 * step + start).collect();
    y[num - 1] = stop;
    y
}

/// Mean and standard deviation (ddof = 1) of the non-NaN values in each bin,
/// NaN where undefined (pandas `groupby().agg(["mean", "std"])`).
fn bin_mean_std(values: &[f64], bin: &[usize], n_bins: usize) -> (Vec<f64>, Vec<f64>) {
    let mut count = vec![0usize; n_bins];
    let mut sum = vec![0.0f64; n_bins];
    for (&v, &b) in values.iter().zip(bin) {
        if !v.is_nan() {
            count[b] += 1;
            sum[b] += v;
        }
    }
    let mean: Vec<f64> = (0..n_bins).map(|b| if count[b] > 0 { sum[b] / count[b] as f64 } else { f64::NAN }).collect();
    let mut ss = vec![0.0f64; n_bins];
    for (&v, &b) in values.iter().zip(bin) {
        if !v.is_nan() {
            ss[b] += (v - mean[b]) * (v - mean[b]);
        }
    }
    let std = (0..n_bins).map(|b| if count[b] > 1 { (ss[b] / (count[b] - 1) as f64).sqrt() } else { f64::NAN }).collect();
    (mean, std)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cut_matches_pandas_edges() {
        // pandas.cut([0, 1, 2, 3, 4], 4).codes == [0, 0, 1, 2, 3]
        assert_eq!(pandas_cut(&[0.0, 1.0, 2.0, 3.0, 4.0], 4), vec![0, 0, 1, 2, 3]);
        // a constant vector falls into one bin
        assert_eq!(pandas_cut(&[2.0, 2.0], 3), vec![1, 1]);
    }

    #[test]
    fn top_genes_puts_nan_last_and_breaks_ties_by_order() {
        let d = [1.0, f64::NAN, 3.0, 1.0, 2.0];
        assert_eq!(top_genes(&d, 2), vec![2, 4]);
        assert_eq!(top_genes(&d, 3), vec![0, 2, 4]);
        assert_eq!(top_genes(&d, 9), vec![0, 1, 2, 3, 4]);
    }

    #[test]
    fn single_gene_bin_gets_dispersion_one() {
        // one gene far above the others sits alone in the top bin
        let mean = [1.0, 1.1, 1.2, 50.0];
        let var = [2.0, 2.5, 3.0, 400.0];
        let d = seurat_dispersions(&mean, &var, 20);
        assert_eq!(d.normalized[3], 1.0);
    }
}
