//! Shared helpers of the integration tests: locating the public test
//! vectors in `shared/test-vectors/` (read in place, never copied).

#![allow(dead_code)]

use std::path::PathBuf;

/// `shared/test-vectors/<rel>`; panics loudly if it is missing, so a test
/// that needs the corpus can never pass silently without it.
pub fn vector_path(rel: &str) -> PathBuf {
    let p = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/test-vectors"
    ))
    .join(rel);
    assert!(
        p.exists(),
        "test vector {} is missing: these tests need the shared test-vector corpus at ../shared/test-vectors",
        p.display()
    );
    p
}

pub fn read(rel: &str) -> Vec<u8> {
    std::fs::read(vector_path(rel)).unwrap_or_else(|e| panic!("cannot read {rel}: {e}"))
}

pub fn json(rel: &str) -> serde_json::Value {
    serde_json::from_slice(&read(rel)).unwrap_or_else(|e| panic!("{rel} is not JSON: {e}"))
}

/// Hex string at a JSON pointer (e.g. `/mapping/terminal_private_key`).
pub fn hx(v: &serde_json::Value, pointer: &str) -> Vec<u8> {
    let s = v
        .pointer(pointer)
        .and_then(|s| s.as_str())
        .unwrap_or_else(|| panic!("no string at {pointer}"));
    hex::decode(s).unwrap_or_else(|e| panic!("{pointer}: bad hex: {e}"))
}
