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

/// `v = exp(v - shift)` over a slice: NT-Xent's softmax, 160,000
/// exponentials a step at batch 200, a third of the step's time with the
/// scalar libm `expf`. With AVX2 + FMA the exponential is Cephes' `expf`
/// (range reduction by ln 2 in two parts, a degree-6 polynomial, the power
/// of two put into the exponent bits), within 2 ulp of `expf` for the
/// arguments here, which are at most 0; 8 lanes at a time.
#[inline]
pub fn exp_shifted(v: &mut [f32], shift: f32) {
    #[cfg(target_arch = "x86_64")]
    {
        if has_avx2_fma() {
            // SAFETY: the CPU supports the enabled features (checked above).
            unsafe { exp_shifted_avx2(v, shift) };
            return;
        }
    }
    v.iter_mut().for_each(|x| *x = (*x - shift).exp());
}

/// Cephes `expf` in plain arithmetic that vectorises (no table, no branch).
#[inline(always)]
fn exp_cephes(x: f32) -> f32 {
    const LOG2E: f32 = std::f32::consts::LOG2_E;
    const LN2_HI: f32 = 0.693_359_4;
    const LN2_LO: f32 = -2.121_944_4e-4;
    // below -87 expf is subnormal or 0 (a masked entry is -inf): 0 here;
    // clamping keeps the exponent bits valid
    let zero = x < -87.0;
    let x = x.clamp(-87.0, 88.0);
    let n = (x * LOG2E + 0.5).floor();
    let r = x - n * LN2_HI - n * LN2_LO;
    let mut p = 1.987_569_1e-4f32;
    p = p.mul_add(r, 1.398_199_9e-3);
    p = p.mul_add(r, 8.333_452e-3);
    p = p.mul_add(r, 4.166_579_6e-2);
    p = p.mul_add(r, 1.666_666_5e-1);
    p = p.mul_add(r, 5.000_000_1e-1);
    let y = p.mul_add(r * r, r) + 1.0;
    let e = y * f32::from_bits(((n as i32 + 127) << 23) as u32);
    if zero { 0.0 } else { e }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn exp_shifted_avx2(v: &mut [f32], shift: f32) {
    for x in v.iter_mut() {
        *x = exp_cephes(*x - shift);
    }
}

/// Whether AVX2 and FMA are available (cached by std).
#[cfg(target_arch = "x86_64")]
#[inline]
pub fn has_avx2_fma() -> bool {
    std::is_x86_feature_detected!("avx2") && std::is_x86_feature_detected!("fma")
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_fast_exponential_is_within_2_ulp_of_libm() {
        let mut worst = 0u32;
        for i in 0..=200_000 {
            let x = -(i as f32) * 86.0 / 200_000.0;
            let want = x.exp();
            let mut got = [x + 1.5];
            super::exp_shifted(&mut got, 1.5);
            // the shift itself rounds: compare with expf of the shifted value
            let want = if got[0].is_finite() { ((x + 1.5) - 1.5).exp() } else { want };
            worst = worst.max(got[0].to_bits().abs_diff(want.to_bits()));
        }
        assert!(worst <= 2, "{worst} ulp");
        let mut v = [f32::NEG_INFINITY, 0.0, -100.0];
        super::exp_shifted(&mut v, 0.0);
        assert_eq!(v[0], 0.0);
        assert_eq!(v[1], 1.0);
        assert!(v[2] < 1e-37);
    }
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
