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
use crate::nn::{Encoder, PairMask, SparseBatch};
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
    /// cells, with the pairs of rows in `excluded` (if any) out of each
    /// other's NT-Xent denominator. Its loss (before the step) comes back from the next
    /// [`Backend::take_losses`]: a GPU backend keeps losses on the device,
    /// so that a step never waits for the GPU to finish the previous one.
    fn step(&mut self, v1: &SparseBatch, v2: &SparseBatch, excluded: Option<&PairMask>, lr: f64) -> Result<()>;
    /// The losses of the steps since the last call, in order; a non-finite
    /// one is [`crate::Error::Diverged`].
    fn take_losses(&mut self) -> Result<Vec<f64>>;
    /// Evaluation-mode embedding of scaled rows.
    fn embed(&self, x: ArrayView2<f32>) -> Result<Array2<f32>>;
    /// The current weights as plain arrays.
    fn encoder(&self) -> Result<Encoder>;
    /// Number of input genes (without copying the weights off a device).
    fn n_in(&self) -> usize;
    /// `"native"` or `"torch"`.
    fn name(&self) -> &'static str;
    /// Where it computes.
    fn device(&self) -> Device;
}

/// Which backend to use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BackendKind {
    /// ndarray + rayon on the CPU.
    Native,
    /// libtorch.
    Torch,
}

/// Resolves the user's `backend` (`"auto"`, `"native"`, `"torch"`) and
/// `device` (`"auto"`, `"cpu"`, `"cuda"`, `"cuda:N"`) to what will run.
/// `auto` picks CUDA through libtorch when a GPU is visible, else the native
/// backend on the CPU. Asking for CUDA where there is none is an error that
/// says why, never a silent CPU run.
pub fn resolve(backend: &str, device: &str) -> Result<(BackendKind, Device)> {
    let kind = match backend {
        "auto" => None,
        "native" => Some(BackendKind::Native),
        "torch" => Some(BackendKind::Torch),
        _ => return Err(invalid("backend", format!("must be \"auto\", \"native\" or \"torch\", got \"{backend}\""))),
    };
    let cuda = TORCH_COMPILED && cuda_device_count() > 0;
    let device = match device {
        "auto" => match kind {
            Some(BackendKind::Native) => Device::Cpu,
            _ if cuda => Device::Cuda(0),
            _ => Device::Cpu,
        },
        d => Device::parse(d)?,
    };
    let kind = match (kind, device) {
        (Some(BackendKind::Native), Device::Cuda(_)) => {
            return Err(invalid("backend", "\"native\" runs on the CPU only; use backend = \"torch\" (or \"auto\") for CUDA"))
        }
        (Some(k), _) => k,
        (None, Device::Cpu) => BackendKind::Native,
        (None, Device::Cuda(_)) => BackendKind::Torch,
    };
    if kind == BackendKind::Torch && !TORCH_COMPILED {
        return Err(invalid(
            if backend == "torch" { "backend" } else { "device" },
            format!("\"{}\" needs the torch backend, and this build has no libtorch (reinstall with torch 2.11.0 for Python and CONTRASTIVESC_TORCH=1)", if backend == "torch" { backend } else { device_str(device) }),
        ));
    }
    if let Device::Cuda(i) = device {
        let n = cuda_device_count();
        if i >= n {
            return Err(invalid("device", format!("is cuda:{i}, but libtorch sees {n} CUDA device(s) (no GPU visible, or CUDA_VISIBLE_DEVICES hides it)")));
        }
    }
    Ok((kind, device))
}

fn device_str(d: Device) -> &'static str {
    match d {
        Device::Cpu => "cpu",
        Device::Cuda(_) => "cuda",
    }
}

/// A backend of the resolved kind, starting from `encoder`.
pub fn make_backend(kind: BackendKind, device: Device, encoder: Encoder, temperature: f64) -> Result<Box<dyn Backend>> {
    Ok(match kind {
        BackendKind::Native => Box::new(Native::new(encoder, temperature)),
        BackendKind::Torch => Box::new(Torch::new(&encoder, device, temperature)?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_and_cpu_resolve_to_a_runnable_backend() {
        assert_eq!(resolve("native", "cpu").unwrap(), (BackendKind::Native, Device::Cpu));
        assert_eq!(resolve("auto", "cpu").unwrap(), (BackendKind::Native, Device::Cpu));
        let (k, d) = resolve("auto", "auto").unwrap();
        assert_eq!(d == Device::Cpu, k == BackendKind::Native || cuda_device_count() == 0);
    }

    #[test]
    fn impossible_requests_say_why() {
        assert!(resolve("native", "cuda").unwrap_err().to_string().starts_with("'backend'"));
        assert!(resolve("gpu", "cpu").unwrap_err().to_string().starts_with("'backend'"));
        assert!(resolve("auto", "tpu").unwrap_err().to_string().starts_with("'device'"));
        if cuda_device_count() == 0 {
            let e = resolve("auto", "cuda:1").unwrap_err().to_string();
            assert!(e.contains("libtorch") || e.contains("CUDA"), "{e}");
        }
        if !TORCH_COMPILED {
            assert!(resolve("torch", "cpu").unwrap_err().to_string().contains("no libtorch"));
        }
    }
}
