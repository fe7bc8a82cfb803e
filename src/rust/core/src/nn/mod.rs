//! The encoder's building blocks with hand-written backward passes (SPEC
//! section 2): linear layers (dense and sparse input), BatchNorm1d, ReLU, L2
//! normalisation, NT-Xent and Adam. Shapes are rows = cells.

mod adam;
mod batchnorm;
mod encoder;
mod kernels;
mod linear;
mod normalize;
mod ntxent;
mod pair_mask;
mod sparse_input;

pub use adam::{cosine_lr, Adam, ADAM_EPS, BETA1, BETA2};
pub use batchnorm::{BatchNorm, BatchStats, BnCache};
pub use encoder::{Encoder, Gradients};
pub use linear::Linear;
pub use normalize::{l2_normalize, l2_normalize_backward};
pub use ntxent::{nt_xent, nt_xent_masked};
pub use pair_mask::PairMask;
pub use sparse_input::SparseBatch;

use ndarray::{Array2, ArrayView2};
use rayon::prelude::*;

/// Rows per parallel chunk of dense products: fixed, so results do not
/// depend on the number of threads.
pub(crate) const ROW_CHUNK: usize = 256;

/// `a . b` computed in fixed row chunks in parallel.
pub(crate) fn par_dot(a: ArrayView2<f32>, b: ArrayView2<f32>) -> Array2<f32> {
    let (n, k) = a.dim();
    let m = b.ncols();
    assert_eq!(k, b.nrows(), "inner dimensions");
    let mut out = Array2::<f32>::zeros((n, m));
    out.axis_chunks_iter_mut(ndarray::Axis(0), ROW_CHUNK)
        .into_par_iter()
        .zip(a.axis_chunks_iter(ndarray::Axis(0), ROW_CHUNK).into_par_iter())
        .for_each(|(mut o, x)| ndarray::linalg::general_mat_mul(1.0, &x, &b, 0.0, &mut o));
    out
}
