//! Preprocessing block by block (the out-of-core path) gives the same bits
//! as the in-memory path, including when `min_counts` forces the recount
//! pass.

mod common;

use common::shared_data;
use csc_core::io::read_matrix_market;
use csc_core::preprocess::{Preprocessor, CHUNK};
use csc_core::{preprocess, CscOwned, PreprocessOptions, Preprocessed};

/// Columns `start..end` of `m` as their own matrix.
fn block(m: &CscOwned, start: usize, end: usize) -> CscOwned {
    let (a, b) = (m.col_ptr[start] as usize, m.col_ptr[end] as usize);
    CscOwned {
        n_rows: m.n_rows,
        n_cols: end - start,
        col_ptr: m.col_ptr[start..=end].iter().map(|p| p - a as i32).collect(),
        row_idx: m.row_idx[a..b].to_vec(),
        values: m.values[a..b].to_vec(),
    }
}

fn streamed(m: &CscOwned, opts: &PreprocessOptions, size: usize) -> Preprocessed {
    let blocks: Vec<(usize, CscOwned)> = (0..m.n_cols).step_by(size).map(|s| (s, block(m, s, (s + size).min(m.n_cols)))).collect();
    let mut p = Preprocessor::new(m.n_rows, m.n_cols, opts).unwrap();
    for (s, b) in &blocks {
        p.add_totals(&b.view().unwrap(), *s).unwrap();
    }
    p.finish_totals().unwrap();
    if p.needs_recount() {
        for (s, b) in &blocks {
            p.add_recount(&b.view().unwrap(), *s).unwrap();
        }
        p.finish_cells().unwrap();
    }
    for (s, b) in &blocks {
        p.add_dispersions(&b.view().unwrap(), *s).unwrap();
    }
    p.finish_dispersions().unwrap();
    for (s, b) in &blocks {
        p.add_rows(&b.view().unwrap(), *s).unwrap();
    }
    p.finish().unwrap()
}

#[test]
fn blocks_give_the_in_memory_bits() {
    let Some(data) = shared_data("blocks_give_the_in_memory_bits") else { return };
    let m = read_matrix_market(&data.join("10X_PBMC_top2000/counts.mtx.gz")).unwrap();
    // both gene rankings: Pearson residuals (default) and Seurat dispersion
    for base in [PreprocessOptions::default(), PreprocessOptions::reference()] {
        for min_counts in [1.0, 20.0] {
            let opts = PreprocessOptions { min_counts, ..base.clone() };
            let whole = preprocess(&m.view().unwrap(), &opts).unwrap();
            let parts = streamed(&m, &opts, 2 * CHUNK);
            assert_eq!(whole.cells, parts.cells);
            assert_eq!(whole.fit, parts.fit);
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&whole.dispersions.normalized), bits(&parts.dispersions.normalized), "{:?}", opts.ranking);
            assert!(whole.data.iter().zip(parts.data.iter()).all(|(a, b)| a.to_bits() == b.to_bits()));
        }
    }
}

#[test]
fn misaligned_blocks_are_refused() {
    let m = CscOwned::from_triplets(3, 4, vec![(0, 0, 1.0), (1, 1, 2.0)]);
    let mut p = Preprocessor::new(3, 600, &Default::default()).unwrap();
    assert!(p.add_totals(&m.view().unwrap(), 5).is_err());
}
