//! Stand-in for the libtorch backend in builds without the `torch` feature:
//! every entry point says so, nothing else in the crate needs a `cfg`.

use super::{Backend, Device};
use crate::error::{Error, Result};
use crate::nn::{Encoder, PairMask, SparseBatch};
use ndarray::{Array2, ArrayView2};

/// Whether this build has the libtorch backend.
pub const TORCH_COMPILED: bool = false;

fn unavailable() -> Error {
    Error::BackendUnavailable(
        "the torch backend is not available: contrastiveSC was built without libtorch \
         (install torch 2.11.0 for Python, or set LIBTORCH, and reinstall with CONTRASTIVESC_TORCH=1)"
            .into(),
    )
}

/// The libtorch backend (not compiled in this build).
pub struct Torch {
    _never: std::convert::Infallible,
}

impl Torch {
    /// Always an error in this build.
    pub fn new(_encoder: &Encoder, _device: Device, _temperature: f64) -> Result<Self> {
        Err(unavailable())
    }
}

impl Backend for Torch {
    fn step(&mut self, _: &SparseBatch, _: &SparseBatch, _: Option<&PairMask>, _: f64) -> Result<()> {
        Err(unavailable())
    }
    fn take_losses(&mut self) -> Result<Vec<f64>> {
        Err(unavailable())
    }
    fn embed(&self, _: ArrayView2<f32>) -> Result<Array2<f32>> {
        Err(unavailable())
    }
    fn n_in(&self) -> usize {
        0
    }
    fn encoder(&self) -> Result<Encoder> {
        Err(unavailable())
    }
    fn name(&self) -> &'static str {
        "torch"
    }
    fn device(&self) -> Device {
        Device::Cpu
    }
}

/// Number of CUDA devices libtorch sees: none without libtorch.
pub fn cuda_device_count() -> usize {
    0
}

/// Name of a CUDA device: none without libtorch.
pub fn cuda_device_name(_index: usize) -> Option<String> {
    None
}
