//! Small hot loops compiled twice: once for the baseline target and once
//! with AVX2 + FMA, picked at run time. Without this the default x86-64
//! target vectorises only 4 lanes wide and does not fuse multiply-adds.
//! Results are identical for any thread count on a given machine; machines
//! with and without FMA may differ in the last bits.

/// `o += a * x`.
#[inline]
pub fn axpy(o: &mut [f32], a: f32, x: &[f32]) {
    #[cfg(target_arch = "x86_64")]
    {
        if has_avx2_fma() {
            // SAFETY: the CPU supports the enabled features (checked above).
            unsafe { axpy_avx2(o, a, x) };
            return;
        }
    }
    axpy_plain(o, a, x)
}

#[inline(always)]
fn axpy_plain(o: &mut [f32], a: f32, x: &[f32]) {
    for (oi, xi) in o.iter_mut().zip(x) {
        *oi += a * xi;
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn axpy_avx2(o: &mut [f32], a: f32, x: &[f32]) {
    for (oi, xi) in o.iter_mut().zip(x) {
        *oi = a.mul_add(*xi, *oi);
    }
}

/// Whether AVX2 and FMA are available (cached by std).
#[cfg(target_arch = "x86_64")]
#[inline]
pub fn has_avx2_fma() -> bool {
    std::is_x86_feature_detected!("avx2") && std::is_x86_feature_detected!("fma")
}

/// One Adam update of a tensor (see [`super::Adam`] for the formula).
#[allow(clippy::too_many_arguments)]
#[inline]
pub fn adam_update(p: &mut [f32], g: &[f32], m: &mut [f32], v: &mut [f32], b1: f32, b2: f32, eps: f32, bc2_sqrt: f32, step: f32) {
    #[cfg(target_arch = "x86_64")]
    {
        if has_avx2_fma() {
            // SAFETY: the CPU supports the enabled features (checked above).
            unsafe { adam_avx2(p, g, m, v, b1, b2, eps, bc2_sqrt, step) };
            return;
        }
    }
    adam_plain(p, g, m, v, b1, b2, eps, bc2_sqrt, step)
}

#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn adam_plain(p: &mut [f32], g: &[f32], m: &mut [f32], v: &mut [f32], b1: f32, b2: f32, eps: f32, bc2_sqrt: f32, step: f32) {
    let n = p.len().min(g.len()).min(m.len()).min(v.len());
    let (p, g, m, v) = (&mut p[..n], &g[..n], &mut m[..n], &mut v[..n]);
    for i in 0..n {
        let gi = g[i];
        m[i] += b1 * (gi - m[i]);
        v[i] = v[i] * b2 + (1.0 - b2) * gi * gi;
        let denom = v[i].sqrt() / bc2_sqrt + eps;
        p[i] -= step * m[i] / denom;
    }
}

#[cfg(target_arch = "x86_64")]
#[allow(clippy::too_many_arguments)]
#[target_feature(enable = "avx2,fma")]
unsafe fn adam_avx2(p: &mut [f32], g: &[f32], m: &mut [f32], v: &mut [f32], b1: f32, b2: f32, eps: f32, bc2_sqrt: f32, step: f32) {
    adam_plain(p, g, m, v, b1, b2, eps, bc2_sqrt, step)
}
