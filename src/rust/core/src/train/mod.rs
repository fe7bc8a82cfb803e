//! Training (SPEC section 3) with a step-wise API: the caller drives
//! mini-batch steps ([`Trainer::run_steps`]) or whole epochs
//! ([`Trainer::run_epoch`]), so that a binding can check for interrupts and
//! report progress between them, on its own thread.
//!
//! Each step runs the encoder twice in training mode on the same cells with
//! independent dropout masks (the two views), folds both views' batch
//! statistics into BatchNorm's running statistics (view 1 first), and takes
//! one Adam step on the NT-Xent loss.

pub use crate::batches::{batches_per_epoch, epoch_batches};

use crate::backend::{Backend, Native};
use crate::error::{Error, Result};
use crate::neighbours::Neighbours;
use crate::nn::{cosine_lr, Encoder, PairMask, SparseBatch};
use crate::options::TrainOptions;
use crate::pca::Pca;
use crate::rng::{sorted_subsample, stream, Purpose};
use ndarray::{Array2, ArrayView2, Axis};
use rand::Rng as _;

/// Principal components in which neighbour positives are found.
pub const NEIGHBOUR_COMPONENTS: usize = 50;

/// The rows of `n` cells that train a model (`opts.max_cells`, a subsample
/// drawn from `seed`), sorted; `None`: all of them. Drawn once per model,
/// so the runs of a consensus and the batch correction share the cells.
pub fn training_rows(n: usize, opts: &TrainOptions, seed: u64) -> Option<Vec<usize>> {
    sorted_subsample(n, opts.training_cells(n), &mut stream(seed, Purpose::Subsample, &[2]))
}

/// A model being trained on a fixed scaled matrix (cells x genes).
pub struct Trainer {
    data: Array2<f32>,
    /// The rows of `data` that train the model (`max_cells`), sorted;
    /// `None`: all of them. Batches and neighbours index into this list.
    training_rows: Option<Vec<usize>>,
    /// With `opts.neighbours > 0` or `opts.exclude_neighbours > 0`: each
    /// training cell's nearest training cells, nearest first: the first
    /// `neighbours` are the candidates for its positive, the first
    /// `exclude_neighbours` are not its negatives.
    neighbours: Option<Neighbours>,
    /// Scratch for [`Trainer::false_negatives`]: per training cell, its
    /// first row in the current step (`u32::MAX`: none).
    first_row: Vec<u32>,
    /// The principal components the neighbours were found in (fitted on
    /// the training cells), kept for the reference of mapping.
    components: Option<Pca>,
    backend: Box<dyn Backend>,
    opts: TrainOptions,
    seed: u64,
    epoch: usize,
    losses: Vec<f64>,
    step_losses: Vec<f64>,
    current: Option<EpochState>,
}

/// The part of an epoch that has run.
struct EpochState {
    batches: Vec<Vec<usize>>,
    next: usize,
    loss_sum: f64,
    lr: f64,
}

impl Trainer {
    /// A fresh model with seeded initial weights on the native backend.
    pub fn new(data: Array2<f32>, opts: TrainOptions, seed: u64) -> Result<Self> {
        let encoder = Self::initial_encoder(data.ncols(), &opts, seed);
        Self::with_encoder(data, opts, seed, encoder)
    }

    /// The seeded initial weights: every backend starts from these.
    pub fn initial_encoder(n_genes: usize, opts: &TrainOptions, seed: u64) -> Encoder {
        Encoder::init(n_genes, &opts.layers, &mut stream(seed, Purpose::Init, &[]))
    }

    /// Starts the native backend from given weights (parity tests).
    pub fn with_encoder(data: Array2<f32>, opts: TrainOptions, seed: u64, encoder: Encoder) -> Result<Self> {
        if encoder.n_in() != data.ncols() {
            return Err(Error::Shape(format!("{} genes in the data, {} in the model", data.ncols(), encoder.n_in())));
        }
        let temperature = opts.temperature;
        Self::with_backend(data, opts, seed, Box::new(Native::new(encoder, temperature)))
    }

    /// Trains with any backend; batches, masks and learning rates come from
    /// here, so two backends with the same seed see the same ones. Cells of
    /// several batches are corrected before ([`crate::mnn::Correction::fit_on`]
    /// on [`training_rows`]), and train as one.
    pub fn with_backend(data: Array2<f32>, opts: TrainOptions, seed: u64, backend: Box<dyn Backend>) -> Result<Self> {
        opts.validate()?;
        if data.nrows() < 2 {
            return Err(Error::NotEnoughData(format!("has {} usable cell(s); need 2", data.nrows())));
        }
        let training_rows = training_rows(data.nrows(), &opts, seed);
        let n_train = training_rows.as_ref().map_or(data.nrows(), Vec::len);
        let opts = opts.for_cells(n_train);
        let (components, neighbours) = match opts.neighbours.max(opts.exclude_neighbours) {
            0 => (None, None),
            k => {
                let cells = match &training_rows {
                    Some(rows) => std::borrow::Cow::Owned(data.select(Axis(0), rows)),
                    None => std::borrow::Cow::Borrowed(&data),
                };
                let pca = Pca::fit(cells.view(), NEIGHBOUR_COMPONENTS, seed)?;
                let found = Neighbours::find(pca.project(cells.view()).view(), k)?;
                (Some(pca), Some(found))
            }
        };
        let first_row = if opts.exclude_neighbours > 0 { vec![u32::MAX; n_train] } else { Vec::new() };
        Ok(Self { data, training_rows, neighbours, first_row, components, backend, opts, seed, epoch: 0, losses: Vec::new(), step_losses: Vec::new(), current: None })
    }

    /// The scaled matrix the model trains on (every cell, corrected).
    pub fn data(&self) -> ArrayView2<'_, f32> {
        self.data.view()
    }

    /// The rows of [`Trainer::data`] that train the model; `None`: all.
    pub fn training_rows(&self) -> Option<&[usize]> {
        self.training_rows.as_deref()
    }

    /// The training cells' principal components, when neighbours needed
    /// them.
    pub fn components(&self) -> Option<&Pca> {
        self.components.as_ref()
    }

    /// Number of cells that train the model.
    pub fn n_training_cells(&self) -> usize {
        self.training_rows.as_ref().map_or(self.data.nrows(), Vec::len)
    }

    /// The row of `data` of training cell `i`.
    fn data_row(&self, i: usize) -> usize {
        self.training_rows.as_ref().map_or(i, |rows| rows[i])
    }

    /// The rows of `data` of training cells `cells`.
    fn rows_of(&self, cells: &[usize]) -> Array2<f32> {
        let rows: Vec<usize> = cells.iter().map(|&i| self.data_row(i)).collect();
        self.data.select(Axis(0), &rows)
    }

    /// Starts another model from scratch on the same data (the next run of
    /// a consensus): new seed, new backend, nothing kept but the data.
    pub fn restart(&mut self, seed: u64, backend: Box<dyn Backend>) -> Result<()> {
        if backend.n_in() != self.data.ncols() {
            return Err(Error::Shape("the new model does not match the data's genes".into()));
        }
        self.backend = backend;
        self.seed = seed;
        self.epoch = 0;
        self.losses.clear();
        self.step_losses.clear();
        self.current = None;
        Ok(())
    }

    /// Epochs run so far.
    pub fn epochs_done(&self) -> usize {
        self.epoch
    }

    /// Mean loss of each epoch run so far.
    pub fn losses(&self) -> &[f64] {
        &self.losses
    }

    /// The loss of every step run so far, in order.
    pub fn step_losses(&self) -> &[f64] {
        &self.step_losses
    }

    /// The current weights, as plain arrays.
    pub fn encoder(&self) -> Result<Encoder> {
        self.backend.encoder()
    }

    /// The backend in use.
    pub fn backend(&self) -> &dyn Backend {
        self.backend.as_ref()
    }

    /// The training options.
    pub fn options(&self) -> &TrainOptions {
        &self.opts
    }

    /// Whether all configured epochs have run.
    pub fn finished(&self) -> bool {
        self.epoch >= self.opts.epochs
    }

    /// One pass over the cells (or the rest of the current one); returns the
    /// epoch's mean batch loss.
    pub fn run_epoch(&mut self) -> Result<f64> {
        let done = self.epoch;
        while self.epoch == done && !self.finished() {
            self.run_steps(usize::MAX)?;
        }
        Ok(self.losses.last().copied().unwrap_or(f64::NAN))
    }

    /// Runs up to `max_steps` mini-batch steps, stopping early at the end of
    /// an epoch or of training; returns the number of steps run. Losses of
    /// completed epochs are appended to [`Trainer::losses`].
    pub fn run_steps(&mut self, max_steps: usize) -> Result<usize> {
        if self.finished() {
            return Ok(0);
        }
        let e = self.epoch as u64;
        let mut state = match self.current.take() {
            Some(s) => s,
            None => EpochState {
                batches: epoch_batches(self.n_training_cells(), self.opts.batch_size, &mut stream(self.seed, Purpose::Shuffle, &[e])),
                next: 0,
                loss_sum: 0.0,
                lr: cosine_lr(self.opts.learning_rate, self.epoch, self.opts.cosine_period),
            },
        };
        let mut steps = 0;
        while steps < max_steps && state.next < state.batches.len() {
            let b = state.next;
            let batch = &state.batches[b];
            let x = self.rows_of(batch);
            let positives = self.positives(batch, e, b);
            let excluded = self.false_negatives(batch, positives.as_deref().unwrap_or(batch));
            let x2 = positives.map(|p| self.rows_of(&p));
            let view = |v: u64, x: ArrayView2<f32>| {
                let seed = self.seed;
                SparseBatch::sample(x, self.opts.dropout, move |r| stream(seed, Purpose::Dropout, &[e, b as u64, v, r as u64]))
            };
            let (v1, v2) = rayon::join(|| view(0, x.view()), || view(1, x2.as_ref().unwrap_or(&x).view()));
            self.backend.step(&v1, &v2, excluded.as_ref(), state.lr).map_err(|e| self.in_epoch(e))?;
            state.next += 1;
            steps += 1;
        }
        // One wait for the device per call, not per step.
        let losses = self.backend.take_losses().map_err(|e| self.in_epoch(e))?;
        state.loss_sum += losses.iter().sum::<f64>();
        self.step_losses.extend(losses);
        if state.next == state.batches.len() {
            self.losses.push(state.loss_sum / state.batches.len() as f64);
            self.epoch += 1;
        } else {
            self.current = Some(state);
        }
        Ok(steps)
    }

    /// The training cells whose views are the positives of batch `b` of
    /// epoch `e` (training cells `batch`): each cell's own (`None`, the
    /// published method) or one drawn from its `neighbours` nearest cells.
    fn positives(&self, batch: &[usize], e: u64, b: usize) -> Option<Vec<usize>> {
        let nb = self.neighbours.as_ref().filter(|_| self.opts.neighbours > 0)?;
        let k = self.opts.neighbours.min(nb.k);
        Some(
            batch
                .iter()
                .enumerate()
                .map(|(r, &cell)| {
                    let mut rng = stream(self.seed, Purpose::Neighbour, &[e, b as u64, r as u64]);
                    nb.of(cell)[rng.gen_range(0..k)] as usize
                })
                .collect(),
        )
    }

    /// With `exclude_neighbours = m > 0`, the pairs of a step's rows (view 1
    /// of training cells `batch`, then view 2 of `positives`) that are left
    /// out of each other's denominator: two rows whose cells are one
    /// another's `m` nearest (either way), or the same cell. Such pairs are
    /// probably of one population, and pushing them apart is what spreads a
    /// large population into clumps (issue 26).
    fn false_negatives(&mut self, batch: &[usize], positives: &[usize]) -> Option<PairMask> {
        let m = self.opts.exclude_neighbours;
        let nb = self.neighbours.as_ref().filter(|_| m > 0)?;
        let m = m.min(nb.k);
        let cells: Vec<usize> = batch.iter().chain(positives).copied().collect();
        // rows of the same cell are chained: first_row[cell] -> next_row[row]
        let mut next_row = vec![u32::MAX; cells.len()];
        for (row, &c) in cells.iter().enumerate().rev() {
            next_row[row] = self.first_row[c];
            self.first_row[c] = row as u32;
        }
        let mut mask = PairMask::new(cells.len());
        for (a, &c) in cells.iter().enumerate() {
            for &j in &nb.of(c)[..m] {
                let mut b = self.first_row[j as usize];
                while b != u32::MAX {
                    if b as usize != a {
                        mask.exclude(a, b as usize);
                    }
                    b = next_row[b as usize];
                }
            }
        }
        for &c in &cells {
            self.first_row[c] = u32::MAX;
        }
        Some(mask)
    }

    /// One optimisation step on two given views of the same cells; returns
    /// its loss (waiting for the device).
    pub fn step(&mut self, v1: &SparseBatch, v2: &SparseBatch, lr: f64) -> Result<f64> {
        self.backend.step(v1, v2, None, lr).map_err(|e| self.in_epoch(e))?;
        let losses = self.backend.take_losses().map_err(|e| self.in_epoch(e))?;
        losses.last().copied().ok_or_else(|| Error::Shape("the backend returned no loss".into()))
    }

    /// Names the epoch in a divergence.
    fn in_epoch(&self, e: Error) -> Error {
        match e {
            Error::Diverged(m) => Error::Diverged(format!("{m} in epoch {}", self.epoch + 1)),
            other => other,
        }
    }

    /// Evaluation-mode embedding of the training cells.
    pub fn embed(&self) -> Result<Array2<f32>> {
        self.backend.embed(self.data.view())
    }

    /// Evaluation-mode embedding of other scaled cells.
    pub fn embed_rows(&self, x: ArrayView2<f32>) -> Result<Array2<f32>> {
        self.backend.embed(x)
    }
}

/// Preprocessed data to a trained encoder in one call (no progress, no
/// interrupts): the convenience path for tests and benches.
pub fn train(data: Array2<f32>, opts: &TrainOptions, seed: u64) -> Result<Trainer> {
    let mut t = Trainer::new(data, opts.clone(), seed)?;
    while !t.finished() {
        t.run_epoch()?;
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array2;

    #[test]
    fn steps_in_any_chunking_equal_whole_epochs() {
        let data = Array2::from_shape_fn((450, 20), |(i, j)| ((i * 7 + j * 3) % 11) as f32 - 5.0);
        let opts = TrainOptions { layers: vec![8, 4], epochs: 2, ..TrainOptions::reference() };
        let whole = train(data.clone(), &opts, 5).unwrap();
        let mut parts = Trainer::new(data, opts, 5).unwrap();
        let mut total = 0;
        while !parts.finished() {
            total += parts.run_steps(2).unwrap();
        }
        // 450 cells: batches of 200, 200 and 50 per epoch
        assert_eq!(total, 6);
        assert_eq!(whole.losses(), parts.losses());
        assert_eq!(whole.embed().unwrap(), parts.embed().unwrap());
    }

    #[test]
    fn a_subsample_trains_within_the_step_budget_and_every_cell_is_embedded() {
        let data = Array2::from_shape_fn((2_000, 20), |(i, j)| ((i * 7 + j * 13) as f32 * 0.37).sin() + ((i % 3) * (j % 4)) as f32);
        let opts = TrainOptions { layers: vec![8, 4], epochs: 60, cosine_period: 60, neighbours: 4, max_cells: 500, max_steps: 30, ..TrainOptions::reference() };
        let t = train(data.clone(), &opts, 3).unwrap();
        assert_eq!(t.n_training_cells(), 500);
        // 500 cells are 3 batches; 30 steps are 10 epochs
        assert_eq!((t.options().epochs, t.options().cosine_period, t.step_losses().len()), (10, 10, 30));
        let rows = t.training_rows.as_ref().unwrap();
        assert!(rows.windows(2).all(|w| w[0] < w[1]) && *rows.last().unwrap() < 2_000);
        assert_eq!(t.embed().unwrap().nrows(), 2_000);
        // the same seed draws the same cells; another seed others
        let again = Trainer::new(data.clone(), opts.clone(), 3).unwrap();
        assert_eq!(again.training_rows, t.training_rows);
        assert_ne!(Trainer::new(data.clone(), opts.clone(), 4).unwrap().training_rows, t.training_rows);
        // positives are training cells
        let positives = t.positives(&(0..50).collect::<Vec<_>>(), 0, 0).unwrap();
        assert!(positives.iter().all(|&p| rows.binary_search(&t.data_row(p)).is_ok()));
        let all = TrainOptions { max_cells: 0, ..opts };
        assert_eq!(Trainer::new(data, all, 3).unwrap().n_training_cells(), 2_000);
    }

    #[test]
    fn a_diverging_run_is_an_error_that_names_the_epoch() {
        let data = Array2::from_shape_fn((300, 20), |(i, j)| ((i * 5 + j * 3) % 13) as f32 - 6.0);
        let opts = TrainOptions { layers: vec![8, 4], epochs: 3, learning_rate: 1e38, ..TrainOptions::reference() };
        let mut t = Trainer::new(data, opts, 1).unwrap();
        let err = loop {
            match t.run_epoch() {
                Err(e) => break e,
                Ok(_) => assert!(!t.finished(), "a learning rate of 1e38 trained without a non-finite loss"),
            }
        };
        assert!(matches!(err, Error::Diverged(_)), "{err}");
        assert!(err.to_string().contains("in epoch"), "{err}");
    }

    #[test]
    fn a_restarted_trainer_equals_a_fresh_one() {
        let data = Array2::from_shape_fn((300, 20), |(i, j)| ((i * 5 + j * 3) % 13) as f32 - 6.0);
        let opts = TrainOptions { layers: vec![8, 4], epochs: 2, ..TrainOptions::reference() };
        let mut t = train(data.clone(), &opts, 1).unwrap();
        let init = Trainer::initial_encoder(20, &opts, 9);
        t.restart(9, Box::new(Native::new(init, opts.temperature))).unwrap();
        assert_eq!(t.epochs_done(), 0);
        while !t.finished() {
            t.run_epoch().unwrap();
        }
        let fresh = train(data, &opts, 9).unwrap();
        assert_eq!(t.losses(), fresh.losses());
        assert_eq!(t.embed().unwrap(), fresh.embed().unwrap());
        // a model for other genes is refused
        let other = Trainer::initial_encoder(19, &opts, 9);
        assert!(matches!(t.restart(9, Box::new(Native::new(other, opts.temperature))), Err(Error::Shape(_))));
    }

    #[test]
    fn neighbour_positives_come_from_the_neighbours_and_do_not_depend_on_threads() {
        // distinct cells in three groups
        let data = Array2::from_shape_fn((300, 20), |(i, j)| ((i * 7 + j * 13) as f32 * 0.37).sin() + ((i % 3) * (j % 4)) as f32);
        let opts = TrainOptions { layers: vec![8, 4], epochs: 2, neighbours: 4, ..TrainOptions::reference() };
        let t = Trainer::new(data.clone(), opts.clone(), 3).unwrap();
        let rows: Vec<usize> = (0..60).collect();
        let positives = t.positives(&rows, 0, 0).unwrap();
        let nb = t.neighbours.as_ref().unwrap();
        assert!(positives.iter().zip(&rows).all(|(&p, &r)| nb.of(r).contains(&(p as u32))));
        assert!(positives.iter().zip(&rows).any(|(p, r)| p != r), "every positive was the cell itself");
        let run = |threads: usize, o: &TrainOptions| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            pool.install(|| train(data.clone(), o, 3).unwrap().embed().unwrap())
        };
        assert_eq!(run(1, &opts), run(2, &opts));
        let published = TrainOptions { neighbours: 0, ..opts.clone() };
        assert_ne!(run(1, &opts), run(1, &published));
    }

    #[test]
    fn false_negatives_are_nearest_cells_either_way_and_spare_the_positive() {
        let data = Array2::from_shape_fn((300, 20), |(i, j)| ((i * 7 + j * 13) as f32 * 0.37).sin() + ((i % 3) * (j % 4)) as f32);
        let opts = TrainOptions { layers: vec![8, 4], epochs: 2, neighbours: 4, exclude_neighbours: 30, ..TrainOptions::reference() };
        let mut t = Trainer::new(data.clone(), opts.clone(), 3).unwrap();
        // the neighbour lists serve both: positives from the first 4 of 30
        assert_eq!(t.neighbours.as_ref().unwrap().k, 30);
        let batch: Vec<usize> = (0..80).map(|i| i * 3 % 300).collect();
        let positives = t.positives(&batch, 0, 0).unwrap();
        let nb = t.neighbours.clone().unwrap();
        assert!(positives.iter().zip(&batch).all(|(&p, &c)| nb.of(c)[..4].contains(&(p as u32))));
        let mask = t.false_negatives(&batch, &positives).unwrap();
        let cells: Vec<usize> = batch.iter().chain(&positives).copied().collect();
        let near = |a: usize, b: usize| nb.of(a)[..30].contains(&(b as u32));
        for a in 0..cells.len() {
            for b in 0..cells.len() {
                let expected = a != b && (cells[a] == cells[b] || near(cells[a], cells[b]) || near(cells[b], cells[a]));
                assert_eq!(mask.is_excluded(a, b), expected, "rows {a} and {b}");
            }
        }
        assert!(mask.count() > 0 && mask.count() < cells.len() * cells.len() / 2);
        // the scratch is left clean for the next step
        assert!(t.first_row.iter().all(|&r| r == u32::MAX));
        // it changes training, and only when asked for
        let run = |o: &TrainOptions| train(data.clone(), o, 3).unwrap().embed().unwrap();
        let plain = TrainOptions { exclude_neighbours: 0, ..opts.clone() };
        assert_ne!(run(&opts), run(&plain));
        assert!(Trainer::new(data, plain, 3).unwrap().false_negatives(&batch, &batch).is_none());
    }
}
