//! Preprocessing as passes over blocks of cells, so that input too large
//! for memory (an HDF5-backed matrix) can be streamed. The in-memory path is
//! the same code with a single block, so both give the same bits.
//!
//! Passes, each over all blocks in order (column `c` of a block is global
//! cell `first_cell + c`; blocks start at multiples of [`super::CHUNK`]):
//! 1. [`Preprocessor::add_totals`]: gene totals and cell totals;
//! 2. only when [`Preprocessor::needs_recount`]: [`Preprocessor::add_recount`],
//!    cell totals over the genes that passed `min_counts`;
//! 3. [`Preprocessor::add_dispersions`]: per-gene statistics of the
//!    normalised expression (or of the Pearson residuals of the counts),
//!    then the highly variable genes;
//! 4. [`Preprocessor::add_rows`]: the kept genes of the kept cells, dense.

use super::stats::{cell_totals, GeneSums, CHUNK};
use super::{as_count, hvg, linear, log_normalized, median, pearson, scale_columns, slot_map, Dispersions, PreprocessFit, Preprocessed};
use crate::error::{Error, Result};
use crate::options::{GeneRanking, PreprocessOptions};
use crate::sparse::CscView;
use ndarray::Array2;
use rayon::prelude::*;

/// Preprocessing state between passes.
pub struct Preprocessor {
    opts: PreprocessOptions,
    n_rows: usize,
    n_cols: usize,
    totals: GeneSums,
    cell_total: Vec<f64>,
    gene_ok: Vec<bool>,
    recount: bool,
    median_total: f64,
    cells: Vec<usize>,
    ranked_genes: Vec<usize>,
    moments: GeneSums,
    /// Pearson ranking: each ranked gene's share of all counts of the kept
    /// cells (set once the cells are known), and per gene the stored
    /// counts' residuals minus the residuals of zeros in their place
    /// (`sum`), and the same of squares.
    count_share: Vec<f64>,
    residual_shift: GeneSums,
    residual_shift_sq: GeneSums,
    dispersions: Dispersions,
    genes: Vec<usize>,
    data: Array2<f32>,
    columns: GeneSums,
}

impl Preprocessor {
    /// Starts on a genes x cells input of the given size.
    pub fn new(n_rows: usize, n_cols: usize, opts: &PreprocessOptions) -> Result<Self> {
        opts.validate()?;
        if n_rows == 0 || n_cols == 0 {
            return Err(Error::NotEnoughData(format!("has {n_rows} genes and {n_cols} cells")));
        }
        Ok(Self {
            opts: opts.clone(),
            n_rows,
            n_cols,
            totals: GeneSums::new(n_rows),
            cell_total: vec![0.0; n_cols],
            gene_ok: Vec::new(),
            recount: false,
            median_total: f64::NAN,
            cells: Vec::new(),
            ranked_genes: Vec::new(),
            moments: GeneSums::new(0),
            count_share: Vec::new(),
            residual_shift: GeneSums::new(0),
            residual_shift_sq: GeneSums::new(0),
            dispersions: Dispersions::default(),
            genes: Vec::new(),
            data: Array2::zeros((0, 0)),
            columns: GeneSums::new(0),
        })
    }

    fn check_block(&self, x: &CscView, first_cell: usize) -> Result<()> {
        if x.n_rows != self.n_rows || first_cell + x.n_cols > self.n_cols {
            return Err(Error::Shape(format!(
                "block of {} x {} at cell {} in a {} x {} matrix",
                x.n_rows, x.n_cols, first_cell, self.n_rows, self.n_cols
            )));
        }
        if first_cell % CHUNK != 0 {
            return Err(Error::Shape(format!("blocks must start at multiples of {CHUNK} cells, got {first_cell}")));
        }
        Ok(())
    }

    /// Pass 1: gene totals and cell totals.
    pub fn add_totals(&mut self, x: &CscView, first_cell: usize) -> Result<()> {
        self.check_block(x, first_cell)?;
        let norm_in = self.opts.normalized_input;
        self.totals.add_columns(x, first_cell, |_, g, v| Some((g, as_count(v, norm_in))));
        self.cell_total[first_cell..first_cell + x.n_cols].copy_from_slice(&cell_totals(x, None, norm_in));
        Ok(())
    }

    /// Ends pass 1: applies `min_counts`.
    pub fn finish_totals(&mut self) -> Result<()> {
        let min = self.opts.min_counts;
        self.gene_ok = self.totals.sum.iter().map(|&t| t >= min && t > 0.0).collect();
        self.ranked_genes = (0..self.n_rows).filter(|&g| self.gene_ok[g]).collect();
        if self.ranked_genes.len() < 2 {
            return Err(Error::NotEnoughData(format!(
                "has {} gene(s) with a total count of at least {} ('min.counts'); need 2",
                self.ranked_genes.len(),
                min
            )));
        }
        // Dropping a gene that has counts changes the cell totals.
        self.recount = self.totals.sum.iter().zip(&self.gene_ok).any(|(&t, &ok)| !ok && t > 0.0);
        if self.recount {
            self.cell_total.iter_mut().for_each(|t| *t = 0.0);
        } else {
            self.finish_cells()?;
        }
        Ok(())
    }

    /// Whether pass 2 is needed (some gene with counts was dropped).
    pub fn needs_recount(&self) -> bool {
        self.recount
    }

    /// Pass 2: cell totals over the kept genes.
    pub fn add_recount(&mut self, x: &CscView, first_cell: usize) -> Result<()> {
        self.check_block(x, first_cell)?;
        let t = cell_totals(x, Some(&self.gene_ok), self.opts.normalized_input);
        self.cell_total[first_cell..first_cell + x.n_cols].copy_from_slice(&t);
        Ok(())
    }

    /// Ends pass 2 (or 1): the kept cells and the normalisation target.
    pub fn finish_cells(&mut self) -> Result<()> {
        self.cells = (0..self.n_cols).filter(|&c| self.cell_total[c] > 0.0).collect();
        if self.cells.len() < 2 {
            return Err(Error::NotEnoughData(format!("has {} cell(s) with non-zero counts; need 2", self.cells.len())));
        }
        self.median_total =
            if self.opts.normalized_input { f64::NAN } else { median(self.cells.iter().map(|&c| self.cell_total[c]).collect()) };
        match self.opts.effective_ranking() {
            GeneRanking::SeuratDispersion => self.moments = GeneSums::new(self.ranked_genes.len()),
            GeneRanking::PearsonResiduals => {
                let total: f64 = self.cells.iter().map(|&c| self.cell_total[c]).sum();
                self.count_share = self.ranked_genes.iter().map(|&g| self.totals.sum[g] / total).collect();
                self.residual_shift = GeneSums::new(self.ranked_genes.len());
                self.residual_shift_sq = GeneSums::new(self.ranked_genes.len());
            }
        }
        Ok(())
    }

    #[inline]
    fn linear(&self, cell: usize, v: f64) -> f64 {
        linear(v, self.cell_total[cell], self.median_total, self.opts.normalized_input)
    }

    #[inline]
    fn log(&self, cell: usize, v: f64) -> f64 {
        log_normalized(v, self.cell_total[cell], self.median_total, self.opts.normalized_input)
    }

    /// Pass 3: statistics of the normalised, not logged, expression (or of
    /// the counts' Pearson residuals).
    pub fn add_dispersions(&mut self, x: &CscView, first_cell: usize) -> Result<()> {
        self.check_block(x, first_cell)?;
        let slot = slot_map(self.n_rows, &self.ranked_genes);
        if self.opts.effective_ranking() == GeneRanking::PearsonResiduals {
            let clip = pearson::clip_for(self.cells.len());
            // Summed in place across blocks, so any split gives the same bits.
            let mut shift = std::mem::replace(&mut self.residual_shift, GeneSums::new(0));
            let mut shift_sq = std::mem::replace(&mut self.residual_shift_sq, GeneSums::new(0));
            let this = &*self;
            // (residual, residual of a zero) of a stored count of a ranked gene
            let pair = |c: usize, g: usize, v: f64| {
                let j = slot[g];
                (j != usize::MAX && this.cell_total[c] > 0.0).then(|| {
                    let mu = this.count_share[j] * this.cell_total[c];
                    (j, pearson::residual(as_count(v, false), mu, clip), pearson::residual(0.0, mu, clip))
                })
            };
            shift.add_columns(x, first_cell, |c, g, v| pair(c, g, v).map(|(j, r, r0)| (j, r - r0)));
            shift_sq.add_columns(x, first_cell, |c, g, v| pair(c, g, v).map(|(j, r, r0)| (j, r * r - r0 * r0)));
            self.residual_shift = shift;
            self.residual_shift_sq = shift_sq;
            return Ok(());
        }
        let mut m = std::mem::replace(&mut self.moments, GeneSums::new(0));
        let this = &*self;
        m.add_columns(x, first_cell, |c, g, v| {
            let j = slot[g];
            (j != usize::MAX && this.cell_total[c] > 0.0).then(|| (j, this.linear(c, v)))
        });
        self.moments = m;
        Ok(())
    }

    /// Ends pass 3: ranks the genes and keeps the top `n_genes`.
    pub fn finish_dispersions(&mut self) -> Result<()> {
        self.dispersions = match self.opts.effective_ranking() {
            GeneRanking::SeuratDispersion => {
                let (mean, var) = self.moments.mean_var(self.cells.len());
                hvg::seurat_dispersions(&mean, &var, self.opts.n_bins)
            }
            GeneRanking::PearsonResiduals => {
                let histogram = pearson::total_histogram(self.cells.iter().map(|&c| self.cell_total[c]));
                let (mut sum, mut sum_sq) = pearson::zero_sums(&self.count_share, &histogram, pearson::clip_for(self.cells.len()));
                sum.iter_mut().zip(&self.residual_shift.sum).for_each(|(a, b)| *a += b);
                sum_sq.iter_mut().zip(&self.residual_shift_sq.sum).for_each(|(a, b)| *a += b);
                Dispersions { normalized: pearson::variances(&sum, &sum_sq, self.cells.len()), ..Default::default() }
            }
        };
        let genes = hvg::top_genes(&self.dispersions.normalized, self.opts.n_genes).into_iter().map(|i| self.ranked_genes[i]).collect();
        self.keep_genes(genes)
    }

    /// The ranked genes (input rows) and their normalised dispersions (or
    /// residual variances), once pass 3 has ended.
    pub fn ranking(&self) -> (&[usize], &[f64]) {
        (&self.ranked_genes, &self.dispersions.normalized)
    }

    /// Keeps `genes` (input rows, ascending) in place of the top-ranked
    /// ones: the genes chosen across batches ([`super::batches`]).
    pub fn keep_genes(&mut self, genes: Vec<usize>) -> Result<()> {
        if genes.windows(2).any(|w| w[0] >= w[1]) || genes.last().is_some_and(|&g| g >= self.n_rows) {
            return Err(Error::Shape("kept genes must be ascending input rows".into()));
        }
        self.genes = genes;
        self.data = Array2::zeros((self.cells.len(), self.genes.len()));
        self.columns = GeneSums::new(self.genes.len());
        Ok(())
    }

    /// The kept cells (input columns), once pass 2 (or 1) has ended.
    pub fn cells(&self) -> &[usize] {
        &self.cells
    }

    /// Pass 4: the kept genes of the kept cells, log-normalised, dense.
    pub fn add_rows(&mut self, x: &CscView, first_cell: usize) -> Result<()> {
        self.check_block(x, first_cell)?;
        let slot = slot_map(self.n_rows, &self.genes);
        let mut cols = std::mem::replace(&mut self.columns, GeneSums::new(0));
        cols.add_columns(x, first_cell, |c, g, v| {
            let j = slot[g];
            (j != usize::MAX && self.cell_total[c] > 0.0).then(|| (j, self.log(c, v)))
        });
        self.columns = cols;
        // The kept cells of this block are consecutive rows of `data`.
        let first_row = self.cells.partition_point(|&c| c < first_cell);
        let last_row = self.cells.partition_point(|&c| c < first_cell + x.n_cols);
        let mut data = std::mem::replace(&mut self.data, Array2::zeros((0, 0)));
        let this = &*self;
        data.slice_mut(ndarray::s![first_row..last_row, ..])
            .axis_iter_mut(ndarray::Axis(0))
            .into_par_iter()
            .zip(first_row..last_row)
            .for_each(|(mut row, r)| {
                let c = this.cells[r];
                for (g, v) in x.column(c - first_cell) {
                    if slot[g] != usize::MAX {
                        row[slot[g]] = this.log(c, v) as f32;
                    }
                }
            });
        self.data = data;
        Ok(())
    }

    /// Ends pass 4 with each gene scaled within each batch
    /// ([`super::batches::scale_in_batches`]): `batch` holds a batch per
    /// kept cell. The fit keeps the scaling of all cells together as well.
    pub fn finish_in_batches(mut self, batch: &[u32]) -> Result<(Preprocessed, Vec<super::Scaling>)> {
        if batch.len() != self.cells.len() {
            return Err(Error::Shape(format!("{} batch labels for {} kept cells", batch.len(), self.cells.len())));
        }
        let (means, stds) = self.scaling();
        let per_batch = super::batches::scale_in_batches(&mut self.data, batch);
        Ok((self.into_preprocessed(means, stds), per_batch))
    }

    /// Ends pass 4: scales each kept gene to mean 0, variance 1.
    pub fn finish(mut self) -> Result<Preprocessed> {
        let (means, stds) = self.scaling();
        scale_columns(&mut self.data, &means, &stds);
        Ok(self.into_preprocessed(means, stds))
    }

    /// Mean and standard deviation of each kept gene over the kept cells.
    fn scaling(&self) -> (Vec<f64>, Vec<f64>) {
        let n = self.cells.len();
        let width = self.genes.len();
        let (mut means, vars) = self.columns.mean_var(n);
        // A constant column becomes exactly 0 (std 1, mean = its stored
        // value), where sum-of-squares arithmetic would leave rounding noise.
        let mut stds = vec![1.0; width];
        for j in 0..width {
            if self.columns.is_constant(j, n) {
                means[j] = if self.columns.count[j] == 0 { 0.0 } else { self.columns.max[j] as f32 as f64 };
            } else if vars[j] > 0.0 {
                stds[j] = vars[j].sqrt();
            }
        }
        (means, stds)
    }

    fn into_preprocessed(self, means: Vec<f64>, stds: Vec<f64>) -> Preprocessed {
        let fit = PreprocessFit { genes: self.genes, means, stds, median_total: self.median_total, normalized_input: self.opts.normalized_input };
        Preprocessed { data: self.data, cells: self.cells, fit, dispersions: self.dispersions, ranked_genes: self.ranked_genes }
    }
}
