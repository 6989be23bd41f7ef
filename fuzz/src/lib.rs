//! Shared pieces of the mrtd fuzz targets.
//!
//! - [`input`]: a byte-oriented input format (`Input` reads it, `Writer`
//!   writes it) simple enough that `examples/seed_gen.rs` can turn real
//!   sessions into seed inputs;
//! - [`fixtures`]: the fixed keys, sessions and random sources the targets
//!   attack, shared with the seed generator so that its seeds are valid;
//! - [`chip`]: a scripted hostile chip and the corrupting man in the middle
//!   around the virtual passport;
//! - [`reader`]: the file-reader harness with its termination bound.
//!
//! Every target asserts "no panic" plus the cheap invariants its module
//! documents; a violated invariant is a panic, which libFuzzer reports as
//! a crash.

#![forbid(unsafe_code)]

pub mod chip;
pub mod fixtures;
pub mod input;
pub mod reader;
