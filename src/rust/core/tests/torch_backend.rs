//! The torch backend against the native one (only with `--features torch`;
//! on the CPU, so it runs on any machine with libtorch). Both start from the
//! same weights and see the same batches and dropout masks (the trainer
//! chooses them), so their losses can be compared step by step.
#![cfg(feature = "torch")]

mod common;

use common::shared_data;
use csc_core::backend::{Backend, Device, Native, Torch};
use csc_core::train::Trainer;
use csc_core::{cluster::kmeans, io, metrics, preprocess, TrainOptions};
use ndarray::Array2;

/// The scaled PBMC cells and their labels; `None` without the shared data.
fn pbmc(test: &str) -> Option<(Array2<f32>, Vec<i32>)> {
    let dir = shared_data(test)?.join("10X_PBMC_top2000");
    let counts = io::read_matrix_market(&dir.join("counts.mtx.gz")).unwrap();
    let labels = io::read_labels(&dir.join("labels.tsv")).unwrap();
    let p = preprocess(&counts.view().unwrap(), &Default::default()).unwrap();
    let truth = p.cells.iter().map(|&c| labels[c]).collect();
    Some((p.data, truth))
}

fn trainers(data: &Array2<f32>, opts: &TrainOptions, seed: u64) -> (Trainer, Trainer) {
    let init = Trainer::initial_encoder(data.ncols(), opts, seed);
    let native = Trainer::with_backend(data.clone(), opts.clone(), seed, Box::new(Native::new(init.clone(), opts.temperature))).unwrap();
    let torch = Torch::new(&init, Device::Cpu, opts.temperature).unwrap();
    let torch = Trainer::with_backend(data.clone(), opts.clone(), seed, Box::new(torch)).unwrap();
    (native, torch)
}

fn ari(emb: &Array2<f32>, truth: &[i32], seed: u64) -> f64 {
    let km = kmeans(emb.view(), 8, &Default::default(), seed).unwrap();
    let pred: Vec<i32> = km.labels.iter().map(|&l| l as i32).collect();
    metrics::adjusted_rand_index(truth, &pred).unwrap()
}

#[test]
fn first_twenty_steps_have_the_same_losses() {
    let Some((data, _)) = pbmc("first_twenty_steps_have_the_same_losses") else { return };
    let opts = TrainOptions::reference();
    let (mut a, mut b) = trainers(&data, &opts, 0);
    a.run_steps(20).unwrap();
    b.run_steps(20).unwrap();
    for (i, (x, y)) in a.step_losses().iter().zip(b.step_losses()).enumerate() {
        assert!((x - y).abs() <= 1e-3 * x.abs(), "step {i}: native {x} vs torch {y}");
    }
    assert_eq!(b.step_losses().len(), 20);
}

#[test]
fn false_negatives_left_out_give_the_same_losses() {
    let Some((data, _)) = pbmc("false_negatives_left_out_give_the_same_losses") else { return };
    let opts = TrainOptions { exclude_neighbours: 50, ..TrainOptions::default() };
    let (mut a, mut b) = trainers(&data, &opts, 1);
    a.run_steps(20).unwrap();
    b.run_steps(20).unwrap();
    let plain = TrainOptions { exclude_neighbours: 0, ..opts.clone() };
    let (mut c, _) = trainers(&data, &plain, 1);
    c.run_steps(20).unwrap();
    for (i, (x, y)) in a.step_losses().iter().zip(b.step_losses()).enumerate() {
        assert!((x - y).abs() <= 1e-3 * x.abs(), "step {i}: native {x} vs torch {y}");
    }
    // from the same weights, fewer negatives are a smaller denominator
    let (x, z) = (a.step_losses()[0], c.step_losses()[0]);
    assert!(x < z, "first step: {x} with false negatives left out, {z} without");
}

#[test]
fn thirty_epochs_cluster_alike_and_models_cross_backends() {
    let Some((data, truth)) = pbmc("thirty_epochs_cluster_alike_and_models_cross_backends") else { return };
    let opts = TrainOptions::reference();
    let (mut a, mut b) = trainers(&data, &opts, 0);
    while !a.finished() {
        a.run_epoch().unwrap();
        b.run_epoch().unwrap();
    }
    let (ea, eb) = (a.embed().unwrap(), b.embed().unwrap());
    let (ra, rb) = (ari(&ea, &truth, 0), ari(&eb, &truth, 0));
    assert!((ra - rb).abs() < 0.02, "ARI native {ra} vs torch {rb}");
    // the torch-trained weights, exported, embed the same on the native backend
    let exported = b.encoder().unwrap();
    let native_of_torch = Native::new(exported.clone(), opts.temperature).embed(data.view()).unwrap();
    let diff = native_of_torch.iter().zip(eb.iter()).map(|(x, y)| (x - y).abs()).fold(0.0f32, f32::max);
    assert!(diff < 1e-4, "embeddings of one model differ by {diff} between backends");
    // and native weights load into torch
    let back = Torch::new(&a.encoder().unwrap(), Device::Cpu, opts.temperature).unwrap().embed(data.view()).unwrap();
    let diff = back.iter().zip(ea.iter()).map(|(x, y)| (x - y).abs()).fold(0.0f32, f32::max);
    assert!(diff < 1e-4, "native model on torch differs by {diff}");
}

#[test]
fn cuda_without_a_device_is_a_clear_error() {
    if csc_core::backend::cuda_device_count() > 0 {
        return;
    }
    let enc = Trainer::initial_encoder(10, &TrainOptions::reference(), 0);
    let err = Torch::new(&enc, Device::Cuda(0), 0.07).err().expect("no CUDA here").to_string();
    assert!(err.contains("cuda:0 is not available"), "{err}");
}
