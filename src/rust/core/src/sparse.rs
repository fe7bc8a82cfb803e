//! A borrowed compressed-sparse-column count matrix: genes are rows, cells are
//! columns, exactly the slots of R's `dgCMatrix` (`p`, `i`, `x`), so R memory
//! is read in place and never densified.

use crate::error::{Error, Result};

/// Genes x cells counts in CSC form, 0-based, borrowed from the caller.
#[derive(Clone, Copy, Debug)]
pub struct CscView<'a> {
    /// Number of genes (rows).
    pub n_rows: usize,
    /// Number of cells (columns).
    pub n_cols: usize,
    /// Column pointers, length `n_cols + 1` (R's `p` slot).
    pub col_ptr: &'a [i32],
    /// Row index of each stored value (R's `i` slot).
    pub row_idx: &'a [i32],
    /// Stored values (R's `x` slot).
    pub values: &'a [f64],
}

impl<'a> CscView<'a> {
    /// Wraps the slots after checking that they describe a valid matrix with
    /// finite, non-negative values.
    pub fn new(n_rows: usize, n_cols: usize, col_ptr: &'a [i32], row_idx: &'a [i32], values: &'a [f64]) -> Result<Self> {
        let bad = |m: String| Err(Error::InvalidMatrix(m));
        if col_ptr.len() != n_cols + 1 {
            return bad(format!("{} column pointers for {} columns", col_ptr.len(), n_cols));
        }
        if row_idx.len() != values.len() {
            return bad(format!("{} row indices but {} values", row_idx.len(), values.len()));
        }
        if col_ptr[0] != 0 || col_ptr[n_cols] as usize != values.len() {
            return bad("column pointers do not span the values".into());
        }
        // Pointers first: together with the ends checked above, they must be
        // non-decreasing before any of them is used to slice.
        if let Some(c) = col_ptr.windows(2).position(|w| w[1] < w[0]) {
            return bad(format!("column pointers decrease at column {}", c + 1));
        }
        for c in 0..n_cols {
            let (start, end) = (col_ptr[c], col_ptr[c + 1]);
            let rows = &row_idx[start as usize..end as usize];
            if rows.iter().any(|&r| r < 0 || r as usize >= n_rows) {
                return bad(format!("row index out of range in column {}", c + 1));
            }
            if rows.windows(2).any(|w| w[0] >= w[1]) {
                return bad(format!("row indices not strictly increasing in column {}", c + 1));
            }
        }
        if let Some(pos) = values.iter().position(|v| !v.is_finite()) {
            return bad(format!("value {} at position {} is not finite", values[pos], pos + 1));
        }
        if let Some(pos) = values.iter().position(|&v| v < 0.0) {
            return bad(format!("negative value {} at position {}", values[pos], pos + 1));
        }
        Ok(Self { n_rows, n_cols, col_ptr, row_idx, values })
    }

    /// The (row, value) pairs of column `c`.
    pub fn column(&self, c: usize) -> impl Iterator<Item = (usize, f64)> + 'a {
        let (start, end) = (self.col_ptr[c] as usize, self.col_ptr[c + 1] as usize);
        self.row_idx[start..end].iter().zip(&self.values[start..end]).map(|(&r, &v)| (r as usize, v))
    }
}

/// What a values slot holds, found in one parallel pass without a copy (R's
/// `any(x < 0)` and `any(x != floor(x))` each allocate vectors as long as
/// the slot: gigabytes for a million cells).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ValueSummary {
    /// Some value is NA, NaN or infinite.
    pub non_finite: bool,
    /// Some value is negative.
    pub negative: bool,
    /// Some finite value is not a whole number.
    pub fractional: bool,
}

impl ValueSummary {
    /// Summarises `values` in parallel blocks.
    pub fn of(values: &[f64]) -> Self {
        use rayon::prelude::*;
        values
            .par_chunks(1 << 16)
            .map(|block| {
                let mut s = ValueSummary::default();
                for &v in block {
                    s.non_finite |= !v.is_finite();
                    s.negative |= v < 0.0;
                    s.fractional |= v.is_finite() && v != v.floor();
                }
                s
            })
            .reduce(ValueSummary::default, |a, b| ValueSummary {
                non_finite: a.non_finite || b.non_finite,
                negative: a.negative || b.negative,
                fractional: a.fractional || b.fractional,
            })
    }
}

/// An owned CSC matrix, for tests, benches and readers.
#[derive(Clone, Debug, Default)]
pub struct CscOwned {
    /// Number of rows (genes).
    pub n_rows: usize,
    /// Number of columns (cells).
    pub n_cols: usize,
    /// Column pointers.
    pub col_ptr: Vec<i32>,
    /// Row indices.
    pub row_idx: Vec<i32>,
    /// Values.
    pub values: Vec<f64>,
}

impl CscOwned {
    /// Builds from (row, column, value) triplets in any order; duplicates are summed.
    pub fn from_triplets(n_rows: usize, n_cols: usize, mut trip: Vec<(usize, usize, f64)>) -> Self {
        trip.sort_by_key(|&(r, c, _)| (c, r));
        let mut out = CscOwned { n_rows, n_cols, col_ptr: vec![0; n_cols + 1], ..Default::default() };
        let mut last: Option<(usize, usize)> = None;
        for (r, c, v) in trip {
            if last == Some((r, c)) {
                if let Some(x) = out.values.last_mut() {
                    *x += v;
                }
                continue;
            }
            out.row_idx.push(r as i32);
            out.values.push(v);
            out.col_ptr[c + 1] += 1;
            last = Some((r, c));
        }
        for c in 0..n_cols {
            out.col_ptr[c + 1] += out.col_ptr[c];
        }
        out
    }

    /// A checked view of this matrix.
    pub fn view(&self) -> Result<CscView<'_>> {
        CscView::new(self.n_rows, self.n_cols, &self.col_ptr, &self.row_idx, &self.values)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn triplets_round_trip_and_validate() {
        let m = CscOwned::from_triplets(3, 2, vec![(2, 1, 4.0), (0, 0, 1.0), (0, 0, 1.0), (1, 1, 3.0)]);
        assert_eq!(m.col_ptr, vec![0, 1, 3]);
        assert_eq!(m.values, vec![2.0, 3.0, 4.0]);
        let v = m.view().unwrap();
        assert_eq!(v.column(1).collect::<Vec<_>>(), vec![(1, 3.0), (2, 4.0)]);
    }

    #[test]
    fn value_summary_flags_what_r_checks() {
        assert_eq!(ValueSummary::of(&[0.0, 1.0, 7.0]), ValueSummary::default());
        let s = ValueSummary::of(&[1.0, -2.0, 0.5, f64::NAN]);
        assert!(s.non_finite && s.negative && s.fractional);
        let mut long = vec![3.0; 200_000];
        long[150_000] = 2.5;
        assert_eq!(ValueSummary::of(&long), ValueSummary { fractional: true, ..Default::default() });
        assert!(!ValueSummary::of(&[f64::INFINITY]).fractional);
    }

    #[test]
    fn rejects_negative_and_non_finite_values() {
        let p = [0, 1];
        let i = [0];
        assert!(CscView::new(1, 1, &p, &i, &[-1.0]).unwrap_err().to_string().contains("negative"));
        assert!(CscView::new(1, 1, &p, &i, &[f64::NAN]).unwrap_err().to_string().contains("not finite"));
        assert!(CscView::new(1, 1, &p, &[3], &[1.0]).is_err());
        // found by the fuzzer: a pointer past the end before a decrease
        assert!(CscView::new(2, 2, &[0, 33, 0], &[], &[]).is_err());
    }
}
