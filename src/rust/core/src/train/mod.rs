//! Training (SPEC section 3) with a step-wise API: the caller drives
//! mini-batch steps ([`Trainer::run_steps`]) or whole epochs
//! ([`Trainer::run_epoch`]), so that a binding can check for interrupts and
//! report progress between them, on its own thread.
//!
//! Each step runs the encoder twice in training mode on the same cells with
//! independent dropout masks (the two views), folds both views' batch
//! statistics into BatchNorm's running statistics (view 1 first), and takes
//! one Adam step on the NT-Xent loss.

mod batches;

pub use batches::epoch_batches;

use crate::error::{Error, Result};
use crate::nn::{cosine_lr, nt_xent, Adam, Encoder, SparseBatch};
use crate::options::TrainOptions;
use crate::rng::{stream, Purpose};
use ndarray::{concatenate, Array2, ArrayView2, Axis};

/// A model being trained on a fixed scaled matrix (cells x genes).
pub struct Trainer {
    data: Array2<f32>,
    encoder: Encoder,
    adam: Adam,
    opts: TrainOptions,
    seed: u64,
    epoch: usize,
    losses: Vec<f64>,
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
    /// A fresh model with seeded initial weights.
    pub fn new(data: Array2<f32>, opts: TrainOptions, seed: u64) -> Result<Self> {
        let encoder = Encoder::init(data.ncols(), &opts.layers, &mut stream(seed, Purpose::Init, &[]));
        Self::with_encoder(data, opts, seed, encoder)
    }

    /// Starts from given weights (parity tests, continued training).
    pub fn with_encoder(data: Array2<f32>, opts: TrainOptions, seed: u64, encoder: Encoder) -> Result<Self> {
        opts.validate()?;
        if data.nrows() < 2 {
            return Err(Error::NotEnoughData(format!("has {} usable cell(s); need 2", data.nrows())));
        }
        if encoder.n_in() != data.ncols() {
            return Err(Error::Shape(format!("{} genes in the data, {} in the model", data.ncols(), encoder.n_in())));
        }
        let sizes = param_sizes(&encoder);
        Ok(Self { data, encoder, adam: Adam::new(&sizes), opts, seed, epoch: 0, losses: Vec::new(), current: None })
    }

    /// Epochs run so far.
    pub fn epochs_done(&self) -> usize {
        self.epoch
    }

    /// Mean loss of each epoch run so far.
    pub fn losses(&self) -> &[f64] {
        &self.losses
    }

    /// The current weights.
    pub fn encoder(&self) -> &Encoder {
        &self.encoder
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
                batches: epoch_batches(self.data.nrows(), self.opts.batch_size, &mut stream(self.seed, Purpose::Shuffle, &[e])),
                next: 0,
                loss_sum: 0.0,
                lr: cosine_lr(self.opts.learning_rate, self.epoch, self.opts.cosine_period),
            },
        };
        let mut steps = 0;
        while steps < max_steps && state.next < state.batches.len() {
            let b = state.next;
            let x = self.data.select(Axis(0), &state.batches[b]);
            let view = |v: u64| {
                let seed = self.seed;
                SparseBatch::sample(x.view(), self.opts.dropout, move |r| {
                    stream(seed, Purpose::Dropout, &[e, b as u64, v, r as u64])
                })
            };
            let (v1, v2) = rayon::join(|| view(0), || view(1));
            state.loss_sum += self.step(&v1, &v2, state.lr)?;
            state.next += 1;
            steps += 1;
        }
        if state.next == state.batches.len() {
            self.losses.push(state.loss_sum / state.batches.len() as f64);
            self.epoch += 1;
        } else {
            self.current = Some(state);
        }
        Ok(steps)
    }

    /// One optimisation step on two given views of the same cells.
    pub fn step(&mut self, v1: &SparseBatch, v2: &SparseBatch, lr: f64) -> Result<f64> {
        let enc = &self.encoder;
        let ((e1, c1), (e2, c2)) = rayon::join(|| enc.forward_train(v1), || enc.forward_train(v2));
        let e = concatenate![Axis(0), e1, e2];
        let (loss, de) = nt_xent(e.view(), self.opts.temperature);
        if !loss.is_finite() {
            return Err(Error::Diverged(format!("loss is {loss} in epoch {}", self.epoch + 1)));
        }
        let n = v1.n_rows;
        let (mut g, g2) = rayon::join(
            || enc.backward(v1, e.slice(ndarray::s![..n, ..]), &c1, de.slice(ndarray::s![..n, ..])),
            || enc.backward(v2, e.slice(ndarray::s![n.., ..]), &c2, de.slice(ndarray::s![n.., ..])),
        );
        g.add(&g2);
        self.encoder.update_running(&c1.stats);
        self.encoder.update_running(&c2.stats);
        let grads: Vec<&[f32]> = g
            .linears
            .iter()
            .flat_map(|(w, b)| [w.as_slice(), b.as_slice()])
            .chain(g.norms.iter().flat_map(|(a, b)| [a.as_slice(), b.as_slice()]))
            .map(|s| s.expect("gradients are contiguous"))
            .collect();
        let mut params = param_slices(&mut self.encoder);
        self.adam.step(&mut params, &grads, lr);
        Ok(loss)
    }

    /// Evaluation-mode embedding of the training cells.
    pub fn embed(&self) -> Array2<f32> {
        self.encoder.embed(self.data.view())
    }

    /// Evaluation-mode embedding of other scaled cells.
    pub fn embed_rows(&self, x: ArrayView2<f32>) -> Array2<f32> {
        self.encoder.embed(x)
    }
}

/// Lengths of the trainable tensors, in [`param_slices`] order.
fn param_sizes(enc: &Encoder) -> Vec<usize> {
    enc.linears
        .iter()
        .flat_map(|l| [l.weight.len(), l.bias.len()])
        .chain(enc.norms.iter().flat_map(|b| [b.gamma.len(), b.beta.len()]))
        .collect()
}

/// Trainable tensors: each layer's weight and bias, then each BatchNorm's
/// gamma and beta.
fn param_slices(enc: &mut Encoder) -> Vec<&mut [f32]> {
    let mut out: Vec<&mut [f32]> = Vec::new();
    for l in enc.linears.iter_mut() {
        out.push(l.weight.as_slice_mut().expect("weights are contiguous"));
        out.push(l.bias.as_slice_mut().expect("biases are contiguous"));
    }
    for b in enc.norms.iter_mut() {
        out.push(b.gamma.as_slice_mut().expect("gamma is contiguous"));
        out.push(b.beta.as_slice_mut().expect("beta is contiguous"));
    }
    out
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
        let opts = TrainOptions { layers: vec![8, 4], epochs: 2, ..Default::default() };
        let whole = train(data.clone(), &opts, 5).unwrap();
        let mut parts = Trainer::new(data, opts, 5).unwrap();
        let mut total = 0;
        while !parts.finished() {
            total += parts.run_steps(2).unwrap();
        }
        // 450 cells: batches of 200, 200 and 50 per epoch
        assert_eq!(total, 6);
        assert_eq!(whole.losses(), parts.losses());
        assert_eq!(whole.embed(), parts.embed());
    }
}
