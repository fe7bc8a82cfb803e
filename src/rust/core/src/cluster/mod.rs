//! Clustering of the embedding (SPEC section 4).

mod kmeans;

pub use kmeans::{kmeans, KMeansResult};
