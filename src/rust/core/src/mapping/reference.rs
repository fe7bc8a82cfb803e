//! What a trained model keeps of its training cells for mapping, and the
//! correction of a query toward them.

use crate::error::{Error, Result};
use crate::mnn::{mutual_pairs, Paired, COMPONENTS};
use crate::pca::{project, Pca};
use crate::rng::{sorted_subsample, stream, Purpose};
use ndarray::{Array1, Array2, ArrayView2, Axis};

/// Training cells a model keeps as the reference of mapping (a seeded
/// subsample above this): 5,000 cells' components and embedding are about
/// 4 MB in R, and pairs with a query are as well found among them.
pub const MAX_REFERENCE_CELLS: usize = 5_000;

/// Rounds of the query's correction. One: a second round on the six
/// mapping tasks of `bench/mapping/` moved rare query types onto common
/// reference ones (mean macro-F1 0.929 with one round and 5 neighbours,
/// 0.920 with two and 20, as training's correction uses;
/// `bench/results/mapping/search/`).
pub const MAP_ROUNDS: usize = 1;
/// Nearest cells of the other side searched for pairs between the query
/// and the reference: fewer than training's [`crate::mnn::MNN_K`], since a
/// reference type may have a few dozen kept cells and a large query
/// population would otherwise pair with several of them.
pub const MAP_MNN_K: usize = 5;

/// The reference's principal components and the kept cells in them.
#[derive(Clone, Debug, PartialEq)]
pub struct Reference {
    /// Column means the components are centred on.
    pub center: Array1<f32>,
    /// Genes x components.
    pub loadings: Array2<f32>,
    /// Kept cells x components.
    pub points: Array2<f32>,
    /// The kept cells: rows of the training matrix, ascending.
    pub rows: Vec<usize>,
}

impl Reference {
    /// The reference of a model trained on `data` (scaled and, with
    /// batches, corrected; cells x genes): at most [`MAX_REFERENCE_CELLS`]
    /// of the training rows (`None`: all rows), drawn from `seed`, in
    /// `components` when training fitted them on its cells, else in
    /// components fitted on the kept cells.
    pub fn fit(data: ArrayView2<f32>, training_rows: Option<&[usize]>, components: Option<&Pca>, seed: u64) -> Result<Self> {
        let candidates: Vec<usize> = training_rows.map_or_else(|| (0..data.nrows()).collect(), <[usize]>::to_vec);
        let rows = match sorted_subsample(candidates.len(), MAX_REFERENCE_CELLS, &mut stream(seed, Purpose::Subsample, &[4])) {
            Some(keep) => keep.into_iter().map(|i| candidates[i]).collect(),
            None => candidates,
        };
        let kept = data.select(Axis(0), &rows);
        let pca = match components {
            Some(p) => p.clone(),
            None => Pca::fit(kept.view(), COMPONENTS, seed)?,
        };
        let points = pca.project(kept.view());
        Ok(Self { center: pca.center, loadings: pca.loadings, points, rows })
    }

    /// Moves the rows of `query` (cells x the model's genes, normalised and
    /// scaled as the reference's cells) toward the reference, in place: in
    /// the reference's components, a query cell and a reference cell among
    /// each other's [`MAP_MNN_K`] nearest are a pair, every query cell
    /// moves by the smoothed shift of its nearest paired cells
    /// ([`Paired::smoothed`]), [`MAP_ROUNDS`] times, and the total shift is
    /// carried to the genes. Returns the query's corrected components and
    /// the share of query cells paired in the first round (0: no pairs,
    /// nothing moved).
    pub fn correct(&self, query: &mut Array2<f32>, seed: u64) -> Result<(Array2<f32>, f64)> {
        if query.ncols() != self.loadings.nrows() {
            return Err(Error::Shape(format!("{} genes in the query, {} in the reference", query.ncols(), self.loadings.nrows())));
        }
        if query.nrows() == 0 {
            return Ok((Array2::zeros((0, self.loadings.ncols())), 0.0));
        }
        let mut pcs = project(query.view(), &self.center, &self.loadings);
        let mut total = Array2::<f32>::zeros(pcs.dim());
        let mut share = 0.0;
        for round in 0..MAP_ROUNDS {
            let pairs = mutual_pairs(self.points.view(), pcs.view(), MAP_MNN_K)?;
            if round == 0 {
                let mut paired = vec![false; pcs.nrows()];
                pairs.iter().for_each(|&(_, q)| paired[q] = true);
                share = paired.iter().filter(|&&p| p).count() as f64 / pcs.nrows() as f64;
            }
            let mut rng = stream(seed, Purpose::Subsample, &[5, round as u64]);
            let Some(paired) = Paired::from_pairs(self.points.view(), pcs.view(), &pairs, &mut rng) else { break };
            let shift = paired.smoothed(pcs.view())?;
            pcs += &shift;
            total += &shift;
        }
        *query += &total.dot(&self.loadings.t());
        Ok((pcs, share))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 60 "genes": three groups apart in genes 0-29 (10 genes each), noise.
    fn groups(n: usize, offset: usize) -> (Array2<f32>, Vec<usize>) {
        let group: Vec<usize> = (0..n).map(|i| i % 3).collect();
        let x = Array2::from_shape_fn((n, 60), |(i, j)| {
            let noise = ((((i + offset) * 131 + j * 71) % 97) as f32 / 97.0 - 0.5) * 0.8;
            let signal = if j / 10 == group[i] { 3.0 } else { 0.0 };
            signal + noise
        });
        (x, group)
    }

    fn centroid(x: &Array2<f32>, rows: impl Iterator<Item = usize>) -> Array1<f32> {
        let rows: Vec<usize> = rows.collect();
        x.select(Axis(0), &rows).mean_axis(Axis(0)).unwrap()
    }

    #[test]
    fn a_shifted_query_moves_onto_its_groups_in_the_reference() {
        let (reference, ref_group) = groups(600, 0);
        let r = Reference::fit(reference.view(), None, None, 1).unwrap();
        assert_eq!(r.rows.len(), 600);
        // the query: the same groups shifted in genes 40-49 (its batch)
        let (mut query, q_group) = groups(300, 7);
        query.slice_mut(ndarray::s![.., 40..50]).mapv_inplace(|v| v + 2.0);
        let before = query.clone();
        let (pcs, share) = r.correct(&mut query, 1).unwrap();
        assert_eq!(pcs.dim(), (300, COMPONENTS));
        assert!(share > 0.5, "{share}");
        for g in 0..3 {
            let target = centroid(&reference, (0..600).filter(|&i| ref_group[i] == g));
            let gap = |x: &Array2<f32>| (&centroid(x, (0..300).filter(|&i| q_group[i] == g)) - &target).mapv(|v| v * v).sum().sqrt();
            assert!(gap(&query) < 0.4 * gap(&before), "group {g}: {} -> {}", gap(&before), gap(&query));
        }
    }

    #[test]
    fn the_kept_cells_are_a_seeded_subsample_of_the_training_rows() {
        let (x, _) = groups(7_000, 0);
        let training: Vec<usize> = (0..7_000).step_by(1).filter(|i| i % 7 != 0).collect();
        let r = Reference::fit(x.view(), Some(&training), None, 3).unwrap();
        assert_eq!(r.rows.len(), MAX_REFERENCE_CELLS);
        assert!(r.rows.iter().all(|i| i % 7 != 0) && r.rows.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(r.points.dim(), (MAX_REFERENCE_CELLS, COMPONENTS));
        assert_eq!(Reference::fit(x.view(), Some(&training), None, 3).unwrap(), r);
        // a query of other genes is refused
        assert!(r.correct(&mut Array2::zeros((3, 59)), 1).is_err());
    }
}
