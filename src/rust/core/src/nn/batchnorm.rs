//! BatchNorm1d with PyTorch semantics: training normalises with the batch
//! mean and biased variance and moves the running statistics towards the
//! batch mean and *unbiased* variance (momentum 0.1); evaluation uses the
//! running statistics.

use ndarray::{Array1, Array2, ArrayView2, Axis, Zip};

/// Normalisation epsilon (PyTorch's default).
pub const BN_EPS: f64 = 1e-5;
/// Running-statistics momentum (PyTorch's default).
pub const BN_MOMENTUM: f64 = 0.1;

/// Learnable scale and shift plus running statistics of one layer.
#[derive(Clone, Debug, PartialEq)]
pub struct BatchNorm {
    /// Scale (gamma), starts at 1.
    pub gamma: Array1<f32>,
    /// Shift (beta), starts at 0.
    pub beta: Array1<f32>,
    /// Running mean, starts at 0.
    pub running_mean: Array1<f32>,
    /// Running variance, starts at 1.
    pub running_var: Array1<f32>,
}

/// A batch's statistics, to be folded into the running ones.
#[derive(Clone, Debug)]
pub struct BatchStats {
    mean: Vec<f64>,
    unbiased_var: Vec<f64>,
}

/// What the backward pass needs from a training forward pass.
#[derive(Clone, Debug)]
pub struct BnCache {
    xhat: Array2<f32>,
    inv_std: Array1<f32>,
}

impl BatchNorm {
    /// Identity transform with fresh running statistics.
    pub fn new(n: usize) -> Self {
        Self {
            gamma: Array1::ones(n),
            beta: Array1::zeros(n),
            running_mean: Array1::zeros(n),
            running_var: Array1::ones(n),
        }
    }

    /// Training-mode forward; does not touch the running statistics (fold
    /// the returned [`BatchStats`] in with [`BatchNorm::update_running`]).
    pub fn forward_train(&self, x: ArrayView2<f32>) -> (Array2<f32>, BnCache, BatchStats) {
        let n = x.nrows() as f64;
        let mut mean = vec![0.0f64; x.ncols()];
        let mut var = vec![0.0f64; x.ncols()];
        for row in x.outer_iter() {
            mean.iter_mut().zip(row).for_each(|(m, &v)| *m += v as f64);
        }
        mean.iter_mut().for_each(|m| *m /= n);
        for row in x.outer_iter() {
            var.iter_mut().zip(row).zip(&mean).for_each(|((s, &v), m)| *s += (v as f64 - m).powi(2));
        }
        let biased: Vec<f64> = var.iter().map(|s| s / n).collect();
        let inv_std = Array1::from_iter(biased.iter().map(|v| (1.0 / (v + BN_EPS).sqrt()) as f32));
        let mean32 = Array1::from_iter(mean.iter().map(|&m| m as f32));
        let xhat = (&x - &mean32) * &inv_std;
        let y = &xhat * &self.gamma + &self.beta;
        let unbiased_var = var.iter().map(|s| s / (n - 1.0).max(1.0)).collect();
        (y, BnCache { xhat, inv_std }, BatchStats { mean, unbiased_var })
    }

    /// `running = (1 - momentum) running + momentum batch`.
    pub fn update_running(&mut self, s: &BatchStats) {
        let m = BN_MOMENTUM;
        Zip::from(&mut self.running_mean).and(&s.mean).for_each(|r, &b| *r = ((1.0 - m) * *r as f64 + m * b) as f32);
        Zip::from(&mut self.running_var).and(&s.unbiased_var).for_each(|r, &b| *r = ((1.0 - m) * *r as f64 + m * b) as f32);
    }

    /// Evaluation-mode forward with the running statistics.
    pub fn forward_eval(&self, x: ArrayView2<f32>) -> Array2<f32> {
        let scale = Array1::from_iter(
            self.running_var.iter().zip(&self.gamma).map(|(&v, &g)| (g as f64 / (v as f64 + BN_EPS).sqrt()) as f32),
        );
        let shift = Array1::from_iter(
            self.running_mean.iter().zip(&scale).zip(&self.beta).map(|((&m, &s), &b)| b - m * s),
        );
        &x * &scale + &shift
    }

    /// Gradients of the input, gamma and beta for a training forward pass:
    /// `dx = inv_std / n (n dxhat - sum dxhat - xhat sum(dxhat xhat))`.
    pub fn backward(&self, cache: &BnCache, dy: ArrayView2<f32>) -> (Array2<f32>, Array1<f32>, Array1<f32>) {
        let n = dy.nrows() as f32;
        let dbeta = dy.sum_axis(Axis(0));
        let dgamma = (&dy * &cache.xhat).sum_axis(Axis(0));
        let dxhat = &dy * &self.gamma;
        let sum_dxhat = dxhat.sum_axis(Axis(0));
        let sum_dxhat_xhat = (&dxhat * &cache.xhat).sum_axis(Axis(0));
        let dx = (&dxhat * n - &sum_dxhat - &cache.xhat * &sum_dxhat_xhat) * &(&cache.inv_std / n);
        (dx, dgamma, dbeta)
    }
}
