//! Scores against scikit-learn (fixture from `fixtures/generate.py`) to 1e-6.

mod common;

use common::{assert_close, read_fixture};
use csc_core::metrics::*;
use ndarray::Array2;

#[test]
fn scores_match_scikit_learn() {
    let fx = read_fixture("sklearn_scores.txt");
    let labels = |k: &str| fx[k].values.iter().map(|&v| v as i32).collect::<Vec<_>>();
    let (truth, pred, single) = (labels("truth"), labels("pred"), labels("single"));
    let e = &fx["emb"];
    let emb = Array2::from_shape_vec((e.shape[0], e.shape[1]), e.values.clone()).unwrap();
    let check = |what: &str, got: f64| assert_close(what, &[got], &fx[what].values, 1e-6, 1e-6);
    check("ari", adjusted_rand_index(&truth, &pred).unwrap());
    check("nmi", normalized_mutual_info(&truth, &pred).unwrap());
    check("silhouette", silhouette(emb.view(), &pred).unwrap());
    check("silhouette_single", silhouette(emb.view(), &single).unwrap());
    check("ch", calinski_harabasz(emb.view(), &pred).unwrap());
    check("ari_single", adjusted_rand_index(&truth, &single).unwrap());
    check("nmi_single", normalized_mutual_info(&truth, &single).unwrap());
}
