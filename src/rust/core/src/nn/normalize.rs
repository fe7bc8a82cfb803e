//! Row-wise L2 normalisation, `e = z / max(||z||, 1e-12)`, and its gradient.

use ndarray::{Array1, Array2, ArrayView2, Axis};

const MIN_NORM: f32 = 1e-12;

/// Normalised rows and the norms used (clamped at 1e-12).
pub fn l2_normalize(z: ArrayView2<f32>) -> (Array2<f32>, Array1<f32>) {
    let norms = z.map_axis(Axis(1), |r| r.iter().map(|v| v * v).sum::<f32>().sqrt().max(MIN_NORM));
    let e = &z / &norms.view().insert_axis(Axis(1));
    (e, norms)
}

/// `dz = (de - e (e . de)) / n` per row; where the norm was clamped the map
/// is linear, `dz = de / 1e-12`.
pub fn l2_normalize_backward(z: ArrayView2<f32>, e: ArrayView2<f32>, norms: &Array1<f32>, de: ArrayView2<f32>) -> Array2<f32> {
    let mut dz = Array2::zeros(de.raw_dim());
    for (i, mut out) in dz.outer_iter_mut().enumerate() {
        let n = norms[i];
        let raw_norm = z.row(i).iter().map(|v| v * v).sum::<f32>().sqrt();
        if raw_norm < MIN_NORM {
            out.assign(&(&de.row(i) / n));
            continue;
        }
        let dot: f32 = e.row(i).iter().zip(de.row(i)).map(|(a, b)| a * b).sum();
        out.assign(&((&de.row(i) - &(&e.row(i) * dot)) / n));
    }
    dz
}
