//! Mapping new cells (a query) onto a trained reference: the query,
//! normalised and scaled as the reference's cells, is moved toward a kept
//! subsample of the reference's training cells by mutual nearest
//! neighbours in the reference's principal components ([`Reference`], the
//! correction of [`crate::mnn`] with the reference held fixed), then
//! embedded by the reference's encoder; each query cell is scored against
//! each reference type by its nearest cells of that type ([`type_scores`]),
//! so a rare type is not outvoted by a common one.

mod reference;
mod types;

pub use reference::{Reference, MAP_MNN_K, MAP_ROUNDS, MAX_REFERENCE_CELLS};
pub use types::type_scores;
