//! Clustering of the embedding (SPEC section 4).

mod kmeans;

pub use kmeans::{best_of, kmeans, kmeans_pieces, kmeans_restart, KMeansResult};
