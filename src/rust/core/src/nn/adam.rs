//! Adam (PyTorch's single-tensor update, no weight decay) and the reference
//! cosine learning-rate schedule.

/// First-moment decay.
pub const BETA1: f64 = 0.9;
/// Second-moment decay.
pub const BETA2: f64 = 0.999;
/// Denominator epsilon.
pub const ADAM_EPS: f64 = 1e-8;

/// Moment estimates for a list of flat parameter tensors.
#[derive(Clone, Debug, Default)]
pub struct Adam {
    m: Vec<Vec<f32>>,
    v: Vec<Vec<f32>>,
    step: i32,
}

impl Adam {
    /// Zeroed state for tensors of the given lengths.
    pub fn new(sizes: &[usize]) -> Self {
        Self { m: sizes.iter().map(|&n| vec![0.0; n]).collect(), v: sizes.iter().map(|&n| vec![0.0; n]).collect(), step: 0 }
    }

    /// One update of every tensor with its gradient at learning rate `lr`.
    pub fn step(&mut self, params: &mut [&mut [f32]], grads: &[&[f32]], lr: f64) {
        self.step += 1;
        let bc1 = 1.0 - BETA1.powi(self.step);
        let bc2_sqrt = (1.0 - BETA2.powi(self.step)).sqrt() as f32;
        let step_size = (lr / bc1) as f32;
        let (b1, b2, eps) = ((1.0 - BETA1) as f32, BETA2 as f32, ADAM_EPS as f32);
        for (((p, g), m), v) in params.iter_mut().zip(grads).zip(&mut self.m).zip(&mut self.v) {
            super::kernels::adam_update(p, g, m, v, b1, b2, eps, bc2_sqrt, step_size);
        }
    }
}

/// The original's schedule at the start of epoch `epoch` (0-based):
/// `eta_min + (lr - eta_min) (1 + cos(pi epoch / period)) / 2`,
/// `eta_min = lr / 1000`.
pub fn cosine_lr(lr: f64, epoch: usize, period: usize) -> f64 {
    let eta_min = lr * 1e-3;
    eta_min + (lr - eta_min) * (1.0 + (std::f64::consts::PI * epoch as f64 / period as f64).cos()) / 2.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_adam_step_moves_by_lr_times_sign() {
        let mut p = vec![1.0f32, -2.0];
        let g = vec![0.5f32, -3.0];
        let mut a = Adam::new(&[2]);
        a.step(&mut [&mut p[..]], &[&g[..]], 0.1);
        assert!((p[0] - 0.9).abs() < 1e-6 && (p[1] + 1.9).abs() < 1e-6, "{p:?}");
    }

    #[test]
    fn reference_schedule_stays_near_lr_for_30_epochs() {
        assert_eq!(cosine_lr(0.4, 0, 500), 0.4);
        assert!((cosine_lr(0.4, 29, 500) - 0.3967).abs() < 1e-3);
        assert!((cosine_lr(0.4, 500, 500) - 0.0004).abs() < 1e-12);
    }
}
