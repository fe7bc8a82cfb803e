//! The encoder (SPEC section 2): `[Linear -> BatchNorm1d -> ReLU]` for every
//! layer but the last, then `Linear` and L2 normalisation. The first layer
//! takes the sparse dropout view in training and dense rows in evaluation.

use super::{l2_normalize, l2_normalize_backward, BatchNorm, BatchStats, BnCache, Linear, SparseBatch};
use crate::rng::Rng;
use ndarray::{Array1, Array2, ArrayView2};

/// All weights of the model, backend-neutral plain arrays.
#[derive(Clone, Debug, PartialEq)]
pub struct Encoder {
    /// One per layer.
    pub linears: Vec<Linear>,
    /// One per hidden layer (all but the last).
    pub norms: Vec<BatchNorm>,
}

/// Gradients with the shapes of an [`Encoder`]'s trainable parameters.
#[derive(Clone, Debug)]
pub struct Gradients {
    /// (weight, bias) per linear layer.
    pub linears: Vec<(Array2<f32>, Array1<f32>)>,
    /// (gamma, beta) per BatchNorm.
    pub norms: Vec<(Array1<f32>, Array1<f32>)>,
}

/// Intermediate values of one training forward pass.
pub struct ViewCache {
    /// Input to each linear layer after the first (post-ReLU activations).
    acts: Vec<Array2<f32>>,
    /// BatchNorm caches and the post-BN (pre-ReLU) values.
    bn: Vec<(BnCache, Array2<f32>)>,
    /// Pre-normalisation output.
    z: Array2<f32>,
    /// Row norms of `z`.
    norms: Array1<f32>,
    /// Batch statistics per BatchNorm, folded into the running ones later.
    pub stats: Vec<BatchStats>,
}

impl Encoder {
    /// Fresh weights for `n_in` genes and the given layer sizes.
    pub fn init(n_in: usize, layers: &[usize], rng: &mut Rng) -> Self {
        let mut linears = Vec::with_capacity(layers.len());
        let mut prev = n_in;
        for &size in layers {
            linears.push(Linear::init(prev, size, rng));
            prev = size;
        }
        let norms = layers[..layers.len() - 1].iter().map(|&s| BatchNorm::new(s)).collect();
        Self { linears, norms }
    }

    /// Number of input genes.
    pub fn n_in(&self) -> usize {
        self.linears[0].n_in()
    }

    /// Embedding size.
    pub fn n_out(&self) -> usize {
        self.linears[self.linears.len() - 1].n_out()
    }

    /// Number of trainable parameters.
    pub fn n_parameters(&self) -> usize {
        self.linears.iter().map(|l| l.weight.len() + l.bias.len()).sum::<usize>()
            + self.norms.iter().map(|b| 2 * b.gamma.len()).sum::<usize>()
    }

    /// Lengths of the trainable tensors, in [`Encoder::parameters_mut`] order.
    pub fn parameter_sizes(&self) -> Vec<usize> {
        self.linears
            .iter()
            .flat_map(|l| [l.weight.len(), l.bias.len()])
            .chain(self.norms.iter().flat_map(|b| [b.gamma.len(), b.beta.len()]))
            .collect()
    }

    /// The trainable tensors, flat (what an optimiser updates): each layer's
    /// weight and bias, then each BatchNorm's gamma and beta.
    pub fn parameters_mut(&mut self) -> Vec<&mut [f32]> {
        let mut out: Vec<&mut [f32]> = Vec::new();
        for l in self.linears.iter_mut() {
            out.push(l.weight.as_slice_mut().expect("weights are contiguous"));
            out.push(l.bias.as_slice_mut().expect("biases are contiguous"));
        }
        for b in self.norms.iter_mut() {
            out.push(b.gamma.as_slice_mut().expect("gamma is contiguous"));
            out.push(b.beta.as_slice_mut().expect("beta is contiguous"));
        }
        out
    }

    /// Evaluation mode: dense rows in, unit-norm embeddings out.
    pub fn embed(&self, x: ArrayView2<f32>) -> Array2<f32> {
        let mut h = self.linears[0].forward(x);
        for (i, lin) in self.linears.iter().enumerate().skip(1) {
            h = self.norms[i - 1].forward_eval(h.view());
            h.mapv_inplace(|v| v.max(0.0));
            h = lin.forward(h.view());
        }
        l2_normalize(h.view()).0
    }

    /// Training mode on one dropout view; running statistics are not
    /// touched here (see [`Encoder::update_running`]).
    pub fn forward_train(&self, x: &SparseBatch) -> (Array2<f32>, ViewCache) {
        let first = &self.linears[0];
        let mut h = x.matmul_add(first.weight.view(), &first.bias);
        let (mut acts, mut bn, mut stats) = (Vec::new(), Vec::new(), Vec::new());
        for (i, lin) in self.linears.iter().enumerate().skip(1) {
            let (y, cache, st) = self.norms[i - 1].forward_train(h.view());
            let a = y.mapv(|v| v.max(0.0));
            h = lin.forward(a.view());
            bn.push((cache, y));
            acts.push(a);
            stats.push(st);
        }
        let (e, norms) = l2_normalize(h.view());
        (e.clone(), ViewCache { acts, bn, z: h, norms, stats })
    }

    /// Folds a view's batch statistics into the running statistics.
    pub fn update_running(&mut self, stats: &[BatchStats]) {
        for (bn, s) in self.norms.iter_mut().zip(stats) {
            bn.update_running(s);
        }
    }

    /// Backward pass of one view given `dL/de`.
    pub fn backward(&self, x: &SparseBatch, e: ArrayView2<f32>, cache: &ViewCache, de: ArrayView2<f32>) -> Gradients {
        let n_lin = self.linears.len();
        let mut dh = l2_normalize_backward(cache.z.view(), e, &cache.norms, de);
        let mut lin_grads = Vec::with_capacity(n_lin);
        let mut bn_grads = Vec::with_capacity(n_lin - 1);
        for i in (1..n_lin).rev() {
            let (dw, db, dx) = self.linears[i].backward(cache.acts[i - 1].view(), dh.view(), true);
            lin_grads.push((dw, db));
            let (bn_cache, y) = &cache.bn[i - 1];
            let mut da = dx.expect("asked for the input gradient");
            da.zip_mut_with(y, |g, &v| if v <= 0.0 { *g = 0.0 });
            let (dx_bn, dgamma, dbeta) = self.norms[i - 1].backward(bn_cache, da.view());
            bn_grads.push((dgamma, dbeta));
            dh = dx_bn;
        }
        let dw0 = x.t_matmul(dh.view());
        let db0 = dh.sum_axis(ndarray::Axis(0));
        lin_grads.push((dw0, db0));
        lin_grads.reverse();
        bn_grads.reverse();
        Gradients { linears: lin_grads, norms: bn_grads }
    }
}

impl Gradients {
    /// The tensors flat, in [`Encoder::parameters_mut`] order (what an
    /// optimiser takes).
    pub fn slices(&self) -> Vec<&[f32]> {
        self.linears
            .iter()
            .flat_map(|(w, b)| [w.as_slice(), b.as_slice()])
            .chain(self.norms.iter().flat_map(|(a, b)| [a.as_slice(), b.as_slice()]))
            .map(|s| s.expect("gradients are contiguous"))
            .collect()
    }

    /// Adds another view's gradients.
    pub fn add(&mut self, other: &Gradients) {
        for ((w, b), (ow, ob)) in self.linears.iter_mut().zip(&other.linears) {
            *w += ow;
            *b += ob;
        }
        for ((g, b), (og, ob)) in self.norms.iter_mut().zip(&other.norms) {
            *g += og;
            *b += ob;
        }
    }
}
