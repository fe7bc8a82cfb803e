//! The native backend: the hand-written forward and backward passes of
//! [`crate::nn`] with Adam, on the CPU in the caller's rayon pool.

use super::{Backend, Device};
use crate::error::{Error, Result};
use crate::nn::{nt_xent_masked, Adam, Encoder, PairMask, SparseBatch};
use ndarray::{concatenate, s, Array2, ArrayView2, Axis};

/// Weights and optimiser state in plain arrays.
pub struct Native {
    encoder: Encoder,
    adam: Adam,
    temperature: f64,
    losses: Vec<f64>,
}

impl Native {
    /// Trains `encoder` with NT-Xent at `temperature`.
    pub fn new(encoder: Encoder, temperature: f64) -> Self {
        let sizes = encoder.parameter_sizes();
        Self { encoder, adam: Adam::new(&sizes), temperature, losses: Vec::new() }
    }
}

impl Backend for Native {
    fn step(&mut self, v1: &SparseBatch, v2: &SparseBatch, excluded: Option<&PairMask>, lr: f64) -> Result<()> {
        let enc = &self.encoder;
        let ((e1, c1), (e2, c2)) = rayon::join(|| enc.forward_train(v1), || enc.forward_train(v2));
        let e = concatenate![Axis(0), e1, e2];
        let (loss, de) = nt_xent_masked(e.view(), self.temperature, excluded);
        if !loss.is_finite() {
            return Err(Error::Diverged(format!("the loss is {loss}")));
        }
        let n = v1.n_rows;
        let (mut g, g2) = rayon::join(
            || enc.backward(v1, e.slice(s![..n, ..]), &c1, de.slice(s![..n, ..])),
            || enc.backward(v2, e.slice(s![n.., ..]), &c2, de.slice(s![n.., ..])),
        );
        g.add(&g2);
        // Running statistics: view 1, then view 2, as two PyTorch forward passes.
        self.encoder.update_running(&c1.stats);
        self.encoder.update_running(&c2.stats);
        let mut params = self.encoder.parameters_mut();
        self.adam.step(&mut params, &g.slices(), lr);
        self.losses.push(loss);
        Ok(())
    }

    fn take_losses(&mut self) -> Result<Vec<f64>> {
        Ok(std::mem::take(&mut self.losses))
    }

    fn embed(&self, x: ArrayView2<f32>) -> Result<Array2<f32>> {
        Ok(self.encoder.embed(x))
    }

    fn n_in(&self) -> usize {
        self.encoder.n_in()
    }

    fn encoder(&self) -> Result<Encoder> {
        Ok(self.encoder.clone())
    }

    fn name(&self) -> &'static str {
        "native"
    }

    fn device(&self) -> Device {
        Device::Cpu
    }
}
