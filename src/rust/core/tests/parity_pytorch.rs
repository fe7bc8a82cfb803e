//! One training step against PyTorch (fixture from `fixtures/generate.py`,
//! which runs the original model, SupConLoss and Adam): same initial
//! weights, same dropout masks, same batch. The loss, every gradient and
//! every parameter after one Adam step agree to 1e-4 relative.
//!
//! One exception, by construction: the biases of the linear layers that feed
//! a BatchNorm have an analytic gradient of exactly 0 (BatchNorm removes any
//! per-feature shift), so both implementations see rounding noise of about
//! 1e-8, and Adam, which divides by the gradient's magnitude, turns that
//! noise into steps of up to `lr`. For those the test checks that both
//! gradients are noise (below 1e-6) instead of comparing the noisy update.
//!
//! Parameters are compared relative to `max(|p|, lr)`: Adam's first step
//! moves every parameter by about `lr`, so a parameter that lands near zero
//! is measured against the size of its step, not against its tiny value.

mod common;

use common::{assert_close, read_fixture, Fixture};
use csc_core::nn::{BatchNorm, Encoder, Linear, SparseBatch};
use csc_core::train::Trainer;
use csc_core::TrainOptions;
use ndarray::{Array1, Array2};
use std::collections::HashMap;

fn mat(f: &Fixture) -> Array2<f32> {
    Array2::from_shape_vec((f.shape[0], f.shape[1]), f.values.iter().map(|&v| v as f32).collect()).unwrap()
}
fn vec1(f: &Fixture) -> Array1<f32> {
    f.values.iter().map(|&v| v as f32).collect()
}
fn flat<'a>(a: impl IntoIterator<Item = &'a f32>) -> Vec<f64> {
    a.into_iter().map(|&v| v as f64).collect()
}

/// torch Sequential index of linear layer `i`: Linear, BN, ReLU per hidden layer.
fn lin_key(i: usize) -> usize {
    3 * i
}

fn encoder(fx: &HashMap<String, Fixture>, prefix: &str, n_layers: usize) -> Encoder {
    let linears = (0..n_layers)
        .map(|i| Linear {
            // torch stores out x in; the core stores in x out
            weight: mat(&fx[&format!("{prefix}.{}.weight", lin_key(i))]).reversed_axes().as_standard_layout().to_owned(),
            bias: vec1(&fx[&format!("{prefix}.{}.bias", lin_key(i))]),
        })
        .collect();
    let norms = (0..n_layers - 1)
        .map(|i| {
            let k = lin_key(i) + 1;
            let mut b = BatchNorm::new(fx[&format!("{prefix}.{k}.weight")].values.len());
            b.gamma = vec1(&fx[&format!("{prefix}.{k}.weight")]);
            b.beta = vec1(&fx[&format!("{prefix}.{k}.bias")]);
            b.running_mean = vec1(&fx[&format!("{prefix}.{k}.running_mean")]);
            b.running_var = vec1(&fx[&format!("{prefix}.{k}.running_var")]);
            b
        })
        .collect();
    Encoder { linears, norms }
}

#[test]
fn one_adam_step_matches_pytorch() {
    let fx = read_fixture("torch_step.txt");
    let cfg = &fx["config"].values;
    let (p, tau, lr) = (cfg[0], cfg[1], cfg[2]);
    let layers: Vec<usize> = cfg[3..].iter().map(|&v| v as usize).collect();
    let x = mat(&fx["x"]);
    let keep = |k: &str| mat(&fx[k]).mapv(|v| v > 0.5);
    let v1 = SparseBatch::from_mask(x.view(), keep("keep1").view(), p);
    let v2 = SparseBatch::from_mask(x.view(), keep("keep2").view(), p);
    let opts = TrainOptions { layers: layers.clone(), dropout: p, temperature: tau, learning_rate: lr, ..TrainOptions::reference() };
    let init = encoder(&fx, "init", layers.len());
    let mut t = Trainer::with_encoder(x.clone(), opts, 0, init).unwrap();
    let loss = t.step(&v1, &v2, lr).unwrap();
    assert_close("loss", &[loss], &fx["loss"].values, 1e-4, 1e-6);

    let want = encoder(&fx, "after", layers.len());
    let got = t.encoder().unwrap();
    let got = &got;
    let fl = lr;
    for i in 0..layers.len() {
        assert_close(&format!("layer {i} weight"), &flat(&got.linears[i].weight), &flat(&want.linears[i].weight), 1e-4, fl);
        let grad = &fx[&format!("grad.{}.bias", lin_key(i))].values;
        if i + 1 < layers.len() {
            assert!(grad.iter().all(|g| g.abs() < 1e-6), "pre-BatchNorm bias {i}: torch gradient is not noise");
        } else {
            assert_close(&format!("layer {i} bias"), &flat(&got.linears[i].bias), &flat(&want.linears[i].bias), 1e-4, fl);
        }
    }
    for i in 0..layers.len() - 1 {
        let (g, w) = (&got.norms[i], &want.norms[i]);
        assert_close(&format!("bn {i} gamma"), &flat(&g.gamma), &flat(&w.gamma), 1e-4, fl);
        assert_close(&format!("bn {i} beta"), &flat(&g.beta), &flat(&w.beta), 1e-4, fl);
        assert_close(&format!("bn {i} running var"), &flat(&g.running_var), &flat(&w.running_var), 1e-4, 1e-2);
        // the running mean includes the (noisy) pre-BN bias only through the batch mean, before the step
        assert_close(&format!("bn {i} running mean"), &flat(&g.running_mean), &flat(&w.running_mean), 1e-4, 1e-2);
    }
}

#[test]
fn gradients_match_pytorch() {
    use csc_core::nn::nt_xent;
    let fx = read_fixture("torch_step.txt");
    let cfg = &fx["config"].values;
    let (p, tau) = (cfg[0], cfg[1]);
    let layers: Vec<usize> = cfg[3..].iter().map(|&v| v as usize).collect();
    let x = mat(&fx["x"]);
    let keep = |k: &str| mat(&fx[k]).mapv(|v| v > 0.5);
    let v1 = SparseBatch::from_mask(x.view(), keep("keep1").view(), p);
    let v2 = SparseBatch::from_mask(x.view(), keep("keep2").view(), p);
    let enc = encoder(&fx, "init", layers.len());
    let (e1, c1) = enc.forward_train(&v1);
    let (e2, c2) = enc.forward_train(&v2);
    let e = ndarray::concatenate![ndarray::Axis(0), e1, e2];
    let (loss, de) = nt_xent(e.view(), tau);
    assert_close("loss", &[loss], &fx["loss"].values, 1e-4, 1e-6);
    let n = x.nrows();
    let s = |a: &Array2<f32>, lo: usize, hi: usize| a.slice(ndarray::s![lo..hi, ..]).to_owned();
    let mut g = enc.backward(&v1, s(&e, 0, n).view(), &c1, s(&de, 0, n).view());
    g.add(&enc.backward(&v2, s(&e, n, 2 * n).view(), &c2, s(&de, n, 2 * n).view()));
    for i in 0..layers.len() {
        let want = mat(&fx[&format!("grad.{}.weight", lin_key(i))]).reversed_axes();
        let scale = want.iter().fold(0.0f32, |a, &b| a.max(b.abs())) as f64;
        assert_close(&format!("grad weight {i}"), &flat(&g.linears[i].0), &flat(&want.as_standard_layout()), 1e-4, scale * 1e-2);
    }
    for i in 0..layers.len() - 1 {
        let k = lin_key(i) + 1;
        let want = &fx[&format!("grad.{k}.weight")].values;
        let scale = want.iter().fold(0.0f64, |a, &b| a.max(b.abs()));
        assert_close(&format!("grad gamma {i}"), &flat(&g.norms[i].0), want, 1e-4, scale * 1e-2);
    }
}
