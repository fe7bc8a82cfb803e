//! Errors of the core, one enum with the numbers involved, so the binding can
//! turn each into an R error that names the argument.

use thiserror::Error;

/// Everything that can go wrong in the core.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum Error {
    /// An option is out of its valid range; `arg` is the R argument's name.
    #[error("'{arg}' {msg}")]
    InvalidArgument { arg: &'static str, msg: String },
    /// The sparse count matrix is malformed (slot lengths, indices, values).
    #[error("'x' is not a valid sparse count matrix: {0}")]
    InvalidMatrix(String),
    /// Nothing left to learn from after filtering.
    #[error("'x' {0}")]
    NotEnoughData(String),
    /// Shapes of two inputs that must agree do not.
    #[error("shape mismatch: {0}")]
    Shape(String),
    /// A score is undefined for this labelling (scikit-learn raises here too).
    #[error("{0}")]
    Undefined(String),
    /// Training produced non-finite numbers (learning rate too high, bad input).
    #[error("training diverged: {0}")]
    Diverged(String),
    /// A backend that was not compiled in was asked for.
    #[error("{0}")]
    BackendUnavailable(String),
}

/// Result with the core's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

/// Shorthand for an [`Error::InvalidArgument`].
pub(crate) fn invalid(arg: &'static str, msg: impl Into<String>) -> Error {
    Error::InvalidArgument { arg, msg: msg.into() }
}
