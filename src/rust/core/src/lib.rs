//! # csc-core
//!
//! contrastive-sc (Ciortan & Defrance, "Contrastive self-supervised
//! clustering of scRNA-seq data", BMC Bioinformatics 22:280, 2021) in pure
//! Rust, with no R types: the R package's binding crate is a thin layer over
//! this crate, and `cargo test` / `cargo bench` run without R.
//!
//! Pipeline: [`preprocess`] (sparse counts -> scaled kept genes), then
//! [`train::Trainer`] (an MLP trained with input-dropout views and NT-Xent),
//! then [`cluster::kmeans`] on the embedding; [`metrics`] scores a partition.
//! `SPEC.md` in the project describes every constant.

pub mod backend;
pub mod batches;
pub mod cluster;
pub mod error;
pub mod io;
pub mod mapping;
pub mod metrics;
pub mod mnn;
pub mod neighbours;
pub mod nn;
pub mod options;
pub mod pca;
pub mod preprocess;
pub mod rng;
pub mod sparse;
pub mod train;

pub use error::{Error, Result};
pub use options::{GeneRanking, KMeansOptions, Mode, PreprocessOptions, TrainOptions};
pub use preprocess::{preprocess, PreprocessFit, Preprocessed};
pub use sparse::{CscOwned, CscView, ValueSummary};
