//! Clustering scores, defined as scikit-learn defines them (including the
//! degenerate cases): adjusted Rand index, normalised mutual information
//! (arithmetic mean), silhouette (Euclidean, exact) and Calinski-Harabasz.

use crate::error::{Error, Result};
use ndarray::ArrayView2;
use rayon::prelude::*;
use std::collections::HashMap;

/// Relabels to `0..m` in order of first appearance; returns labels and `m`.
fn dense_labels(labels: &[i32]) -> (Vec<usize>, usize) {
    let mut map = HashMap::new();
    let out = labels
        .iter()
        .map(|l| {
            let next = map.len();
            *map.entry(*l).or_insert(next)
        })
        .collect();
    (out, map.len())
}

/// Contingency counts (rows: `a`'s classes, columns: `b`'s) and their sizes.
fn contingency(a: &[i32], b: &[i32]) -> Result<(Vec<Vec<u64>>, usize, usize)> {
    if a.len() != b.len() {
        return Err(Error::Shape(format!("{} labels but {} clusters", a.len(), b.len())));
    }
    let (a, na) = dense_labels(a);
    let (b, nb) = dense_labels(b);
    let mut c = vec![vec![0u64; nb]; na];
    for (&i, &j) in a.iter().zip(&b) {
        c[i][j] += 1;
    }
    Ok((c, na, nb))
}

/// Adjusted Rand index (Hubert & Arabie), via the pair confusion matrix.
pub fn adjusted_rand_index(truth: &[i32], pred: &[i32]) -> Result<f64> {
    let (c, _, nb) = contingency(truth, pred)?;
    let n = truth.len() as i128;
    let n_c: Vec<i128> = c.iter().map(|r| r.iter().sum::<u64>() as i128).collect();
    let n_k: Vec<i128> = (0..nb).map(|j| c.iter().map(|r| r[j]).sum::<u64>() as i128).collect();
    let sum_sq: i128 = c.iter().flatten().map(|&v| (v as i128) * (v as i128)).sum();
    let tp = sum_sq - n;
    let fp = c.iter().map(|r| r.iter().zip(&n_k).map(|(&v, &k)| v as i128 * k).sum::<i128>()).sum::<i128>() - sum_sq;
    let fn_ = c.iter().zip(&n_c).map(|(r, &nc)| r.iter().map(|&v| v as i128 * nc).sum::<i128>()).sum::<i128>() - sum_sq;
    let tn = n * n - fp - fn_ - sum_sq;
    if fn_ == 0 && fp == 0 {
        return Ok(1.0);
    }
    let num = 2.0 * ((tp * tn - fn_ * fp) as f64);
    let den = ((tp + fn_) * (fn_ + tn) + (tp + fp) * (fp + tn)) as f64;
    Ok(num / den)
}

fn entropy(counts: &[f64]) -> f64 {
    let total: f64 = counts.iter().sum();
    -counts.iter().filter(|&&c| c > 0.0).map(|&c| (c / total) * (c.ln() - total.ln())).sum::<f64>()
}

/// Normalised mutual information with the arithmetic-mean normaliser.
pub fn normalized_mutual_info(truth: &[i32], pred: &[i32]) -> Result<f64> {
    let (c, na, nb) = contingency(truth, pred)?;
    if (na == 1 && nb == 1) || (na == 0 && nb == 0) {
        return Ok(1.0);
    }
    let pi: Vec<f64> = c.iter().map(|r| r.iter().sum::<u64>() as f64).collect();
    let pj: Vec<f64> = (0..nb).map(|j| c.iter().map(|r| r[j]).sum::<u64>() as f64).collect();
    let total: f64 = pi.iter().sum();
    let mut mi = 0.0;
    if na > 1 && nb > 1 {
        for (i, row) in c.iter().enumerate() {
            for (j, &v) in row.iter().enumerate() {
                if v == 0 {
                    continue;
                }
                let v = v as f64;
                let p = v / total;
                let log_outer = -(pi[i] * pj[j]).ln() + total.ln() + total.ln();
                let term = p * (v.ln() - total.ln()) + p * log_outer;
                mi += if term.abs() < f64::EPSILON { 0.0 } else { term };
            }
        }
        mi = mi.max(0.0);
    }
    if mi == 0.0 {
        return Ok(0.0);
    }
    let norm = ((entropy(&pi) + entropy(&pj)) / 2.0).max(f64::EPSILON);
    Ok(mi / norm)
}

fn check_partition(x: &ArrayView2<f64>, labels: &[i32], score: &str) -> Result<(Vec<usize>, usize)> {
    if x.nrows() != labels.len() {
        return Err(Error::Shape(format!("{} rows in the embedding but {} labels", x.nrows(), labels.len())));
    }
    let (l, m) = dense_labels(labels);
    if m < 2 || m > labels.len() - 1 {
        return Err(Error::Undefined(format!(
            "{score} needs between 2 and n - 1 clusters; got {m} for {} cells",
            labels.len()
        )));
    }
    Ok((l, m))
}

/// Mean silhouette width (Euclidean distances, every pair).
pub fn silhouette(x: ArrayView2<f64>, labels: &[i32]) -> Result<f64> {
    let (l, m) = check_partition(&x, labels, "silhouette")?;
    let mut size = vec![0usize; m];
    l.iter().for_each(|&c| size[c] += 1);
    let rows: Vec<Vec<f64>> = x.outer_iter().map(|r| r.to_vec()).collect();
    let s: Vec<f64> = (0..rows.len())
        .into_par_iter()
        .map(|i| {
            let mut sum = vec![0.0; m];
            for (j, r) in rows.iter().enumerate() {
                let d: f64 = rows[i].iter().zip(r).map(|(a, b)| (a - b) * (a - b)).sum();
                sum[l[j]] += d.sqrt();
            }
            let own = l[i];
            if size[own] == 1 {
                return 0.0;
            }
            let a = sum[own] / (size[own] - 1) as f64;
            let b = (0..m).filter(|&c| c != own).map(|c| sum[c] / size[c] as f64).fold(f64::INFINITY, f64::min);
            let s = (b - a) / a.max(b);
            if s.is_nan() { 0.0 } else { s }
        })
        .collect();
    Ok(s.iter().sum::<f64>() / s.len() as f64)
}

/// Calinski-Harabasz index (between- over within-cluster dispersion).
pub fn calinski_harabasz(x: ArrayView2<f64>, labels: &[i32]) -> Result<f64> {
    let (l, m) = check_partition(&x, labels, "Calinski-Harabasz")?;
    let (n, d) = x.dim();
    let mean: Vec<f64> = (0..d).map(|j| x.column(j).sum() / n as f64).collect();
    let mut sums = vec![vec![0.0; d]; m];
    let mut size = vec![0usize; m];
    for (r, &c) in x.outer_iter().zip(&l) {
        size[c] += 1;
        sums[c].iter_mut().zip(r).for_each(|(s, v)| *s += v);
    }
    let centers: Vec<Vec<f64>> = sums.iter().zip(&size).map(|(s, &k)| s.iter().map(|v| v / k as f64).collect()).collect();
    let extra: f64 =
        centers.iter().zip(&size).map(|(c, &k)| k as f64 * c.iter().zip(&mean).map(|(a, b)| (a - b).powi(2)).sum::<f64>()).sum();
    let intra: f64 =
        x.outer_iter().zip(&l).map(|(r, &c)| r.iter().zip(&centers[c]).map(|(a, b)| (a - b).powi(2)).sum::<f64>()).sum();
    if intra == 0.0 {
        return Ok(1.0);
    }
    Ok(extra * (n - m) as f64 / (intra * (m - 1) as f64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perfect_and_permuted_agreement() {
        let a = [0, 0, 1, 1, 2, 2];
        let b = [5, 5, 3, 3, 9, 9];
        assert_eq!(adjusted_rand_index(&a, &b).unwrap(), 1.0);
        assert!((normalized_mutual_info(&a, &b).unwrap() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn degenerate_cases_follow_scikit_learn() {
        assert_eq!(adjusted_rand_index(&[1, 1, 1], &[2, 2, 2]).unwrap(), 1.0);
        assert_eq!(normalized_mutual_info(&[1, 1, 1], &[2, 2, 2]).unwrap(), 1.0);
        assert_eq!(normalized_mutual_info(&[1, 1, 2], &[2, 2, 2]).unwrap(), 0.0);
        let x = ndarray::Array2::<f64>::zeros((3, 2));
        assert!(matches!(silhouette(x.view(), &[1, 1, 1]), Err(Error::Undefined(_))));
        assert!(matches!(calinski_harabasz(x.view(), &[1, 2, 3]), Err(Error::Undefined(_))));
    }
}
