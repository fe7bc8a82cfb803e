//! Options of every stage, with the method's defaults in one place.
//!
//! R arguments default to `NULL` and mean "the value here"; the binding
//! exports these to R (`contrastiveDefaults()`), and a test ties R's formals
//! to them. Two sets exist: the `Default`s, chosen by measurement on the
//! shared datasets (bench/results/search/summary.md, issue 7), and
//! [`Mode::Reference`], the published method exactly (SPEC.md sections
//! 1-4, Ciortan & Defrance 2021).

/// Which set of settings a run starts from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// The measured defaults (the `Default` implementations).
    Default,
    /// The published method, constant for constant.
    Reference,
}

impl Mode {
    /// Parses R's `mode` argument.
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "default" => Ok(Mode::Default),
            "reference" => Ok(Mode::Reference),
            other => Err(invalid("mode", format!("must be \"default\" or \"reference\", got \"{other}\""))),
        }
    }

    /// The settings this mode takes: `default()` or `reference()`.
    fn pick<T>(self, default: impl FnOnce() -> T, reference: impl FnOnce() -> T) -> T {
        match self {
            Mode::Default => default(),
            Mode::Reference => reference(),
        }
    }
}

use crate::error::{invalid, Result};

/// What the preprocessing does (SPEC section 1).
#[derive(Clone, Debug, PartialEq)]
pub struct PreprocessOptions {
    /// Number of highly variable genes kept (scanpy `n_top_genes`).
    pub n_genes: usize,
    /// Genes whose total count is below this are dropped.
    pub min_counts: f64,
    /// Number of equal-width mean bins for the Seurat dispersion ranking.
    pub n_bins: usize,
    /// Input is already log-normalised: skip rounding, library-size
    /// normalisation and `log1p`.
    pub normalized_input: bool,
    /// How genes are ranked for selection.
    pub ranking: GeneRanking,
}

/// How the variable genes are chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GeneRanking {
    /// Seurat-flavour dispersion within mean bins (SPEC section 1.5).
    SeuratDispersion,
    /// Variance of analytic Pearson residuals of the counts (scanpy's
    /// `flavor = "pearson_residuals"`); needs counts, so log-normalised
    /// input falls back to [`GeneRanking::SeuratDispersion`].
    PearsonResiduals,
}

impl GeneRanking {
    /// Parses R's `gene.ranking` argument.
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "seurat" => Ok(GeneRanking::SeuratDispersion),
            "pearson" => Ok(GeneRanking::PearsonResiduals),
            other => Err(invalid("gene.ranking", format!("must be \"pearson\" or \"seurat\", got \"{other}\""))),
        }
    }

    /// R's name of it.
    pub fn name(self) -> &'static str {
        match self {
            GeneRanking::SeuratDispersion => "seurat",
            GeneRanking::PearsonResiduals => "pearson",
        }
    }
}

/// The measured default (bench/results/search/summary.md, issue 7): genes
/// ranked by Pearson residuals. With temperature 0.15 it raised the mean
/// ARI over the seven shared datasets from 0.641 to 0.738 (worm 0.21 ->
/// 0.58, Pollen 0.13 -> 0.50, PBMC 0.73 -> 0.77).
impl Default for PreprocessOptions {
    fn default() -> Self {
        Self { ranking: GeneRanking::PearsonResiduals, ..Self::reference() }
    }
}

impl PreprocessOptions {
    /// SPEC section 1: 500 genes by Seurat dispersion.
    pub fn reference() -> Self {
        Self { n_genes: 500, min_counts: 1.0, n_bins: 20, normalized_input: false, ranking: GeneRanking::SeuratDispersion }
    }

    /// The ranking actually used: Pearson residuals need counts.
    pub fn effective_ranking(&self) -> GeneRanking {
        if self.normalized_input { GeneRanking::SeuratDispersion } else { self.ranking }
    }

    /// The settings of `mode`.
    pub fn for_mode(mode: Mode) -> Self {
        mode.pick(Self::default, Self::reference)
    }

    /// Checks ranges; messages name the R argument.
    pub fn validate(&self) -> Result<()> {
        if self.n_genes < 2 {
            return Err(invalid("n.genes", format!("must be at least 2, got {}", self.n_genes)));
        }
        if !self.min_counts.is_finite() || self.min_counts < 0.0 {
            return Err(invalid("min.counts", format!("must be a non-negative number, got {}", self.min_counts)));
        }
        if self.n_bins < 1 {
            return Err(invalid("n.bins", "must be at least 1"));
        }
        Ok(())
    }
}

/// The encoder and its training (SPEC sections 2 and 3).
#[derive(Clone, Debug, PartialEq)]
pub struct TrainOptions {
    /// Output sizes of the linear layers; the last is the embedding size.
    pub layers: Vec<usize>,
    /// Input dropout probability: the augmentation that makes the two views.
    pub dropout: f64,
    /// NT-Xent temperature.
    pub temperature: f64,
    /// Number of passes over the cells.
    pub epochs: usize,
    /// Cells per mini-batch.
    pub batch_size: usize,
    /// Adam's initial learning rate.
    pub learning_rate: f64,
    /// Period (in epochs) of the cosine schedule; the original hard-codes 500
    /// while training 30 epochs, so the rate stays near `learning_rate`.
    pub cosine_period: usize,
    /// Models trained from different seeds for a consensus (their
    /// embeddings side by side); 1 is the published single model.
    pub runs: usize,
    /// Neighbour positives: 0 is the published method (a cell's positive
    /// is the other view of itself); `k > 0` makes the positive a view of
    /// a cell drawn from its `k` nearest neighbours (itself included) in
    /// the space of the data's leading principal components.
    pub neighbours: usize,
    /// False negatives left out: 0 is the published loss (every other row
    /// of the mini-batch is a negative); `m > 0` leaves out of a row's
    /// denominator the rows of cells among its `m` nearest cells (or whose
    /// `m` nearest it is), in the same principal-component space as the
    /// positives.
    pub exclude_neighbours: usize,
    /// Fewest optimisation steps of a run: on small data, where an epoch is
    /// a batch or two, the epochs (and a cosine period equal to them) are
    /// raised until a run takes this many steps. 0 is the published
    /// method (the epochs as given).
    pub min_steps: usize,
    /// Most optimisation steps of a run (0: no limit): on large data the
    /// epochs are lowered (never below one, the cosine period with them)
    /// so that training costs a fixed budget, not epochs x cells.
    pub max_steps: usize,
    /// Most cells that train the model (0: all): above it a seeded
    /// subsample of this many cells trains it (and finds its neighbour
    /// positives), and every cell is embedded by the trained model.
    pub max_cells: usize,
}

/// The measured defaults (bench/results/search/summary.md, seeds 0-4 on the
/// seven shared datasets): the reference settings except that training runs
/// 60 epochs with the learning rate annealed to zero over them (the
/// original's 500-epoch period leaves it near its start throughout), from a
/// learning rate of 0.2 instead of 0.4 (mean ARI 0.585 -> 0.641, PBMC seed
/// sd 0.075 -> 0.008), and, with the Pearson-residual genes of
/// [`PreprocessOptions::default`], at temperature 0.15 instead of 0.07
/// (0.685 at 0.07 -> 0.738: Zeisel 0.69 -> 0.95, Baron 0.40 -> 0.48).
///
/// Issue 12 added neighbour positives and a minimum number of steps: the
/// embedding had lost to PCA of its own genes on new data. Drawing each
/// cell's positive from its 10 nearest cells in 50-PC space raised the
/// mean ARI over the 14 shared datasets (seeds 0-4, k-means with the true
/// k) from 0.779 to 0.796 (PCA of the same genes: 0.751; 9 datasets won,
/// 4 lost); training small data for at least 600 steps (a 300-cell set
/// runs 300 epochs instead of 60) raised it to 0.818 (10 won, 3 lost
/// against PCA). 1500 steps gave 0.823 but makes 1,000-2,500-cell sets
/// train 2-3 times longer, and 3000 steps collapsed Zeisel (0.96 -> 0.43
/// on every seed): 600 keeps away from that (bench/results/issue12/).
///
/// Issue 14 bounded the cost on large data: at most 6,000 steps, on at
/// most 50,000 cells (a seeded subsample; every cell is embedded). Both
/// bounds start far above the shared datasets (at most 4,271 cells and
/// 1,320 steps), because smaller bounds measured on them cost quality:
/// worm (4,186 cells) fell from 0.600 to 0.538 with 600 steps instead of
/// 1,260, to 0.444 with 330, and to 0.525 when trained on 1,000 of its
/// cells (bench/results/issue14/). A million cells then train 24 epochs of
/// 250 batches instead of 60 of 5,000.
impl Default for TrainOptions {
    fn default() -> Self {
        Self {
            epochs: 60,
            cosine_period: 60,
            learning_rate: 0.2,
            temperature: 0.15,
            neighbours: 10,
            min_steps: 600,
            max_steps: 6_000,
            max_cells: 50_000,
            ..Self::reference()
        }
    }
}

impl TrainOptions {
    /// SPEC sections 2 and 3, one model.
    pub fn reference() -> Self {
        Self {
            layers: vec![200, 40, 60],
            dropout: 0.9,
            temperature: 0.07,
            epochs: 30,
            batch_size: 200,
            learning_rate: 0.4,
            cosine_period: 500,
            runs: 1,
            neighbours: 0,
            exclude_neighbours: 0,
            min_steps: 0,
            max_steps: 0,
            max_cells: 0,
        }
    }

    /// The settings of `mode`.
    pub fn for_mode(mode: Mode) -> Self {
        mode.pick(Self::default, Self::reference)
    }

    /// Checks ranges; messages name the R argument.
    pub fn validate(&self) -> Result<()> {
        if self.layers.is_empty() || self.layers.contains(&0) {
            return Err(invalid("layers", format!("must be positive integers, got {:?}", self.layers)));
        }
        if !(self.dropout >= 0.0 && self.dropout < 1.0) {
            return Err(invalid("dropout", format!("must be in [0, 1), got {}", self.dropout)));
        }
        if !(self.temperature > 0.0 && self.temperature.is_finite()) {
            return Err(invalid("temperature", format!("must be a positive number, got {}", self.temperature)));
        }
        if self.epochs == 0 {
            return Err(invalid("epochs", "must be at least 1"));
        }
        if self.batch_size < 2 {
            return Err(invalid("batch.size", format!("must be at least 2, got {}", self.batch_size)));
        }
        if !(self.learning_rate > 0.0 && self.learning_rate.is_finite()) {
            return Err(invalid("learning.rate", format!("must be a positive number, got {}", self.learning_rate)));
        }
        if self.cosine_period == 0 {
            return Err(invalid("cosine.period", "must be at least 1"));
        }
        if self.runs == 0 {
            return Err(invalid("n.runs", "must be at least 1"));
        }
        if self.max_cells == 1 {
            return Err(invalid("max.cells", "must be 0 (all cells) or at least 2"));
        }
        Ok(())
    }

    /// The options a run on `n_cells` training cells takes (after the
    /// `max_cells` subsample): the epochs raised until the run has at least
    /// `min_steps` mini-batch steps, then lowered (to one at the least)
    /// until it has at most `max_steps`; a cosine period equal to the
    /// epochs follows them.
    pub fn for_cells(&self, n_cells: usize) -> Self {
        let per_epoch = crate::batches::batches_per_epoch(n_cells, self.batch_size).max(1);
        let mut epochs = self.min_steps.div_ceil(per_epoch).max(self.epochs);
        if self.max_steps > 0 {
            epochs = epochs.min((self.max_steps / per_epoch).max(1));
        }
        let cosine_period = if self.cosine_period == self.epochs { epochs } else { self.cosine_period };
        Self { epochs, cosine_period, ..self.clone() }
    }

    /// How many of `n_cells` cells train the model (`max_cells`).
    pub fn training_cells(&self, n_cells: usize) -> usize {
        if self.max_cells == 0 { n_cells } else { n_cells.min(self.max_cells) }
    }

    /// Size of the embedding (the last layer).
    pub fn embedding_dim(&self) -> usize {
        *self.layers.last().unwrap_or(&0)
    }
}

/// KMeans on the embedding (SPEC section 4, scikit-learn's defaults).
#[derive(Clone, Debug, PartialEq)]
pub struct KMeansOptions {
    /// Independent k-means++ restarts; the lowest inertia wins.
    pub n_init: usize,
    /// Lloyd iterations per restart.
    pub max_iter: usize,
    /// Convergence tolerance, relative to the mean per-dimension variance.
    pub tol: f64,
}

/// The measured default: 50 restarts. With the default training, 10
/// restarts left one PBMC seed in five in a worse optimum (ARI 0.63 instead
/// of 0.77; PBMC seed sd 0.064 -> 0.002 with 50, mean ARI over the seven
/// datasets 0.747 either way), for about 0.3 s more on PBMC.
impl Default for KMeansOptions {
    fn default() -> Self {
        Self { n_init: 50, ..Self::reference() }
    }
}

impl KMeansOptions {
    /// SPEC section 4: scikit-learn's defaults, 10 restarts.
    pub fn reference() -> Self {
        Self { n_init: 10, max_iter: 300, tol: 1e-4 }
    }

    /// The settings of `mode`.
    pub fn for_mode(mode: Mode) -> Self {
        mode.pick(Self::default, Self::reference)
    }

    /// Checks ranges; messages name the R argument.
    pub fn validate(&self) -> Result<()> {
        if self.n_init == 0 {
            return Err(invalid("n.init", "must be at least 1"));
        }
        if self.max_iter == 0 {
            return Err(invalid("max.iter", "must be at least 1"));
        }
        if !(self.tol >= 0.0 && self.tol.is_finite()) {
            return Err(invalid("tol", "must be a non-negative number"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_reference_matches_the_spec() {
        for mode in [Mode::Default, Mode::Reference] {
            TrainOptions::for_mode(mode).validate().unwrap();
            PreprocessOptions::for_mode(mode).validate().unwrap();
        }
        KMeansOptions::default().validate().unwrap();
        let t = TrainOptions::reference();
        assert_eq!(t.layers, vec![200, 40, 60]);
        assert_eq!((t.epochs, t.batch_size, t.cosine_period, t.runs, t.neighbours, t.min_steps), (30, 200, 500, 1, 0, 0));
        assert_eq!((t.max_steps, t.max_cells), (0, 0));
        assert_eq!((t.dropout, t.temperature, t.learning_rate), (0.9, 0.07, 0.4));
        assert_eq!(PreprocessOptions::reference().n_genes, 500);
        assert_eq!(Mode::parse("reference").unwrap(), Mode::Reference);
        assert!(Mode::parse("fast").unwrap_err().to_string().starts_with("'mode'"));
    }

    #[test]
    fn the_step_budget_raises_small_runs_and_caps_large_ones() {
        let t = TrainOptions { epochs: 60, cosine_period: 60, min_steps: 600, max_steps: 1200, max_cells: 20_000, ..TrainOptions::reference() };
        // 300 cells: 2 batches an epoch, raised to 300 epochs
        assert_eq!((t.for_cells(300).epochs, t.for_cells(300).cosine_period), (300, 300));
        // 4,000 cells: 20 batches, 60 epochs are 1,200 steps, unchanged
        assert_eq!(t.for_cells(4_000).epochs, 60);
        // 20,000 cells: 100 batches, capped at 12 epochs
        assert_eq!((t.for_cells(20_000).epochs, t.for_cells(20_000).cosine_period), (12, 12));
        // more batches than the budget: one epoch
        assert_eq!(t.for_cells(1_000_000).epochs, 1);
        assert_eq!((t.training_cells(1_000_000), t.training_cells(500)), (20_000, 500));
        // no limits: the epochs as given
        let r = TrainOptions::reference();
        assert_eq!((r.for_cells(1_000_000).epochs, r.training_cells(1_000_000)), (30, 1_000_000));
    }

    #[test]
    fn bad_values_name_their_argument() {
        let t = TrainOptions { dropout: 1.0, ..TrainOptions::reference() };
        assert!(t.validate().unwrap_err().to_string().starts_with("'dropout'"));
        let p = PreprocessOptions { n_genes: 1, ..Default::default() };
        assert!(p.validate().unwrap_err().to_string().starts_with("'n.genes'"));
    }
}
