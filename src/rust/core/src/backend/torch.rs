//! The libtorch backend (`tch` 0.24, libtorch 2.11.0) on `cpu` or `cuda:N`:
//! the same encoder, BatchNorm semantics, two dropout views, NT-Xent, Adam
//! and schedule as [`super::Native`], with the masks and batches chosen by
//! the trainer, so both backends can be compared step by step.
//!
//! Weights live on the device in the core's orientation (`n_in x n_out`);
//! BatchNorm's running statistics are plain tensors that
//! `Tensor::batch_norm` updates in place in training mode (momentum 0.1,
//! unbiased variance, as PyTorch). libtorch reports failures (such as CUDA
//! running out of memory) by panicking inside `tch`; every entry point here
//! catches that and returns [`Error::BackendUnavailable`] instead.

use super::{Backend, Device};
use crate::error::{Error, Result};
use crate::nn::{BatchNorm, Encoder, Linear, PairMask, SparseBatch, ADAM_EPS, BETA1, BETA2};
use ndarray::{Array1, Array2, ArrayView2};
use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use tch::{Kind, Tensor};

/// Whether this build has the libtorch backend.
pub const TORCH_COMPILED: bool = true;

const BN_EPS: f64 = 1e-5;
const BN_MOMENTUM: f64 = 0.1;
/// Rows embedded per chunk, bounding device memory for large inputs.
const EMBED_ROWS: usize = 65_536;

/// Number of CUDA devices libtorch sees.
pub fn cuda_device_count() -> usize {
    catch_unwind(|| tch::Cuda::device_count().max(0) as usize).unwrap_or(0)
}

/// Name of a CUDA device (`tch` exposes none; callers may ask the driver).
pub fn cuda_device_name(_index: usize) -> Option<String> {
    None
}

fn guard<T>(what: &str, f: impl FnOnce() -> T) -> Result<T> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|e| {
        let msg = e.downcast_ref::<String>().cloned().or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()));
        Error::BackendUnavailable(format!("libtorch failed during {what}: {}", msg.unwrap_or_else(|| "unknown error".into())))
    })
}

/// One BatchNorm's running statistics on the device.
struct Running {
    mean: Tensor,
    var: Tensor,
}

/// The encoder's parameters, running statistics and Adam on one device.
///
/// A step at 200 cells is little GPU work, so its cost is the number of
/// operations launched and any wait for the device. Hence: every trainable
/// value lives in one buffer (`flat`; the layer tensors are views of it), so
/// Adam is a handful of kernels for all of them rather than a handful per
/// tensor; a batch travels as its kept entries (a tenth of the dense views)
/// through pinned memory without blocking; and the loss stays on the device
/// until [`Backend::take_losses`] (`bench/results/gpu-check.md`: 2.6x faster
/// per step on an H100 than one Adam per tensor and a wait per step).
pub struct Torch {
    device: Device,
    tdev: tch::Device,
    /// All trainable values; not itself differentiated.
    flat: Tensor,
    /// Views of `flat`, leaves that require gradients: per layer (weight,
    /// bias), then per BatchNorm (gamma, beta), the order of `flat`.
    weights: Vec<(Tensor, Tensor)>,
    norms: Vec<(Tensor, Tensor)>,
    running: Vec<Running>,
    adam: FlatAdam,
    temperature: f64,
    /// Losses of steps not yet taken, on the device.
    pending: Vec<Tensor>,
    /// Self-pair mask of NT-Xent, by batch size.
    self_pairs: HashMap<i64, Tensor>,
}

/// PyTorch's single-tensor Adam on one flat buffer (betas 0.9, 0.999, eps
/// 1e-8, no weight decay).
struct FlatAdam {
    m: Tensor,
    v: Tensor,
    step: i32,
}

impl FlatAdam {
    fn step(&mut self, params: &mut Tensor, grad: &Tensor, lr: f64) {
        self.step += 1;
        let bc1 = 1.0 - BETA1.powi(self.step);
        let bc2_sqrt = (1.0 - BETA2.powi(self.step)).sqrt();
        let _ = self.m.lerp_(grad, 1.0 - BETA1);
        let _ = self.v.g_mul_scalar_(BETA2);
        let _ = self.v.addcmul_(grad, &(grad * (1.0 - BETA2)));
        let mut denom = self.v.sqrt().g_div_scalar(bc2_sqrt);
        let _ = denom.g_add_scalar_(ADAM_EPS);
        let _ = params.addcdiv_(&(&self.m * (-lr / bc1)), &denom);
    }
}

fn to_tensor(a: &[f32], shape: &[i64], dev: tch::Device) -> Tensor {
    Tensor::from_slice(a).reshape(shape).to_device(dev)
}

/// Host to device without waiting: through pinned memory on CUDA.
fn upload(t: Tensor, dev: tch::Device) -> Tensor {
    match dev {
        tch::Device::Cpu => t,
        d => {
            let kind = t.kind();
            // `_pin_memory`: `pin_memory` warns on every call that its
            // device argument is deprecated, and tch always passes one.
            match t.f_internal_pin_memory(d) {
                Ok(pinned) => pinned.to_device_(d, kind, true, false),
                // no pinned memory to be had: a plain (waiting) copy
                Err(_) => t.to_device(d),
            }
        }
    }
}

fn to_vec(t: &Tensor) -> Vec<f32> {
    Vec::<f32>::try_from(&t.to_device(tch::Device::Cpu).to_kind(Kind::Float).flatten(0, -1)).unwrap_or_default()
}

impl Torch {
    /// Copies `encoder` to `device` and sets up Adam.
    pub fn new(encoder: &Encoder, device: Device, temperature: f64) -> Result<Self> {
        let tdev = match device {
            Device::Cpu => tch::Device::Cpu,
            Device::Cuda(i) => {
                let n = cuda_device_count();
                if i >= n {
                    return Err(Error::BackendUnavailable(format!(
                        "'device' cuda:{i} is not available: libtorch sees {n} CUDA device(s)"
                    )));
                }
                tch::Device::Cuda(i)
            }
        };
        // Values in `flat` order, with each tensor's shape.
        let mut values: Vec<f32> = Vec::new();
        let mut shapes: Vec<Vec<i64>> = Vec::new();
        for l in &encoder.linears {
            values.extend(l.weight.iter().chain(l.bias.iter()));
            shapes.extend([vec![l.n_in() as i64, l.n_out() as i64], vec![l.n_out() as i64]]);
        }
        for bn in &encoder.norms {
            values.extend(bn.gamma.iter().chain(bn.beta.iter()));
            shapes.extend([vec![bn.gamma.len() as i64], vec![bn.beta.len() as i64]]);
        }
        let size = values.len() as i64;
        guard("set-up", || {
            let flat = to_tensor(&values, &[size], tdev);
            let mut offset = 0;
            let mut views = tch::no_grad(|| {
                shapes
                    .iter()
                    .map(|shape| {
                        let n: i64 = shape.iter().product();
                        let v = flat.narrow(0, offset, n).view(shape.as_slice());
                        offset += n;
                        v.set_requires_grad(true)
                    })
                    .collect::<Vec<_>>()
                    .into_iter()
            });
            let mut pairs = |k: usize| (0..k).filter_map(|_| Some((views.next()?, views.next()?))).collect::<Vec<_>>();
            let weights = pairs(encoder.linears.len());
            let norms = pairs(encoder.norms.len());
            let running = encoder
                .norms
                .iter()
                .map(|bn| {
                    let n = bn.gamma.len() as i64;
                    Running { mean: to_tensor(&bn.running_mean.to_vec(), &[n], tdev), var: to_tensor(&bn.running_var.to_vec(), &[n], tdev) }
                })
                .collect();
            let adam = FlatAdam { m: flat.zeros_like(), v: flat.zeros_like(), step: 0 };
            Self { device, tdev, flat, weights, norms, running, adam, temperature, pending: Vec::new(), self_pairs: HashMap::new() }
        })
    }

    /// Trainable tensors in `flat` order.
    fn params(&self) -> Vec<&Tensor> {
        self.weights.iter().chain(&self.norms).flat_map(|(a, b)| [a, b]).collect()
    }

    /// The encoder in training (BatchNorm batch statistics, running
    /// statistics updated) or evaluation mode, L2-normalised output.
    fn forward(&self, x: &Tensor, train: bool) -> Tensor {
        let last = self.weights.len() - 1;
        let mut h = self.weights[0].1.addmm(x, &self.weights[0].0);
        for i in 1..=last {
            let (g, b) = &self.norms[i - 1];
            let r = &self.running[i - 1];
            h = h.batch_norm(Some(g), Some(b), Some(&r.mean), Some(&r.var), train, BN_MOMENTUM, BN_EPS, false).relu();
            h = self.weights[i].1.addmm(&h, &self.weights[i].0);
        }
        let norm = h.norm_scalaropt_dim(2, [1i64], true).clamp_min(1e-12);
        h / norm
    }

    /// Both views as one dense `2n x genes` tensor on the device, rebuilt
    /// there from their kept entries.
    fn views(&self, v1: &SparseBatch, v2: &SparseBatch) -> Tensor {
        let (n, cols) = (v1.n_rows, v1.n_cols);
        let nnz = v1.nnz() + v2.nnz();
        let (mut index, mut values) = (Vec::with_capacity(nnz), Vec::with_capacity(nnz));
        for (first_row, v) in [(0, v1), (n, v2)] {
            let (row_ptr, col, val) = v.csr();
            for r in 0..v.n_rows {
                let base = ((first_row + r) * cols) as i64;
                index.extend(col[row_ptr[r]..row_ptr[r + 1]].iter().map(|&j| base + j as i64));
            }
            values.extend_from_slice(val);
        }
        let index = upload(Tensor::from_slice(&index), self.tdev);
        let values = upload(Tensor::from_slice(&values), self.tdev);
        let mut x = Tensor::zeros([(2 * n * cols) as i64], (Kind::Float, self.tdev));
        let _ = x.index_put_(&[Some(index)], &values, false);
        x.view([2 * n as i64, cols as i64])
    }

    /// NT-Xent over `[z1; z2]` (rows of view 1, then view 2): the mean over
    /// all 2n rows of logsumexp over the other rows (but the `excluded`
    /// ones, the positive always kept) minus the positive pair.
    fn nt_xent(&mut self, z: &Tensor, n: i64, excluded: Option<&PairMask>) -> Tensor {
        let t = self.temperature;
        let dev = self.tdev;
        let s = z.matmul(&z.tr()) / t;
        let s = match excluded {
            None => {
                let eye = self.self_pairs.entry(n).or_insert_with(|| Tensor::eye(2 * n, (Kind::Bool, dev)));
                s.masked_fill(eye, f64::NEG_INFINITY)
            }
            // one host-built mask (diagonal and excluded pairs, positives
            // kept) travels with the batch
            Some(m) => {
                let rows = 2 * n as usize;
                let mut out: Vec<bool> = m.as_slice().to_vec();
                for i in 0..rows {
                    let p = if i < n as usize { i + n as usize } else { i - n as usize };
                    out[i * rows + i] = true;
                    out[i * rows + p] = false;
                }
                let mask = upload(Tensor::from_slice(&out).view([2 * n, 2 * n]), dev);
                s.masked_fill(&mask, f64::NEG_INFINITY)
            }
        };
        let positive = (z.narrow(0, 0, n) * z.narrow(0, n, n)).sum(Kind::Float) / (n as f64 * t);
        s.logsumexp([1i64], false).mean(Kind::Float) - positive
    }
}

impl Backend for Torch {
    fn step(&mut self, v1: &SparseBatch, v2: &SparseBatch, excluded: Option<&PairMask>, lr: f64) -> Result<()> {
        guard("a training step", || {
            let n = v1.n_rows as i64;
            let x = self.views(v1, v2);
            let z = Tensor::cat(&[self.forward(&x.narrow(0, 0, n), true), self.forward(&x.narrow(0, n, n), true)], 0);
            let loss = self.nt_xent(&z, n, excluded);
            let grads = Tensor::run_backward(&[&loss], &self.params(), false, false);
            let grad = Tensor::cat(&grads.iter().map(|g| g.flatten(0, -1)).collect::<Vec<_>>(), 0);
            tch::no_grad(|| self.adam.step(&mut self.flat, &grad, lr));
            self.pending.push(loss.detach());
        })
    }

    fn take_losses(&mut self) -> Result<Vec<f64>> {
        if self.pending.is_empty() {
            return Ok(Vec::new());
        }
        let pending = std::mem::take(&mut self.pending);
        let losses = guard("reading the losses", || {
            Vec::<f64>::try_from(&Tensor::stack(&pending, 0).to_device(tch::Device::Cpu).to_kind(Kind::Double)).unwrap_or_default()
        })?;
        match losses.iter().find(|l| !l.is_finite()) {
            Some(l) => Err(Error::Diverged(format!("the loss is {l}"))),
            None => Ok(losses),
        }
    }

    fn embed(&self, x: ArrayView2<f32>) -> Result<Array2<f32>> {
        let (rows, genes) = x.dim();
        let dim = self.weights.last().map_or(0, |w| w.0.size()[1] as usize);
        let mut out = Array2::<f32>::zeros((rows, dim));
        for start in (0..rows).step_by(EMBED_ROWS) {
            let end = (start + EMBED_ROWS).min(rows);
            let chunk: Vec<f32> = x.slice(ndarray::s![start..end, ..]).iter().copied().collect();
            let t = to_tensor(&chunk, &[(end - start) as i64, genes as i64], self.tdev);
            let e = guard("embedding", || tch::no_grad(|| to_vec(&self.forward(&t, false))))?;
            out.slice_mut(ndarray::s![start..end, ..])
                .assign(&Array2::from_shape_vec((end - start, dim), e).map_err(|e| Error::Shape(e.to_string()))?);
        }
        Ok(out)
    }

    fn n_in(&self) -> usize {
        self.weights.first().map_or(0, |w| w.0.size()[0] as usize)
    }

    fn encoder(&self) -> Result<Encoder> {
        guard("exporting the weights", || {
            let linears = self
                .weights
                .iter()
                .map(|(w, b)| {
                    let s = w.size();
                    let weight = Array2::from_shape_vec((s[0] as usize, s[1] as usize), to_vec(w)).unwrap_or_else(|_| Array2::zeros((0, 0)));
                    Linear { weight, bias: Array1::from_vec(to_vec(b)) }
                })
                .collect();
            let norms = self
                .norms
                .iter()
                .zip(&self.running)
                .map(|((g, b), r)| BatchNorm {
                    gamma: Array1::from_vec(to_vec(g)),
                    beta: Array1::from_vec(to_vec(b)),
                    running_mean: Array1::from_vec(to_vec(&r.mean)),
                    running_var: Array1::from_vec(to_vec(&r.var)),
                })
                .collect();
            Encoder { linears, norms }
        })
    }

    fn name(&self) -> &'static str {
        "torch"
    }

    fn device(&self) -> Device {
        self.device
    }
}
