//! A fully connected layer `y = x W + b`, weights stored input x output so
//! that rows (cells) multiply contiguously. PyTorch stores `W^T`; the
//! conversion happens only at the edges (fixtures, R model export).

use crate::rng::Rng;
use ndarray::{Array1, Array2, ArrayView2, Axis};
use rand::Rng as _;

/// Weights and bias of one layer.
#[derive(Clone, Debug, PartialEq)]
pub struct Linear {
    /// `n_in x n_out`.
    pub weight: Array2<f32>,
    /// `n_out`.
    pub bias: Array1<f32>,
}

impl Linear {
    /// Xavier-uniform weights `U(-a, a)`, `a = sqrt(6 / (fan_in + fan_out))`,
    /// and PyTorch's default bias `U(-1/sqrt(fan_in), 1/sqrt(fan_in))`.
    pub fn init(n_in: usize, n_out: usize, rng: &mut Rng) -> Self {
        let a = (6.0 / (n_in + n_out) as f64).sqrt();
        let weight = Array2::from_shape_fn((n_in, n_out), |_| rng.gen_range(-a..a) as f32);
        let b = 1.0 / (n_in as f64).sqrt();
        let bias = Array1::from_shape_fn(n_out, |_| rng.gen_range(-b..b) as f32);
        Self { weight, bias }
    }

    /// Number of inputs.
    pub fn n_in(&self) -> usize {
        self.weight.nrows()
    }

    /// Number of outputs.
    pub fn n_out(&self) -> usize {
        self.weight.ncols()
    }

    /// `x W + b` for dense input.
    pub fn forward(&self, x: ArrayView2<f32>) -> Array2<f32> {
        let mut y = super::par_dot(x, self.weight.view());
        y += &self.bias;
        y
    }

    /// Gradients of the weight and bias, and of the input when asked.
    pub fn backward(&self, x: ArrayView2<f32>, dy: ArrayView2<f32>, need_dx: bool) -> (Array2<f32>, Array1<f32>, Option<Array2<f32>>) {
        let dw = x.t().dot(&dy);
        let db = dy.sum_axis(Axis(0));
        let dx = need_dx.then(|| dy.dot(&self.weight.t()));
        (dw, db, dx)
    }
}
