//! Writes the project's test PKI (CSCA + Document Signer, certificates and
//! PKCS#8 keys) into a directory.
//!
//! ```text
//! cargo run -p mrtd-pki --example gen_testpki -- test-vectors/pki [SEED_HEX]
//! ```
//!
//! Without `SEED_HEX` (64 hex digits) the RNG is seeded with
//! `mrtd_pki::testpki::TEST_PKI_SEED`, which reproduces the committed files
//! byte for byte (the test `regenerating_reproduces_committed_files` checks
//! exactly that).

use std::error::Error;
use std::path::PathBuf;

use mrtd_pki::TestPki;
use mrtd_pki::testpki::{TEST_PKI_SEED, TestPkiOptions};
use rand::SeedableRng;
use rand::rngs::ChaCha20Rng;

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let Some(out_dir) = args.next().map(PathBuf::from) else {
        eprintln!("usage: gen_testpki OUTDIR [SEED_HEX]");
        std::process::exit(2);
    };
    let seed: [u8; 32] = match args.next() {
        Some(hex_seed) => hex::decode(hex_seed.trim())?
            .try_into()
            .map_err(|_| "SEED_HEX must be 32 bytes (64 hex digits)")?,
        None => TEST_PKI_SEED,
    };

    // ChaCha20Rng, named explicitly: `StdRng` may change algorithm between
    // `rand` versions, which would silently change the committed files.
    let mut rng = ChaCha20Rng::from_seed(seed);
    let pki = TestPki::generate(&mut rng, &TestPkiOptions::default())?;
    let files = pki.to_files()?;

    std::fs::create_dir_all(&out_dir)?;
    for (name, bytes) in files.entries() {
        let path = out_dir.join(name);
        std::fs::write(&path, bytes)?;
        println!("wrote {} ({} bytes)", path.display(), bytes.len());
    }
    Ok(())
}
