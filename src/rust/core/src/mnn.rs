//! Cells of several batches brought into one space by mutual nearest
//! neighbours (Haghverdi et al. 2018; batchelor's fastMNN), applied to the
//! scaled expression the model trains on, so that the encoder learns from
//! cells whose batch differences are already removed and its embedding
//! mixes the batches. It is a stage of its own, run before training
//! ([`Correction::fit_on`]); mapping a new sample onto a trained reference
//! pairs cells the same way ([`crate::mapping`]).
//!
//! One round: the principal components of all cells; batches are merged
//! one at a time, largest first. Against the cells merged so far (the
//! reference), a cell of the next batch (the target) and a reference cell
//! that are among each other's [`MNN_K`] nearest form a pair; a paired
//! target cell's shift is the mean difference to its partners, and every
//! target cell moves by the mean shift of its [`SMOOTH_K`] nearest paired
//! cells, so the correction varies smoothly along the batch and a
//! population moves as one. Populations present in one batch only have no
//! pairs; they move with the paired cells nearest to them. The shift in
//! component space is carried back to the genes through the loadings.
//! [`ROUNDS`] rounds are run: pairs found after the first round are more
//! often of the same population, and the second round removes most of what
//! the first left (on Baron mouse 1 + 2, batch mixing 0.62 after one
//! round, 0.76 after two; `bench/results/integration/`).
//!
//! Everything a round learned is kept ([`Correction`]), so new cells of a
//! known batch are corrected the same way. A batch keeps at most
//! [`MAX_PAIRED`] paired cells per round (a seeded subsample, drawn before
//! the batch moves, so the fit and later applications agree): the model's
//! size stays bounded however many cells trained it.

use crate::error::{Error, Result};
use crate::neighbours::Neighbours;
use crate::pca::{project, Pca};
use crate::preprocess::batch_rows;
use crate::rng::{sorted_subsample, stream, Purpose, Rng};
use ndarray::{Array1, Array2, ArrayView2, Axis};

/// Nearest cells of the other side searched for mutual pairs (fastMNN's
/// default `k`).
pub const MNN_K: usize = 20;
/// Paired cells whose shifts a target cell averages.
pub const SMOOTH_K: usize = 20;
/// Principal components in which pairs are found.
pub const COMPONENTS: usize = 50;
/// Rounds of correction.
pub const ROUNDS: usize = 2;
/// Paired cells a batch keeps per round; each cell's shift averages its
/// [`SMOOTH_K`] nearest of them, which a few thousand cover as well as all.
pub const MAX_PAIRED: usize = 5_000;

/// What the correction learned, round by round.
#[derive(Clone, Debug, PartialEq)]
pub struct Correction {
    /// The rounds, in the order they are applied.
    pub rounds: Vec<Round>,
    /// Share of the cells paired across batches in the first round.
    pub paired_share: f64,
}

/// One round: the component space and, per batch, its paired cells.
#[derive(Clone, Debug, PartialEq)]
pub struct Round {
    /// Column means the components are centred on.
    pub center: Array1<f32>,
    /// Genes x components.
    pub loadings: Array2<f32>,
    /// Per batch: its paired cells (`None` for the batch merged first, and
    /// for a batch without pairs, which do not move).
    pub batches: Vec<Option<Paired>>,
}

/// The paired cells of a batch in a round's component space and their
/// shifts.
#[derive(Clone, Debug, PartialEq)]
pub struct Paired {
    /// Paired cells x components, before the round's shift.
    pub points: Array2<f32>,
    /// Their shifts, paired cells x components.
    pub shifts: Array2<f32>,
}

impl Correction {
    /// Learns the correction of `x` (scaled expression, cells x genes;
    /// `batch`: 0-based, one per row, at least two batches) and corrects
    /// `x` in place, as [`Correction::apply`] would.
    pub fn fit(x: &mut Array2<f32>, batch: &[u32], seed: u64) -> Result<Self> {
        check(x.view(), batch)?;
        let mut rounds = Vec::with_capacity(ROUNDS);
        let mut paired_share = 0.0;
        for r in 0..ROUNDS {
            let pca = Pca::fit(x.view(), COMPONENTS, seed)?;
            let pcs = pca.project(x.view());
            let (batches, share) = merge(pcs.view(), batch, seed, r)?;
            if r == 0 {
                paired_share = share;
            }
            let round = Round { center: pca.center, loadings: pca.loadings, batches };
            round.apply_to(x, &pcs, batch)?;
            rounds.push(round);
        }
        Ok(Self { rounds, paired_share })
    }

    /// The correction stage before training: fitted on the training cells
    /// (`rows` of `data`; `None`: every row) and applied to every row of
    /// `data` (`batch`: one per row).
    pub fn fit_on(data: &mut Array2<f32>, batch: &[u32], rows: Option<&[usize]>, seed: u64) -> Result<Self> {
        check(data.view(), batch)?;
        match rows {
            None => Self::fit(data, batch, seed),
            Some(rows) => {
                let b: Vec<u32> = rows.iter().map(|&r| batch[r]).collect();
                let c = Self::fit(&mut data.select(Axis(0), rows), &b, seed)?;
                c.apply(data, batch)?;
                Ok(c)
            }
        }
    }

    /// Corrects rows of scaled expression in place (`batch`: one per row,
    /// batches of the fit).
    pub fn apply(&self, x: &mut Array2<f32>, batch: &[u32]) -> Result<()> {
        check(x.view(), batch)?;
        for round in &self.rounds {
            if let Some(&b) = batch.iter().find(|&&b| b as usize >= round.batches.len()) {
                return Err(Error::Shape(format!("batch {} is not one the correction was fitted on", b + 1)));
            }
            let pcs = project(x.view(), &round.center, &round.loadings);
            round.apply_to(x, &pcs, batch)?;
        }
        Ok(())
    }
}

impl Round {
    /// Moves the rows of `x` (whose components are `pcs`) by their batch's
    /// smoothed shift, carried to the genes.
    fn apply_to(&self, x: &mut Array2<f32>, pcs: &Array2<f32>, batch: &[u32]) -> Result<()> {
        for (paired, rows) in self.batches.iter().zip(batch_rows(batch)) {
            let Some(paired) = paired else { continue };
            if rows.is_empty() {
                continue;
            }
            let shift = paired.smoothed(pcs.select(Axis(0), &rows).view())?;
            let genes = shift.dot(&self.loadings.t());
            for (i, &r) in rows.iter().enumerate() {
                x.row_mut(r).scaled_add(1.0, &genes.row(i));
            }
        }
        Ok(())
    }
}

impl Paired {
    /// The shift of each row of `pcs`: the mean shift of its [`SMOOTH_K`]
    /// nearest paired cells.
    pub fn smoothed(&self, pcs: ArrayView2<f32>) -> Result<Array2<f32>> {
        let near = Neighbours::between(pcs, self.points.view(), SMOOTH_K)?;
        let mut out = Array2::<f32>::zeros((pcs.nrows(), self.shifts.ncols()));
        for (i, mut row) in out.axis_iter_mut(Axis(0)).enumerate() {
            for &p in near.of(i) {
                row.scaled_add(1.0, &self.shifts.row(p as usize));
            }
            row /= near.k as f32;
        }
        Ok(out)
    }
}

fn check(x: ArrayView2<f32>, batch: &[u32]) -> Result<()> {
    if batch.len() != x.nrows() {
        return Err(Error::Shape(format!("{} batch labels for {} cells", batch.len(), x.nrows())));
    }
    Ok(())
}

/// Merges the batches in component space, largest first: per batch its
/// paired cells and their shifts; also the share of cells paired.
fn merge(pcs: ArrayView2<f32>, batch: &[u32], seed: u64, round: usize) -> Result<(Vec<Option<Paired>>, f64)> {
    let members = batch_rows(batch);
    let n_batches = members.len();
    let mut order: Vec<usize> = (0..n_batches).collect();
    // largest first; ties by batch order
    order.sort_by_key(|&b| std::cmp::Reverse(members[b].len()));
    let mut merged = pcs.to_owned();
    let mut paired_cells = vec![false; batch.len()];
    let mut out: Vec<Option<Paired>> = vec![None; n_batches];
    let mut reference: Vec<usize> = members[order[0]].clone();
    for &b in order.iter().skip(1).filter(|&&b| !members[b].is_empty()) {
        let target = &members[b];
        let r = merged.select(Axis(0), &reference);
        let t = merged.select(Axis(0), target);
        let pairs = mutual_pairs(r.view(), t.view(), MNN_K)?;
        for &(ri, ti) in &pairs {
            paired_cells[reference[ri]] = true;
            paired_cells[target[ti]] = true;
        }
        let mut rng = stream(seed, Purpose::Subsample, &[3, round as u64, b as u64]);
        if let Some(paired) = Paired::from_pairs(r.view(), t.view(), &pairs, &mut rng) {
            let shift = paired.smoothed(t.view())?;
            for (i, &row) in target.iter().enumerate() {
                merged.row_mut(row).scaled_add(1.0, &shift.row(i));
            }
            out[b] = Some(paired);
        }
        reference.extend(target);
    }
    let share = paired_cells.iter().filter(|&&p| p).count() as f64 / batch.len().max(1) as f64;
    Ok((out, share))
}

impl Paired {
    /// The paired rows of `target` (`pairs`: rows of `reference` and of
    /// `target`, as [`mutual_pairs`] gives them) and their shifts, the mean
    /// difference to their partners; at most [`MAX_PAIRED`] of them, drawn
    /// from `rng`. `None` without pairs.
    pub fn from_pairs(reference: ArrayView2<f32>, target: ArrayView2<f32>, pairs: &[(usize, usize)], rng: &mut Rng) -> Option<Self> {
        if pairs.is_empty() {
            return None;
        }
        let mut sum = Array2::<f32>::zeros(target.dim());
        let mut count = vec![0usize; target.nrows()];
        for &(ri, ti) in pairs {
            sum.row_mut(ti).scaled_add(1.0, &(&reference.row(ri) - &target.row(ti)));
            count[ti] += 1;
        }
        let mut rows: Vec<usize> = (0..target.nrows()).filter(|&i| count[i] > 0).collect();
        if let Some(keep) = sorted_subsample(rows.len(), MAX_PAIRED, rng) {
            rows = keep.into_iter().map(|i| rows[i]).collect();
        }
        let mut shifts = sum.select(Axis(0), &rows);
        for (mut s, &i) in shifts.axis_iter_mut(Axis(0)).zip(&rows) {
            s /= count[i] as f32;
        }
        Some(Self { points: target.select(Axis(0), &rows), shifts })
    }
}

/// Mutual nearest neighbours between the rows of `a` and of `b`: pairs
/// `(i, j)` with `j` among the `k` nearest rows of `b` to `a[i]` and `i`
/// among the `k` nearest rows of `a` to `b[j]`, ordered by `i`, then `j`.
pub fn mutual_pairs(a: ArrayView2<f32>, b: ArrayView2<f32>, k: usize) -> Result<Vec<(usize, usize)>> {
    let ab = Neighbours::between(a, b, k)?;
    let ba = Neighbours::between(b, a, k)?;
    let mut pairs = Vec::new();
    for i in 0..a.nrows() {
        let mut js: Vec<u32> = ab.of(i).iter().copied().filter(|&j| ba.of(j as usize).contains(&(i as u32))).collect();
        js.sort_unstable();
        pairs.extend(js.into_iter().map(|j| (i, j as usize)));
    }
    Ok(pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 60 "genes", two groups apart in genes 0-9, batch 1 shifted in genes
    /// 10-19.
    fn shifted() -> (Array2<f32>, Vec<u32>, Vec<usize>) {
        let cells: Vec<(usize, u32)> = (0..400).map(|i| (i % 2, (i >= 200) as u32)).collect();
        let x = Array2::from_shape_fn((cells.len(), 60), |(i, j)| {
            let (g, b) = cells[i];
            let noise = (((i * 131 + j * 71) % 97) as f32 / 97.0 - 0.5) * 0.6;
            let group = if j < 10 && g == 1 { 4.0 } else { 0.0 };
            let shift = if (10..20).contains(&j) && b == 1 { 1.5 } else { 0.0 };
            group + shift + noise
        });
        (x, cells.iter().map(|c| c.1).collect(), cells.iter().map(|c| c.0).collect())
    }

    fn gap(x: &Array2<f32>, rows_a: &[usize], rows_b: &[usize]) -> f32 {
        let a = x.select(Axis(0), rows_a).mean_axis(Axis(0)).unwrap();
        let b = x.select(Axis(0), rows_b).mean_axis(Axis(0)).unwrap();
        (&a - &b).mapv(|v| v * v).sum().sqrt()
    }

    #[test]
    fn the_shift_between_batches_is_removed_and_groups_stay_apart() {
        let (x, batch, group) = shifted();
        let mut y = x.clone();
        let c = Correction::fit(&mut y, &batch, 1).unwrap();
        assert!(c.paired_share > 0.3, "{}", c.paired_share);
        // applying the correction to the training cells corrects them as
        // the fit did
        let mut again = x.clone();
        c.apply(&mut again, &batch).unwrap();
        assert_eq!(again, y);
        let rows = |b: u32, g: usize| -> Vec<usize> { (0..batch.len()).filter(|&i| batch[i] == b && group[i] == g).collect() };
        for g in 0..2 {
            let (before, after) = (gap(&x, &rows(0, g), &rows(1, g)), gap(&y, &rows(0, g), &rows(1, g)));
            assert!(before > 4.0 && after < 0.5 * before, "group {g}: {before} -> {after}");
        }
        assert!(gap(&y, &rows(0, 0), &rows(0, 1)) > 10.0);
        // new cells of batch 1 get the shift their batch got
        let new: Vec<usize> = rows(1, 1)[..10].to_vec();
        let mut z = x.select(Axis(0), &new);
        c.apply(&mut z, &vec![1; new.len()]).unwrap();
        assert!(z.iter().zip(y.select(Axis(0), &new).iter()).all(|(a, b)| (a - b).abs() < 1e-4));
        // an unknown batch is refused
        assert!(c.apply(&mut z, &vec![5; new.len()]).is_err());
    }

    #[test]
    fn pairs_are_mutual() {
        let a = Array2::from_shape_fn((5, 1), |(i, _)| i as f32);
        let b = Array2::from_shape_fn((2, 1), |(i, _)| i as f32 * 4.0 + 0.1);
        // b0 (0.1) and a0; b1 (4.1) and a4
        assert_eq!(mutual_pairs(a.view(), b.view(), 1).unwrap(), vec![(0, 0), (4, 1)]);
    }
}
