//! Shared helpers of the integration tests: the fixture format written by
//! `fixtures/generate.py` and the location of the project's datasets.
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::PathBuf;

/// One array of a fixture file: its shape and values.
pub struct Fixture {
    pub shape: Vec<usize>,
    pub values: Vec<f64>,
}

/// Reads `name shape values...` lines.
pub fn read_fixture(rel: &str) -> HashMap<String, Fixture> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .map(|l| {
            let mut t = l.split(' ');
            let name = t.next().expect("name").to_string();
            let shape = t.next().expect("shape").split('x').map(|s| s.parse().expect("dim")).collect();
            let values = t.map(|v| v.parse().expect("value")).collect();
            (name, Fixture { shape, values })
        })
        .collect()
}

/// The shared datasets folder: `$CONTRASTIVESC_DATA` or `../shared/data`
/// beside the repository.
pub fn data_dir() -> PathBuf {
    std::env::var_os("CONTRASTIVESC_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../../shared/data"))
}

/// The shared datasets folder when this checkout has one beside it; `None`
/// after a one-line note otherwise, so that a test on real data skips (a
/// clone without `../shared` still passes; `tools/test.sh` says so too).
pub fn shared_data(test: &str) -> Option<PathBuf> {
    let dir = data_dir();
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("{test}: skipped, no shared data folder at {} (set CONTRASTIVESC_DATA)", dir.display());
        None
    }
}

/// Names of the datasets present (none without the shared data folder).
pub fn datasets() -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(data_dir()) else {
        return Vec::new();
    };
    let mut v: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("counts.mtx.gz").exists())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// `|a - b| <= tol * max(|b|, floor)` for every element; panics with the
/// worst offender.
pub fn assert_close(what: &str, got: &[f64], want: &[f64], tol: f64, floor: f64) {
    assert_eq!(got.len(), want.len(), "{what}: lengths");
    let mut worst = (0.0, 0);
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        let err = (g - w).abs() / w.abs().max(floor);
        if !(err <= worst.0) {
            worst = (err, i);
        }
    }
    assert!(worst.0 <= tol, "{what}: element {} is {} vs {} (relative error {:.3e} > {tol:e})", worst.1, got[worst.1], want[worst.1], worst.0);
}
