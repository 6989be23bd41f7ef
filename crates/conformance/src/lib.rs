//! Conformance cases for eMRTD readers and the runner that executes them.
//!
//! A [`Case`] has an id (`pace.worked-example.g1`, `profile.nl-2006-bac`,
//! …), a source (the document, specimen or profile it comes from), an
//! expectation in words, and a check that returns an [`Outcome`]. The
//! sources are modules, each with a `cases(&Context)` function:
//!
//! - [`pa_matrix`]: the passive-authentication matrix of
//!   `test-vectors/pa-matrix/` (every algorithm, every way a SOD can fail);
//!
//! [`runner::run`] executes a selection (a panicking case is a failure,
//! never the end of the run) and [`junit`] writes JUnit XML for CI
//! dashboards. `mrtd conformance` is a thin shell over this crate.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod case;
pub mod junit;
pub mod pa_matrix;
pub mod runner;

pub use case::{Case, Context, Outcome};
pub use runner::{CaseResult, RunReport, all_cases, run};
