//! Property tests on hostile input: random shapes, empty rows and columns,
//! all-zero genes, huge counts (up to 1e9), a single repeated cell, k equal
//! to the number of distinct cells. Every call returns a result or a typed
//! error, never a panic, and results never hold NaN.
//! `PROPTEST_CASES` sets the number of cases per property (default 256).

use csc_core::cluster::kmeans;
use csc_core::nn::{l2_normalize, nt_xent};
use csc_core::train::train;
use csc_core::{preprocess, CscOwned, Error, PreprocessOptions, TrainOptions};
use ndarray::Array2;
use proptest::prelude::*;

/// A random sparse count matrix: up to 30 genes x 40 cells, some genes and
/// cells empty, counts from 0 to 1e9 (fractions too).
fn counts() -> impl Strategy<Value = CscOwned> {
    (1usize..30, 1usize..40).prop_flat_map(|(g, c)| {
        let cell = prop::collection::vec((0..g, prop_oneof![1.0..10.0f64, 1.0..1e9f64, Just(0.5)]), 0..g.min(12));
        prop::collection::vec(cell, c).prop_map(move |cols| {
            let trip = cols.iter().enumerate().flat_map(|(j, col)| col.iter().map(move |&(i, v)| (i, j, v))).collect();
            CscOwned::from_triplets(g, c, trip)
        })
    })
}

fn small_train() -> TrainOptions {
    TrainOptions { layers: vec![6, 3], epochs: 2, batch_size: 8, ..TrainOptions::reference() }
}

proptest! {
    #[test]
    fn preprocessing_returns_finite_data_or_a_typed_error(m in counts(), n_genes in 2usize..40) {
        let v = m.view().unwrap();
        match preprocess(&v, &PreprocessOptions { n_genes, ..Default::default() }) {
            Ok(p) => {
                prop_assert!(p.data.iter().all(|x| x.is_finite()));
                prop_assert_eq!(p.data.nrows(), p.cells.len());
                prop_assert!(p.cells.len() >= 2 && p.fit.genes.len() >= 2);
                prop_assert!(p.fit.genes.len() <= n_genes);
            }
            Err(e) => prop_assert!(matches!(e, Error::NotEnoughData(_))),
        }
    }

    #[test]
    fn training_gives_unit_norm_embeddings(m in counts(), seed in 0u64..1000) {
        let v = m.view().unwrap();
        if let Ok(p) = preprocess(&v, &PreprocessOptions { n_genes: 10, ..Default::default() }) {
            let t = train(p.data, &small_train(), seed).unwrap();
            let e = t.embed().unwrap();
            prop_assert!(e.iter().all(|x| x.is_finite()));
            for row in e.outer_iter() {
                let n: f32 = row.iter().map(|x| x * x).sum::<f32>().sqrt();
                // a zero row stays zero (its norm is clamped), else unit norm
                prop_assert!(n < 1e-6 || (n - 1.0).abs() < 1e-4, "norm {}", n);
            }
            prop_assert!(t.losses().iter().all(|l| l.is_finite()));
        }
    }

    #[test]
    fn kmeans_partitions_every_row(rows in 1usize..60, dims in 1usize..5, k in 1usize..8, dup in any::<bool>(), seed in 0u64..100) {
        let x = Array2::from_shape_fn((rows, dims), |(i, j)| if dup { 1.0 } else { ((i * 31 + j * 17) % 13) as f32 });
        match kmeans(x.view(), k, &Default::default(), seed) {
            Ok(r) => {
                prop_assert_eq!(r.labels.len(), rows);
                prop_assert!(r.labels.iter().all(|&l| l < k));
                prop_assert!(r.inertia.is_finite() && r.inertia >= 0.0);
            }
            Err(e) => {
                prop_assert!(k > rows);
                let names_k = matches!(e, Error::InvalidArgument { arg: "k", .. });
                prop_assert!(names_k);
            }
        }
    }

    #[test]
    fn nt_xent_is_invariant_to_the_order_of_pairs(perm_seed in 0u64..1000, n in 2usize..12) {
        let z = Array2::from_shape_fn((2 * n, 4), |(i, j)| (((i * 7 + j * 3 + perm_seed as usize) % 17) as f32) - 8.0 + 0.1);
        let (e, _) = l2_normalize(z.view());
        // rotate the cells: pair i moves to (i + r) % n in both views
        let r = (perm_seed as usize) % n;
        let idx: Vec<usize> = (0..2 * n).map(|i| if i < n { (i + r) % n } else { n + (i - n + r) % n }).collect();
        let p = e.select(ndarray::Axis(0), &idx);
        let (a, _) = nt_xent(e.view(), 0.1);
        let (b, _) = nt_xent(p.view(), 0.1);
        prop_assert!((a - b).abs() < 1e-4 * a.abs().max(1.0), "{} vs {}", a, b);
    }
}

#[test]
fn a_single_repeated_cell_and_k_equal_to_distinct_cells() {
    let trip = (0..20).flat_map(|c| vec![(0, c, 3.0), (2, c, 1.0), (5, c, 7.0)]).collect();
    let m = CscOwned::from_triplets(8, 20, trip);
    let p = preprocess(&m.view().unwrap(), &PreprocessOptions { n_genes: 3, ..Default::default() }).unwrap();
    assert!(p.data.iter().all(|&v| v == 0.0), "constant genes scale to zero");
    let t = train(p.data, &small_train(), 1).unwrap();
    let e = t.embed().unwrap();
    assert!(e.iter().all(|x| x.is_finite()));
    let r = kmeans(e.view(), 1, &Default::default(), 0).unwrap();
    assert!(r.labels.iter().all(|&l| l == 0));
}
