//! Finite-difference checks of every hand-written backward pass: linear
//! (dense and sparse input), BatchNorm in training mode, ReLU inside the
//! encoder, L2 normalisation, NT-Xent, and the whole encoder + loss.
//! Each check perturbs inputs or parameters by +-h (central differences,
//! f32 arithmetic) and compares to the analytic gradient to 2%.

use csc_core::nn::*;
use csc_core::rng::{stream, Purpose};
use ndarray::{Array1, Array2};
use rand::Rng;

const H: f32 = 1e-2;

fn random(shape: (usize, usize), seed: u64) -> Array2<f32> {
    let mut r = stream(seed, Purpose::Init, &[99]);
    Array2::from_shape_fn(shape, |_| r.gen_range(-1.0..1.0))
}

/// Central differences of `f` at every element of `x` vs `analytic`.
fn check(what: &str, x: &mut [f32], analytic: &[f32], f: &mut dyn FnMut(&[f32]) -> f64) {
    check_h(what, x, analytic, f, H)
}

fn check_h(what: &str, x: &mut [f32], analytic: &[f32], f: &mut dyn FnMut(&[f32]) -> f64, h: f32) {
    let scale = analytic.iter().fold(0.0f32, |a, &b| a.max(b.abs())) as f64;
    assert!(scale > 0.0, "{what}: analytic gradient is all zero");
    for i in 0..x.len() {
        let orig = x[i];
        x[i] = orig + h;
        let up = f(x);
        x[i] = orig - h;
        let down = f(x);
        x[i] = orig;
        let fd = (up - down) / (2.0 * h as f64);
        let err = (fd - analytic[i] as f64).abs();
        assert!(err <= 0.02 * (analytic[i].abs() as f64).max(0.05 * scale), "{what}[{i}]: finite difference {fd} vs analytic {}", analytic[i]);
    }
}

/// `sum(y * r)`: a loss whose gradient with respect to `y` is `r`.
fn probe(y: &Array2<f32>, r: &Array2<f32>) -> f64 {
    y.iter().zip(r).map(|(a, b)| *a as f64 * *b as f64).sum()
}

#[test]
fn linear_layer() {
    let x = random((6, 5), 1);
    let r = random((6, 3), 2);
    let mut lin = Linear { weight: random((5, 3), 3), bias: Array1::from_vec(vec![0.1, -0.2, 0.3]) };
    let (dw, db, dx) = lin.backward(x.view(), r.view(), true);
    let mut w = lin.weight.clone();
    let base = lin.clone();
    check("dW", w.as_slice_mut().unwrap(), dw.as_slice().unwrap(), &mut |v| {
        let l = Linear { weight: Array2::from_shape_vec((5, 3), v.to_vec()).unwrap(), bias: base.bias.clone() };
        probe(&l.forward(x.view()), &r)
    });
    let mut b = lin.bias.clone();
    check("db", b.as_slice_mut().unwrap(), db.as_slice().unwrap(), &mut |v| {
        lin.bias = Array1::from_vec(v.to_vec());
        probe(&lin.forward(x.view()), &r)
    });
    let mut xx = x.clone();
    check("dx", xx.as_slice_mut().unwrap(), dx.unwrap().as_slice().unwrap(), &mut |v| {
        probe(&base.forward(Array2::from_shape_vec((6, 5), v.to_vec()).unwrap().view()), &r)
    });
}

#[test]
fn sparse_input_layer() {
    let x = random((8, 20), 4);
    let keep = random((8, 20), 5).mapv(|v| v > 0.2);
    let batch = SparseBatch::from_mask(x.view(), keep.view(), 0.6);
    let r = random((8, 4), 6);
    let bias = Array1::zeros(4);
    let mut w = random((20, 4), 7);
    let dw = batch.t_matmul(r.view());
    check("sparse dW", w.as_slice_mut().unwrap(), dw.as_slice().unwrap(), &mut |v| {
        probe(&batch.matmul_add(Array2::from_shape_vec((20, 4), v.to_vec()).unwrap().view(), &bias), &r)
    });
}

#[test]
fn batchnorm_training_mode() {
    let x = random((10, 4), 8) * 3.0;
    let r = random((10, 4), 9);
    let mut bn = BatchNorm::new(4);
    bn.gamma = Array1::from_vec(vec![0.5, 1.5, -1.0, 2.0]);
    bn.beta = Array1::from_vec(vec![0.1, 0.0, -0.3, 0.2]);
    let (_, cache, _) = bn.forward_train(x.view());
    let (dx, dgamma, dbeta) = bn.backward(&cache, r.view());
    let mut xx = x.clone();
    check("bn dx", xx.as_slice_mut().unwrap(), dx.as_slice().unwrap(), &mut |v| {
        probe(&bn.forward_train(Array2::from_shape_vec((10, 4), v.to_vec()).unwrap().view()).0, &r)
    });
    let mut g = bn.gamma.clone();
    let base = bn.clone();
    check("bn dgamma", g.as_slice_mut().unwrap(), dgamma.as_slice().unwrap(), &mut |v| {
        let mut b = base.clone();
        b.gamma = Array1::from_vec(v.to_vec());
        probe(&b.forward_train(x.view()).0, &r)
    });
    let mut be = bn.beta.clone();
    check("bn dbeta", be.as_slice_mut().unwrap(), dbeta.as_slice().unwrap(), &mut |v| {
        let mut b = base.clone();
        b.beta = Array1::from_vec(v.to_vec());
        probe(&b.forward_train(x.view()).0, &r)
    });
}

#[test]
fn l2_normalisation() {
    let z = random((5, 6), 10);
    let r = random((5, 6), 11);
    let (e, norms) = l2_normalize(z.view());
    let dz = l2_normalize_backward(z.view(), e.view(), &norms, r.view());
    let mut zz = z.clone();
    check("normalize dz", zz.as_slice_mut().unwrap(), dz.as_slice().unwrap(), &mut |v| {
        probe(&l2_normalize(Array2::from_shape_vec((5, 6), v.to_vec()).unwrap().view()).0, &r)
    });
}

#[test]
fn nt_xent_loss() {
    let (e, _) = l2_normalize(random((8, 5), 12).view());
    let (_, de) = nt_xent(e.view(), 0.5);
    let mut ee = e.clone();
    check("nt-xent de", ee.as_slice_mut().unwrap(), de.as_slice().unwrap(), &mut |v| {
        nt_xent(Array2::from_shape_vec((8, 5), v.to_vec()).unwrap().view(), 0.5).0
    });
}

#[test]
fn nt_xent_loss_with_false_negatives_left_out() {
    let (e, _) = l2_normalize(random((8, 5), 16).view());
    let mut mask = PairMask::new(8);
    mask.exclude(0, 1);
    mask.exclude(2, 7);
    mask.exclude(3, 5);
    let (_, de) = nt_xent_masked(e.view(), 0.5, Some(&mask));
    let mut ee = e.clone();
    check("masked nt-xent de", ee.as_slice_mut().unwrap(), de.as_slice().unwrap(), &mut |v| {
        nt_xent_masked(Array2::from_shape_vec((8, 5), v.to_vec()).unwrap().view(), 0.5, Some(&mask)).0
    });
}

#[test]
fn whole_encoder_with_relu_and_loss() {
    let x = random((12, 10), 13);
    let keep1 = random((12, 10), 14).mapv(|v| v > -0.4);
    let keep2 = random((12, 10), 15).mapv(|v| v > -0.4);
    let v1 = SparseBatch::from_mask(x.view(), keep1.view(), 0.3);
    let v2 = SparseBatch::from_mask(x.view(), keep2.view(), 0.3);
    let enc = Encoder::init(10, &[8, 6, 4], &mut stream(1, Purpose::Init, &[]));
    let loss_of = |enc: &Encoder| {
        let (e1, _) = enc.forward_train(&v1);
        let (e2, _) = enc.forward_train(&v2);
        nt_xent(ndarray::concatenate![ndarray::Axis(0), e1, e2].view(), 0.5)
    };
    let (e1, c1) = enc.forward_train(&v1);
    let (e2, c2) = enc.forward_train(&v2);
    let e = ndarray::concatenate![ndarray::Axis(0), e1, e2];
    let (_, de) = nt_xent(e.view(), 0.5);
    let s = |a: &Array2<f32>, lo: usize| a.slice(ndarray::s![lo..lo + 12, ..]).to_owned();
    let mut g = enc.backward(&v1, s(&e, 0).view(), &c1, s(&de, 0).view());
    g.add(&enc.backward(&v2, s(&e, 12).view(), &c2, s(&de, 12).view()));
    for layer in 0..3 {
        let mut w = enc.linears[layer].weight.clone();
        let shape = w.dim();
        check_h(&format!("encoder dW{layer}"), w.as_slice_mut().unwrap(), g.linears[layer].0.as_slice().unwrap(), &mut |v| {
            let mut e2 = enc.clone();
            e2.linears[layer].weight = Array2::from_shape_vec(shape, v.to_vec()).unwrap();
            loss_of(&e2).0
        }, 1e-3);
    }
    let mut gamma = enc.norms[1].gamma.clone();
    check("encoder dgamma1", gamma.as_slice_mut().unwrap(), g.norms[1].0.as_slice().unwrap(), &mut |v| {
        let mut e2 = enc.clone();
        e2.norms[1].gamma = Array1::from_vec(v.to_vec());
        loss_of(&e2).0
    });
}
