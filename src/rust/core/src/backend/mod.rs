//! Backends: what computes a training step and an embedding. The trainer
//! ([`crate::train::Trainer`]) owns batching, dropout masks, the learning
//! rate schedule and the seeds, so every backend sees the same batches and
//! masks (which is what makes the parity test between them possible).
//!
//! - [`Native`]: ndarray + rayon, always compiled, CPU only.
//! - [`Torch`]: libtorch through `tch` on `cpu` or `cuda:N`, behind the
//!   `torch` cargo feature; without it, a stub whose constructor returns
//!   [`crate::Error::BackendUnavailable`].

mod native;
#[cfg(feature = "torch")]
mod torch;
#[cfg(not(feature = "torch"))]
#[path = "torch_stub.rs"]
mod torch;

pub use native::Native;
pub use torch::{cuda_device_count, cuda_device_name, Torch, TORCH_COMPILED};

use crate::error::{invalid, Result};
use crate::nn::{Encoder, SparseBatch};
use ndarray::{Array2, ArrayView2};

/// Where a backend computes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Device {
    /// The CPU.
    Cpu,
    /// A CUDA device by index.
    Cuda(usize),
}

impl Device {
    /// Parses `"cpu"`, `"cuda"` (device 0) or `"cuda:N"`.
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "cpu" => Ok(Device::Cpu),
            "cuda" => Ok(Device::Cuda(0)),
            _ => s
                .strip_prefix("cuda:")
                .and_then(|n| n.parse().ok())
                .map(Device::Cuda)
                .ok_or_else(|| invalid("device", format!("must be \"cpu\", \"cuda\" or \"cuda:N\", got \"{s}\""))),
        }
    }
}

impl std::fmt::Display for Device {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Device::Cpu => write!(f, "cpu"),
            Device::Cuda(i) => write!(f, "cuda:{i}"),
        }
    }
}

/// One implementation of the encoder's training and evaluation.
pub trait Backend: Send {
    /// One Adam step at learning rate `lr` on two dropout views of the same
    /// cells; returns the NT-Xent loss (before the step).
    fn step(&mut self, v1: &SparseBatch, v2: &SparseBatch, lr: f64) -> Result<f64>;
    /// Evaluation-mode embedding of scaled rows.
    fn embed(&self, x: ArrayView2<f32>) -> Result<Array2<f32>>;
    /// The current weights as plain arrays.
    fn encoder(&self) -> Result<Encoder>;
    /// `"native"` or `"torch"`.
    fn name(&self) -> &'static str;
    /// Where it computes.
    fn device(&self) -> Device;
}
