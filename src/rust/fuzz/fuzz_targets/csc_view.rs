//! The sparse-matrix conversion at the R edge: any `p`, `i`, `x` slots and
//! dimensions must give a valid view or a typed error, never a panic; a
//! valid view must then preprocess to finite data or a typed error.
#![no_main]

use csc_core::{preprocess, CscView, PreprocessOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.len() < 4 {
        return;
    }
    let n_rows = (data[0] % 16) as usize;
    let n_cols = (data[1] % 16) as usize;
    let n_ptr = (data[2] % 20) as usize;
    let n_nz = (data[3] % 40) as usize;
    let mut bytes = data[4..].iter().copied().cycle();
    let mut next = || bytes.next().unwrap_or(0);
    let p: Vec<i32> = (0..n_ptr).map(|_| (next() % 48) as i32 - 2).collect();
    let i: Vec<i32> = (0..n_nz).map(|_| (next() % 20) as i32 - 2).collect();
    let x: Vec<f64> = (0..n_nz)
        .map(|_| match next() % 8 {
            0 => f64::NAN,
            1 => f64::INFINITY,
            2 => -1.0,
            3 => 1e9,
            4 => 0.5,
            b => b as f64,
        })
        .collect();
    if let Ok(view) = CscView::new(n_rows, n_cols, &p, &i, &x) {
        let opts = PreprocessOptions { n_genes: 2 + (next() % 8) as usize, ..Default::default() };
        if let Ok(out) = preprocess(&view, &opts) {
            assert!(out.data.iter().all(|v| v.is_finite()));
        }
    }
});
