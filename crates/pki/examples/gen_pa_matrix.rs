//! Writes the passive-authentication matrix (`test-vectors/pa-matrix/`).
//!
//! ```text
//! cargo run -p mrtd-pki --example gen_pa_matrix -- [OUT_DIR [KEYS_DIR]]
//! ```
//!
//! Defaults: `test-vectors/pa-matrix` and `test-vectors/pki/keys`. RSA keys
//! are loaded from `KEYS_DIR/<label>.pk8`; a missing one is generated from
//! `mrtd_pki::matrix::MATRIX_SEED` (seconds for 4096 bits) and written
//! there, to be committed. Every case directory (one holding
//! `expected.json`) in `OUT_DIR` is replaced; other files (the README) are
//! left alone. The test `committed_matrix_is_reproducible` regenerates the
//! matrix in memory and requires byte equality with what is committed.

use std::error::Error;
use std::path::{Path, PathBuf};

use mrtd_pki::matrix::{self, KeyPool, MATRIX_SEED, RSA_KEYS};

fn main() -> Result<(), Box<dyn Error>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut args = std::env::args().skip(1);
    let out_dir = args
        .next()
        .map_or_else(|| root.join("test-vectors/pa-matrix"), PathBuf::from);
    let keys_dir = args
        .next()
        .map_or_else(|| root.join("test-vectors/pki/keys"), PathBuf::from);

    let mut pool = KeyPool::new(MATRIX_SEED, true);
    for (label, _) in RSA_KEYS {
        let path = keys_dir.join(format!("{label}.pk8"));
        if let Ok(der) = std::fs::read(&path) {
            pool.insert_pkcs8(label, &der)?;
        }
    }
    let cases = matrix::generate(&mut pool)?;
    let generated = pool.generated_rsa_keys()?;
    if !generated.is_empty() {
        std::fs::create_dir_all(&keys_dir)?;
        for (label, der) in generated {
            let path = keys_dir.join(format!("{label}.pk8"));
            std::fs::write(&path, der.as_bytes())?;
            println!("generated {}", path.display());
        }
    }

    std::fs::create_dir_all(&out_dir)?;
    for entry in std::fs::read_dir(&out_dir)? {
        let path = entry?.path();
        if path.is_dir() && path.join("expected.json").is_file() {
            std::fs::remove_dir_all(&path)?;
        }
    }
    let mut total = 0usize;
    for case in &cases {
        for (rel, bytes) in case.files()? {
            let path = out_dir.join(&case.name).join(rel);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&path, &bytes)?;
            total += bytes.len();
        }
    }
    let index = matrix::index_json(&cases)?;
    total += index.len();
    std::fs::write(out_dir.join("index.json"), index)?;
    println!(
        "wrote {} cases ({} bytes) into {}",
        cases.len(),
        total,
        out_dir.display()
    );
    Ok(())
}
