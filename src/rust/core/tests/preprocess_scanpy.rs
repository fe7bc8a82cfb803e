//! Preprocessing against scanpy (fixtures from `fixtures/generate.py`):
//! on every shared dataset the kept cells and genes are scanpy's exactly,
//! and the scaling statistics and scaled values agree to 1e-4.

mod common;

use common::{assert_close, data_dir, datasets, read_fixture, shared_data};
use csc_core::{io::read_matrix_market, preprocess, GeneRanking, PreprocessOptions};

#[test]
fn matches_scanpy_on_every_shared_dataset() {
    if shared_data("matches_scanpy_on_every_shared_dataset").is_none() {
        return;
    }
    let names = datasets();
    assert!(names.len() >= 7, "expected the 7 shared datasets, found {names:?}");
    for name in names {
        let fx = read_fixture(&format!("preprocess/{name}.txt"));
        let counts = read_matrix_market(&data_dir().join(&name).join("counts.mtx.gz")).unwrap();
        let p = preprocess(&counts.view().unwrap(), &PreprocessOptions::reference()).unwrap();
        let as_usize = |k: &str| fx[k].values.iter().map(|&v| v as usize).collect::<Vec<_>>();
        assert_eq!(p.cells, as_usize("cells"), "{name}: kept cells");
        let want_genes = as_usize("genes");
        let missing: Vec<_> = want_genes.iter().filter(|g| !p.fit.genes.contains(g)).collect();
        assert_eq!(p.fit.genes, want_genes, "{name}: kept genes differ, scanpy's not ours: {missing:?}");
        assert_close(&format!("{name} median"), &[p.fit.median_total], &fx["median_total"].values, 1e-12, 1.0);
        assert_close(&format!("{name} means"), &p.fit.means, &fx["means"].values, 1e-4, 1e-3);
        assert_close(&format!("{name} stds"), &p.fit.stds, &fx["stds"].values, 1e-4, 1e-3);
        let rows = as_usize("sample_rows");
        let got: Vec<f64> = rows.iter().flat_map(|&r| p.data.row(r).iter().map(|&v| v as f64).collect::<Vec<_>>()).collect();
        assert_close(&format!("{name} scaled"), &got, &fx["scaled"].values, 1e-4, 1.0);
    }
}

/// The default gene ranking against scanpy's `flavor = "pearson_residuals"`:
/// the same ranked genes, residual variances within 1e-6 relative (ours are
/// ddof = 1, scanpy's ddof = 0), and the same 500 genes kept.
#[test]
fn pearson_ranking_matches_scanpy_on_every_shared_dataset() {
    if shared_data("pearson_ranking_matches_scanpy_on_every_shared_dataset").is_none() {
        return;
    }
    for name in datasets() {
        let fx = read_fixture(&format!("pearson/{name}.txt"));
        let counts = read_matrix_market(&data_dir().join(&name).join("counts.mtx.gz")).unwrap();
        let opts = PreprocessOptions { ranking: GeneRanking::PearsonResiduals, ..PreprocessOptions::reference() };
        let p = preprocess(&counts.view().unwrap(), &opts).unwrap();
        let as_usize = |k: &str| fx[k].values.iter().map(|&v| v as usize).collect::<Vec<_>>();
        assert_eq!(p.ranked_genes, as_usize("ranked_genes"), "{name}: ranked genes");
        let n = p.cells.len() as f64;
        let ddof0: Vec<f64> = p.dispersions.normalized.iter().map(|v| v * (n - 1.0) / n).collect();
        assert_close(&format!("{name} residual variances"), &ddof0, &fx["residual_variances"].values, 1e-6, 1e-9);
        assert_eq!(p.fit.genes, as_usize("genes"), "{name}: kept genes");
    }
}
