//! Reading the project's datasets (MatrixMarket coordinate files, gzipped or
//! not, genes x cells) for tests, benchmarks and the GPU check binary.

use crate::error::{Error, Result};
use crate::sparse::CscOwned;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

/// Reads a MatrixMarket `coordinate real|integer general` file.
pub fn read_matrix_market(path: &Path) -> Result<CscOwned> {
    let file = std::fs::File::open(path).map_err(|e| Error::InvalidMatrix(format!("{}: {e}", path.display())))?;
    let reader: Box<dyn Read> = if path.extension().is_some_and(|e| e == "gz") {
        Box::new(flate2::read::GzDecoder::new(file))
    } else {
        Box::new(file)
    };
    let bad = |m: &str| Error::InvalidMatrix(format!("{}: {m}", path.display()));
    let mut lines = BufReader::new(reader).lines();
    let mut header = None;
    for line in lines.by_ref() {
        let line = line.map_err(|e| bad(&e.to_string()))?;
        if line.starts_with('%') || line.trim().is_empty() {
            continue;
        }
        header = Some(line);
        break;
    }
    let header = header.ok_or_else(|| bad("no size line"))?;
    let dims: Vec<usize> = header.split_whitespace().map(|t| t.parse().map_err(|_| bad("bad size line"))).collect::<Result<_>>()?;
    let (n_rows, n_cols, nnz) = match dims[..] {
        [r, c, z] => (r, c, z),
        _ => return Err(bad("bad size line")),
    };
    let mut trip = Vec::with_capacity(nnz);
    for line in lines {
        let line = line.map_err(|e| bad(&e.to_string()))?;
        let mut t = line.split_whitespace();
        let (Some(r), Some(c), Some(v)) = (t.next(), t.next(), t.next()) else { continue };
        let r: usize = r.parse().map_err(|_| bad("bad row index"))?;
        let c: usize = c.parse().map_err(|_| bad("bad column index"))?;
        let v: f64 = v.parse().map_err(|_| bad("bad value"))?;
        if r == 0 || c == 0 || r > n_rows || c > n_cols {
            return Err(bad("index out of range"));
        }
        trip.push((r - 1, c - 1, v));
    }
    Ok(CscOwned::from_triplets(n_rows, n_cols, trip))
}

/// Reads the `label` column of a `labels.tsv` (header `cell<TAB>label`) as
/// integer codes in order of first appearance.
pub fn read_labels(path: &Path) -> Result<Vec<i32>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::InvalidMatrix(format!("{}: {e}", path.display())))?;
    let mut codes = std::collections::HashMap::new();
    Ok(text
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let label = l.split('\t').nth(1).unwrap_or("").to_string();
            let next = codes.len() as i32;
            *codes.entry(label).or_insert(next)
        })
        .collect())
}

/// Whether a dataset folder's values are log-scale (to be read with
/// `normalized_input`): its `meta.json` says they are not integer counts
/// and the largest is below 30, which no linear-scale expression matrix
/// (counts, RPKM) reaches only by chance. The R benchmark suite applies
/// the same rule.
pub fn is_log_scale(dir: &Path) -> bool {
    let meta = std::fs::read_to_string(dir.join("meta.json")).unwrap_or_default();
    let field = |k: &str| {
        meta.split(&format!("\"{k}\":")).nth(1).map(|r| r.trim_start().split([',', '\n', '}']).next().unwrap_or("").trim().to_string())
    };
    let integer = field("integer_counts").map_or(true, |v| v == "true");
    let max: f64 = field("max_value").and_then(|v| v.parse().ok()).unwrap_or(f64::INFINITY);
    !integer && max < 30.0
}
