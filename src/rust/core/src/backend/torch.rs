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
use crate::nn::{BatchNorm, Encoder, Linear, SparseBatch};
use ndarray::{Array1, Array2, ArrayView2};
use std::panic::{catch_unwind, AssertUnwindSafe};
use tch::{nn, nn::OptimizerConfig, Kind, Tensor};

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
pub struct Torch {
    device: Device,
    tdev: tch::Device,
    /// Owns the parameters that `weights`, `norms` and `opt` refer to.
    _vs: nn::VarStore,
    weights: Vec<(Tensor, Tensor)>,
    norms: Vec<(Tensor, Tensor)>,
    running: Vec<Running>,
    opt: nn::Optimizer,
    temperature: f64,
}

fn to_tensor(a: &[f32], shape: &[i64], dev: tch::Device) -> Tensor {
    Tensor::from_slice(a).reshape(shape).to_device(dev)
}

fn to_vec(t: &Tensor) -> Vec<f32> {
    Vec::<f32>::try_from(&t.to_device(tch::Device::Cpu).to_kind(Kind::Float).flatten(0, -1)).unwrap_or_default()
}

impl Torch {
    /// Copies `encoder` to `device` and sets up Adam (PyTorch's defaults:
    /// betas 0.9, 0.999, eps 1e-8, no weight decay).
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
        guard("set-up", || {
            let vs = nn::VarStore::new(tdev);
            let root = vs.root();
            let weights = encoder
                .linears
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    let (n_in, n_out) = (l.n_in() as i64, l.n_out() as i64);
                    let w = to_tensor(&l.weight.iter().copied().collect::<Vec<f32>>(), &[n_in, n_out], tdev);
                    let b = to_tensor(&l.bias.to_vec(), &[n_out], tdev);
                    (root.var_copy(&format!("w{i}"), &w), root.var_copy(&format!("b{i}"), &b))
                })
                .collect();
            let norms = encoder
                .norms
                .iter()
                .enumerate()
                .map(|(i, bn)| {
                    let n = bn.gamma.len() as i64;
                    let g = to_tensor(&bn.gamma.to_vec(), &[n], tdev);
                    let b = to_tensor(&bn.beta.to_vec(), &[n], tdev);
                    (root.var_copy(&format!("gamma{i}"), &g), root.var_copy(&format!("beta{i}"), &b))
                })
                .collect();
            let running = encoder
                .norms
                .iter()
                .map(|bn| {
                    let n = bn.gamma.len() as i64;
                    Running { mean: to_tensor(&bn.running_mean.to_vec(), &[n], tdev), var: to_tensor(&bn.running_var.to_vec(), &[n], tdev) }
                })
                .collect();
            let opt = nn::Adam::default().build(&vs, 1e-3);
            (vs, weights, norms, running, opt)
        })
        .and_then(|(vs, weights, norms, running, opt)| {
            let opt = opt.map_err(|e| Error::BackendUnavailable(format!("libtorch optimiser: {e}")))?;
            Ok(Self { device, tdev, _vs: vs, weights, norms, running, opt, temperature })
        })
    }

    /// The encoder in training (BatchNorm batch statistics, running
    /// statistics updated) or evaluation mode, L2-normalised output.
    fn forward(&self, x: &Tensor, train: bool) -> Tensor {
        let last = self.weights.len() - 1;
        let mut h = x.matmul(&self.weights[0].0) + &self.weights[0].1;
        for i in 1..=last {
            let (g, b) = &self.norms[i - 1];
            let r = &self.running[i - 1];
            h = h.batch_norm(Some(g), Some(b), Some(&r.mean), Some(&r.var), train, BN_MOMENTUM, BN_EPS, false).relu();
            h = h.matmul(&self.weights[i].0) + &self.weights[i].1;
        }
        let norm = h.norm_scalaropt_dim(2, [1i64], true).clamp_min(1e-12);
        h / norm
    }

    fn view(&self, v: &SparseBatch) -> Tensor {
        let d = v.to_dense();
        to_tensor(&d.iter().copied().collect::<Vec<f32>>(), &[v.n_rows as i64, v.n_cols as i64], self.tdev)
    }
}

/// NT-Xent over `[z1; z2]` (rows of view 1, then view 2).
fn nt_xent(z: &Tensor, n: i64, temperature: f64, dev: tch::Device) -> Tensor {
    let s = z.matmul(&z.tr()) / temperature;
    let eye = Tensor::eye(2 * n, (Kind::Bool, dev));
    let s = s.masked_fill(&eye, f64::NEG_INFINITY);
    let pos = Tensor::cat(&[Tensor::arange_start(n, 2 * n, (Kind::Int64, dev)), Tensor::arange(n, (Kind::Int64, dev))], 0);
    let positive = s.gather(1, &pos.unsqueeze(1), false).squeeze_dim(1);
    (s.logsumexp([1i64], false) - positive).mean(Kind::Float)
}

impl Backend for Torch {
    fn step(&mut self, v1: &SparseBatch, v2: &SparseBatch, lr: f64) -> Result<f64> {
        let (x1, x2) = (self.view(v1), self.view(v2));
        let n = v1.n_rows as i64;
        let temperature = self.temperature;
        let dev = self.tdev;
        let loss = guard("a training step", || {
            let z = Tensor::cat(&[self.forward(&x1, true), self.forward(&x2, true)], 0);
            let loss = nt_xent(&z, n, temperature, dev);
            self.opt.set_lr(lr);
            self.opt.zero_grad();
            loss.backward();
            self.opt.step();
            loss.double_value(&[])
        })?;
        if !loss.is_finite() {
            return Err(Error::Diverged(format!("the loss is {loss}")));
        }
        Ok(loss)
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
