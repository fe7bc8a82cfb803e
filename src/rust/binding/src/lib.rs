//! The extendr binding of contrastiveSC: converts R objects to `csc_core`
//! types once, picks a per-call thread pool, calls the core and converts the
//! results back. No algorithm lives here. Every entry point returns a
//! `Result`, so core errors reach R as ordinary R errors.

// The crate is named after the R package, which is camelCase.
#![allow(non_snake_case)]

mod cluster;
mod convert;
mod error;
mod info;
mod mapping;
mod model;
mod session;
mod stream;

use extendr_api::prelude::*;

extendr_module! {
    mod contrastiveSC;
    use info;
    use session;
    use model;
    use mapping;
    use cluster;
    use stream;
}
