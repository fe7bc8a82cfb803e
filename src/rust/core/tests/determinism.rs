//! The same seed gives bit-identical embeddings and clusters whatever the
//! number of threads; another seed gives another embedding.

mod common;

use common::shared_data;
use std::path::Path;
use csc_core::{cluster::kmeans, io::read_matrix_market, preprocess, train::train, PreprocessOptions, TrainOptions};

fn run(data: &Path, threads: usize, seed: u64) -> (Vec<f32>, Vec<usize>) {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
    pool.install(|| {
        let counts = read_matrix_market(&data.join("Zeisel_subset_descend_1000genes/counts.mtx.gz")).unwrap();
        let p = preprocess(&counts.view().unwrap(), &PreprocessOptions::reference()).unwrap();
        let t = train(p.data, &TrainOptions { epochs: 3, ..TrainOptions::reference() }, seed).unwrap();
        let emb = t.embed().unwrap();
        let km = kmeans(emb.view(), 3, &Default::default(), seed).unwrap();
        (emb.into_raw_vec_and_offset().0, km.labels)
    })
}

#[test]
fn one_and_two_threads_give_the_same_bits() {
    let Some(data) = shared_data("one_and_two_threads_give_the_same_bits") else { return };
    let (e1, l1) = run(&data, 1, 42);
    let (e2, l2) = run(&data, 2, 42);
    assert!(e1.iter().zip(&e2).all(|(a, b)| a.to_bits() == b.to_bits()), "embeddings differ between 1 and 2 threads");
    assert_eq!(l1, l2);
    let (e3, _) = run(&data, 2, 43);
    assert!(e1 != e3, "a different seed must change the embedding");
    assert!(e1.chunks(60).all(|r| (r.iter().map(|v| v * v).sum::<f32>() - 1.0).abs() < 1e-5), "rows are unit norm");
}
