//! Shared helpers of the integration tests: the public corpus in
//! `shared/test-vectors/` (read in place; missing files fail loudly).

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::PathBuf;

use mrtd_lds::DgNumber;

/// `shared/test-vectors/<rel>`.
pub fn vectors(rel: &str) -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/test-vectors/"
    ))
    .join(rel)
}

/// Reads a corpus file or panics with a clear message.
pub fn read(rel: &str) -> Vec<u8> {
    let p = vectors(rel);
    std::fs::read(&p).unwrap_or_else(|e| {
        panic!(
            "test vector {} is missing ({e}); the shared test corpus must be checked out beside the repository",
            p.display()
        )
    })
}

/// The data groups of a corpus folder, by the names used there.
pub fn data_groups(dir: &str, names: &[(u8, &str)]) -> BTreeMap<DgNumber, Vec<u8>> {
    names
        .iter()
        .map(|(n, f)| (DgNumber::new(*n).unwrap(), read(&format!("{dir}/{f}"))))
        .collect()
}

#[allow(dead_code)]
pub mod build;
