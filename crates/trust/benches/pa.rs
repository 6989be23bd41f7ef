//! Passive-authentication benchmark (prints figures; `harness = false`).
//!
//! - German master list import (goal < 50 ms);
//! - PA per passport with the German list (~600 CSCAs) in the store, per
//!   algorithm, against the cost of its two signature verifications (DS
//!   certificate, EF.SOD) in the same backend (goal: PA ≤ 1.2× those, i.e.
//!   everything else < 20 %);
//! - `openssl speed` for the same verifications, measured in the same run
//!   (skipped with a note when `openssl` is not installed).
//!
//! `cargo bench -p mrtd-trust --bench pa`

use std::collections::BTreeMap;
use std::hint::black_box;
use std::process::Command;
use std::time::{Duration, Instant};

use mrtd_groups::CurveId;
use mrtd_lds::DgNumber;
use mrtd_trust::cms::SignedObject;
use mrtd_trust::{
    CertificateInfo, PaInputs, Policy, RustCryptoVerifier, SignatureVerifier, Timestamp,
    TrustStore, Verdict, cms_signature_algorithm, passive_authentication,
};
use rand::SeedableRng;

#[path = "../tests/common/build.rs"]
#[allow(dead_code, unused_imports)]
mod build;

use build::{Algo, Pki};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/test-vectors/");

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(format!("{CORPUS}{rel}"))
        .unwrap_or_else(|e| panic!("{rel}: {e} (the shared test corpus must be present)"))
}

/// A backend that accepts every signature: PA with it measures everything
/// but the signature verifications (parsing, hashing, chain building,
/// store look-ups, the report) directly, instead of as a difference of two
/// noisy timings.
struct NoSignatures;

impl SignatureVerifier for NoSignatures {
    fn verify(
        &self,
        _: &spki::SubjectPublicKeyInfoOwned,
        _: &spki::AlgorithmIdentifierOwned,
        _: &[u8],
        _: &[u8],
    ) -> Result<(), mrtd_trust::VerifyError> {
        Ok(())
    }

    fn name(&self) -> &'static str {
        "none"
    }
}

/// Runs `f` repeatedly for about `budget`; returns the mean time per call.
fn time<F: FnMut()>(budget: Duration, mut f: F) -> Duration {
    f(); // warm up
    let start = Instant::now();
    let mut n = 0u32;
    while start.elapsed() < budget || n < 3 {
        f();
        n += 1;
    }
    start.elapsed() / n
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

/// `openssl speed` verify operations per second for the names given.
fn openssl_speed(names: &[&str]) -> Option<BTreeMap<String, f64>> {
    let out = Command::new("openssl")
        .args(["speed", "-seconds", "1"])
        .args(names)
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut m = BTreeMap::new();
    for line in text.lines() {
        let cols: Vec<&str> = line.split_whitespace().collect();
        let verify = cols.last().and_then(|v| v.parse::<f64>().ok());
        let Some(v) = verify else { continue };
        if line.starts_with("rsa ") && line.contains("bits") {
            // "rsa 2048 bits 0.000883s 0.000025s 1132.0 40661.0"
            m.insert(format!("rsa{}", cols.get(1).copied().unwrap_or("")), v);
        } else if line.contains("ecdsa (") {
            // " 256 bits ecdsa (nistp256)   0.0000s   0.0001s  32813.0  10897.0"
            let curve = line
                .split('(')
                .nth(1)
                .and_then(|s| s.split(')').next())
                .unwrap_or("");
            m.insert(curve.to_owned(), v);
        }
    }
    Some(m)
}

fn main() {
    let budget = Duration::from_millis(if std::env::var_os("MRTD_BENCH_QUICK").is_some() {
        200
    } else {
        1500
    });
    println!(
        "mrtd-trust passive-authentication benchmark (backend: {})",
        RustCryptoVerifier.name()
    );
    println!();

    // 1. German master list import.
    let de = read("pki/master-lists/DE_ML_2026-05-28-08-28-45.ml");
    let import = time(budget.max(Duration::from_secs(2)), || {
        let mut s = TrustStore::new();
        black_box(s.import(&de, "DE"));
    });
    let mut store = TrustStore::new();
    let r = store.import(&de, "DE ML 2026");
    println!(
        "German master list 2026 ({} KB, {} certificates): import {:.1} ms (goal < 50 ms) {}",
        de.len() / 1024,
        r.imported() - 2,
        micros(import) / 1000.0,
        if import < Duration::from_millis(50) {
            "OK"
        } else {
            "ABOVE GOAL"
        }
    );
    println!(
        "  (CMS signature + signer certificate verified; CSCA self-signatures are not, see TrustStore::audit)"
    );
    let audit = time(Duration::from_millis(1), || {
        black_box(store.audit(&RustCryptoVerifier));
    });
    println!(
        "  TrustStore::audit of every certificate signature: {:.0} ms",
        micros(audit) / 1000.0
    );
    println!();

    // 2. PA per algorithm.
    let dg1 = read("lds/dg1-icao-specimens/DG1_TD3_UTO_9303-4_App_B.bin");
    let dg2 = read("lds/bsi-tr03105-5-reference-dataset/Datagroup2.bin");
    let dgs: BTreeMap<DgNumber, Vec<u8>> = [
        (DgNumber::new(1).unwrap(), dg1.clone()),
        (DgNumber::new(2).unwrap(), dg2.clone()),
    ]
    .into();
    let algos = [
        (Algo::RsaPkcs1(2048), "rsa2048"),
        (Algo::RsaPss(2048), "rsa2048"),
        (Algo::Ecdsa(CurveId::P256, true), "nistp256"),
        (
            Algo::Ecdsa(CurveId::BrainpoolP256r1, true),
            "brainpoolP256r1",
        ),
        (
            Algo::Ecdsa(CurveId::BrainpoolP384r1, true),
            "brainpoolP384r1",
        ),
        (
            Algo::Ecdsa(CurveId::BrainpoolP512r1, true),
            "brainpoolP512r1",
        ),
    ];
    let openssl = openssl_speed(&[
        "rsa2048",
        "ecdsap256",
        "ecdsabrp256r1",
        "ecdsabrp384r1",
        "ecdsabrp512r1",
    ]);
    if openssl.is_none() {
        println!("note: `openssl speed` is not available; the OpenSSL column is skipped");
    }
    let mut rng = rand::rngs::ChaCha20Rng::from_seed([42; 32]);
    let at = Timestamp::parse("2030-01-01").unwrap();
    let policy = Policy::default();
    println!(
        "{:<34} {:>8} {:>10} {:>8} {:>12} {:>8} {:>13} {:>10}",
        "algorithm (explicit params)",
        "PA µs",
        "2 sigs µs",
        "PA/sigs",
        "non-sig µs",
        "other %",
        "openssl 2 µs",
        "rust/ossl"
    );
    for (algo, ossl_name) in algos {
        let pki = Pki::generate(algo, &mut rng);
        let sod = pki.sign_sod(&[(1, &dg1), (2, &dg2)], &mut rng);
        let mut s = store.clone();
        s.import(&pki.csca, "bench CSCA");
        let inputs = PaInputs {
            sod: &sod,
            data_groups: &dgs,
            issuing_state: None,
            store: &s,
            at,
            policy: &policy,
        };
        let report = passive_authentication(&inputs);
        assert_eq!(
            report.verdict,
            Verdict::Valid,
            "{}: {:?}",
            algo.name(),
            report.failed()
        );
        let pa = time(budget, || {
            black_box(passive_authentication(black_box(&inputs)));
        });

        // The two signature verifications alone, same backend.
        let csca = CertificateInfo::from_der(&pki.csca).unwrap();
        let ds = CertificateInfo::from_der(&pki.ds).unwrap();
        let obj = SignedObject::parse(&sod[4..]).unwrap();
        let si = &obj.signers[0];
        let message = si.signed_attributes_message().unwrap();
        let alg = cms_signature_algorithm(&si.digest_algorithm, &si.signature_algorithm).unwrap();
        let v = RustCryptoVerifier;
        let sigs = time(budget, || {
            v.verify(
                &csca.spki,
                &ds.signature_algorithm,
                ds.tbs_der(),
                &ds.signature,
            )
            .unwrap();
            v.verify(&ds.spki, &alg, black_box(&message), si.signature)
                .unwrap();
        });
        if std::env::var_os("MRTD_BENCH_BREAKDOWN").is_some() {
            let b = Duration::from_millis(300);
            let t_obj = time(b, || {
                black_box(SignedObject::parse(&sod[4..]).unwrap());
            });
            let t_sod = time(b, || {
                black_box(mrtd_lds::Sod::parse_unchecked(&sod).unwrap());
            });
            let t_cert = time(b, || {
                black_box(CertificateInfo::from_der(&pki.ds).unwrap());
            });
            let t_x509 = time(b, || {
                black_box(<x509_cert::Certificate as der::Decode>::from_der(&pki.ds).unwrap());
            });
            let t_hash = time(b, || {
                black_box(mrtd_trust::DigestAlgorithm::Sha256.digest(&dg2));
            });
            let t_v1 = time(b, || {
                v.verify(
                    &csca.spki,
                    &ds.signature_algorithm,
                    ds.tbs_der(),
                    &ds.signature,
                )
                .unwrap();
            });
            let t_v2 = time(b, || {
                v.verify(&ds.spki, &alg, black_box(&message), si.signature)
                    .unwrap();
            });
            let t_json = time(b, || {
                black_box(report.clone());
            });
            println!(
                "    breakdown µs: SignedObject {:.1}, Sod::parse_unchecked {:.1}, CertificateInfo(DS) {:.1} (x509-cert alone {:.1}), SHA-256 DG2 {:.1}, verify DS cert {:.1}, verify SOD {:.1}, report clone {:.1}",
                micros(t_obj),
                micros(t_sod),
                micros(t_cert),
                micros(t_x509),
                micros(t_hash),
                micros(t_v1),
                micros(t_v2),
                micros(t_json)
            );
        }
        let rest = time(budget, || {
            black_box(mrtd_trust::passive_authentication_with(
                black_box(&inputs),
                &NoSignatures,
            ));
        });
        let ratio = pa.as_secs_f64() / sigs.as_secs_f64();
        let other = rest.as_secs_f64() / (rest.as_secs_f64() + sigs.as_secs_f64()) * 100.0;
        let ossl = openssl
            .as_ref()
            .and_then(|m| m.get(ossl_name))
            .map(|per_s| 2.0 / per_s * 1e6);
        println!(
            "{:<34} {:>8.0} {:>10.0} {:>8.2} {:>12.0} {:>7.1}% {:>13} {:>10}",
            algo.name(),
            micros(pa),
            micros(sigs),
            ratio,
            micros(rest),
            other,
            ossl.map_or_else(|| "-".into(), |o| format!("{o:.0}")),
            ossl.map_or_else(|| "-".into(), |o| format!("{:.2}", micros(sigs) / o)),
        );
    }
    println!();
    println!(
        "PA µs: passive_authentication per passport (DG1 + 15 KB DG2, SHA-256/384/512) with the German list loaded."
    );
    println!(
        "2 sigs µs: the DS certificate and EF.SOD signature verifications alone (RustCryptoVerifier)."
    );
    println!(
        "non-sig µs: PA with a backend that accepts every signature (parsing, hashing, chain, store, report)."
    );
    println!(
        "other %: non-sig ÷ (non-sig + 2 sigs): the share of PA outside the two verifications (goal < 20 %)."
    );
    println!("The machine has 2 cores shared with other builds: expect ±20 % between runs.");
    println!(
        "openssl 2 µs: two verifications at `openssl speed -seconds 1` verify/s (RSA-PSS uses the rsa2048 figure: same public operation)."
    );
    println!("rust/ossl: time of our two verifications ÷ OpenSSL's (> 1: slower than OpenSSL).");
}
