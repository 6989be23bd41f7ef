//! Parse time of a complete dump — the TR-03105-5 reference data set (EF.COM,
//! EF.SOD, DG1, DG2 with its 15 KB JPEG 2000 face, DG3, DG4, DG14, DG15) —
//! without and with decoding the face. Prints figures, asserts nothing.
//!
//! `cargo bench -p mrtd-face --bench dump`

use std::time::{Duration, Instant};

use mrtd_lds::{DgNumber, EfId, LdsFile, ParseOptions, parse_file};

const SET: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/test-vectors/lds/bsi-tr03105-5-reference-dataset/"
);

fn files() -> Vec<(EfId, Vec<u8>)> {
    let dg = |n| EfId::Dg(DgNumber::new(n).unwrap());
    [
        (EfId::Com, "EF_COM.bin"),
        (EfId::Sod, "EF_SOD.bin"),
        (dg(1), "Datagroup1.bin"),
        (dg(2), "Datagroup2.bin"),
        (dg(3), "Datagroup3.bin"),
        (dg(4), "Datagroup4.bin"),
        (dg(14), "Datagroup14.bin"),
        (dg(15), "Datagroup15.bin"),
    ]
    .into_iter()
    .map(|(ef, name)| {
        let path = format!("{SET}{name}");
        let bytes = std::fs::read(&path).unwrap_or_else(|e| {
            panic!("test vector {path} is missing ({e}); the shared corpus is required")
        });
        (ef, bytes)
    })
    .collect()
}

fn parse_all(files: &[(EfId, Vec<u8>)], decode: bool) -> usize {
    let mut pixels = 0;
    for (ef, bytes) in files {
        let parsed =
            parse_file(*ef, bytes, ParseOptions::LENIENT).expect("the reference set parses");
        if decode && let LdsFile::Dg2(dg2) = &parsed.value {
            for image in dg2.images() {
                pixels += mrtd_face::decode(&image.bytes)
                    .expect("the face decodes")
                    .pixels
                    .len();
            }
        }
    }
    pixels
}

fn measure(name: &str, files: &[(EfId, Vec<u8>)], decode: bool, budget: Duration) {
    // Warm up once.
    std::hint::black_box(parse_all(files, decode));
    let mut runs = Vec::new();
    let start = Instant::now();
    while start.elapsed() < budget || runs.len() < 5 {
        let t = Instant::now();
        std::hint::black_box(parse_all(files, decode));
        runs.push(t.elapsed());
    }
    runs.sort();
    let median = runs[runs.len() / 2];
    let min = runs[0];
    println!(
        "{name:<44} median {:>9.3} ms   min {:>9.3} ms   ({} runs)",
        median.as_secs_f64() * 1e3,
        min.as_secs_f64() * 1e3,
        runs.len()
    );
}

fn main() {
    let files = files();
    let total: usize = files.iter().map(|(_, b)| b.len()).sum();
    println!(
        "TR-03105-5 reference dump: {} files, {total} bytes",
        files.len()
    );
    measure(
        "parse every file (no image decoding)",
        &files,
        false,
        Duration::from_secs(2),
    );
    measure(
        "parse every file + decode the JPEG 2000 face",
        &files,
        true,
        Duration::from_secs(3),
    );
}
