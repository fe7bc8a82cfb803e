//! Pairs of a training step's rows that are not contrasted: which of the
//! `2n` rows (view 1, then view 2) leave each other's NT-Xent denominator.
//!
//! NT-Xent pushes every row away from every other row of its mini-batch,
//! including the many cells of its own population, so a large population is
//! spread into clumps (issue 26). Rows that are probably the same kind of
//! cell (false negatives) are therefore left out of each other's
//! denominator: they are neither pulled nor pushed. A row and its positive
//! are never left out, whatever the mask says.

/// A symmetric `rows x rows` set of excluded pairs.
#[derive(Clone, Debug, PartialEq)]
pub struct PairMask {
    rows: usize,
    excluded: Vec<bool>,
}

impl PairMask {
    /// No pair excluded.
    pub fn new(rows: usize) -> Self {
        Self { rows, excluded: vec![false; rows * rows] }
    }

    /// Number of rows (and columns).
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Leaves rows `a` and `b` out of each other's denominator.
    pub fn exclude(&mut self, a: usize, b: usize) {
        self.excluded[a * self.rows + b] = true;
        self.excluded[b * self.rows + a] = true;
    }

    /// Whether `a` and `b` are left out of each other's denominator.
    pub fn is_excluded(&self, a: usize, b: usize) -> bool {
        self.excluded[a * self.rows + b]
    }

    /// Row `a`'s flags, one per column.
    pub fn row(&self, a: usize) -> &[bool] {
        &self.excluded[a * self.rows..(a + 1) * self.rows]
    }

    /// All flags, row-major.
    pub fn as_slice(&self) -> &[bool] {
        &self.excluded
    }

    /// Number of excluded ordered pairs.
    pub fn count(&self) -> usize {
        self.excluded.iter().filter(|&&e| e).count()
    }
}
