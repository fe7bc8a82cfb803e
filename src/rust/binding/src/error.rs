//! Turns core errors into extendr errors (the orphan rule forbids a `From`
//! between two foreign types), keeping the core's message, which names the
//! R argument.

/// Converts any displayable error into an R error message.
pub(crate) fn to_r<E: std::fmt::Display>(e: E) -> extendr_api::Error {
    extendr_api::Error::Other(e.to_string())
}

/// An R argument error.
pub(crate) fn arg_error(arg: &str, msg: &str) -> extendr_api::Error {
    extendr_api::Error::Other(format!("'{arg}' {msg}"))
}
