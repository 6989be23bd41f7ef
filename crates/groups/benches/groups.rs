//! Throughput of the group operations PACE, CA, AA and passive
//! authentication use, per curve and backend. Run with
//! `cargo bench -p mrtd-groups` (prints a table; no harness).
//!
//! "typed" is RustCrypto's curve crate, "runtime" this crate's run-time
//! curve over crypto-bigint; both are measured where both exist.

use std::hint::black_box;
use std::time::{Duration, Instant};

use mrtd_groups::__bench::{self, Which};
use mrtd_groups::ecdsa::{SignatureFormat, sign_prehash, verify_prehash};
use mrtd_groups::{CurveId, DhSecret, EcSecret, ModpGroup, backend_kind};
use rand::SeedableRng;
use rand::rngs::ChaCha20Rng;

const BUDGET: Duration = Duration::from_millis(400);

/// Operations per second of `f`, measured over about [`BUDGET`].
fn rate(mut f: impl FnMut()) -> f64 {
    f(); // warm-up (lazy statics, caches)
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed() < BUDGET {
        f();
        n += 1;
    }
    n as f64 / start.elapsed().as_secs_f64()
}

fn main() {
    // `cargo bench` passes `--bench`; under `cargo test --benches` (no
    // `--bench`) only check that the target builds and starts.
    if !std::env::args().any(|a| a == "--bench") {
        println!("groups benchmark: run with `cargo bench -p mrtd-groups`");
        return;
    }
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    println!(
        "{:<16} {:>8} {:>12} {:>12} {:>12}",
        "curve", "backend", "ECDH/s", "sign/s", "verify/s"
    );
    for curve in CurveId::ALL {
        let sk = EcSecret::random(curve, &mut rng);
        let d = sk.to_bytes();
        let peer = EcSecret::random(curve, &mut rng).public_key();
        let pk = sk.public_key();
        let digest = vec![0xabu8; curve.order_len()];
        let mut e = digest.clone();
        if curve == CurveId::P521 {
            e[0] &= 1;
        }
        // Public API (the backend it uses by default).
        let ecdh = rate(|| {
            black_box(sk.diffie_hellman(black_box(&peer)).unwrap());
        });
        let sig = sign_prehash(&sk, &digest, &mut rng, SignatureFormat::Der).unwrap();
        let sign = rate(|| {
            black_box(
                sign_prehash(&sk, black_box(&digest), &mut rng, SignatureFormat::Der).unwrap(),
            );
        });
        let verify = rate(|| {
            verify_prehash(black_box(&pk), &digest, &sig, SignatureFormat::Der).unwrap();
        });
        let kind = match backend_kind(curve) {
            mrtd_groups::BackendKind::RustCrypto => "typed",
            mrtd_groups::BackendKind::Runtime => "runtime",
        };
        println!(
            "{:<16} {:>8} {:>12.0} {:>12.0} {:>12.0}",
            curve.name(),
            kind,
            ecdh,
            sign,
            verify
        );

        // The run-time curve on the curves the typed crates serve.
        if kind == "typed" {
            let peer_xy = [peer.x(), peer.y()].concat();
            let pk_xy = [pk.x(), pk.y()].concat();
            let (r, s) = __bench::sign(curve, Which::Runtime, &d, &e).unwrap();
            let ecdh = rate(|| {
                black_box(__bench::ecdh(curve, Which::Runtime, &d, black_box(&peer_xy)).unwrap());
            });
            let sign = rate(|| {
                black_box(__bench::sign(curve, Which::Runtime, &d, black_box(&e)).unwrap());
            });
            let verify = rate(|| {
                assert!(
                    __bench::verify(curve, Which::Runtime, black_box(&pk_xy), &e, &r, &s).unwrap()
                );
            });
            println!(
                "{:<16} {:>8} {:>12.0} {:>12.0} {:>12.0}",
                "", "runtime", ecdh, sign, verify
            );
        }
    }
    println!();
    println!("{:<52} {:>12}", "DH group", "agree/s");
    for group in ModpGroup::ALL {
        let a = DhSecret::random(group, &mut rng);
        let peer = DhSecret::random(group, &mut rng).public_key();
        let agree = rate(|| {
            black_box(a.agree(black_box(&peer)).unwrap());
        });
        println!("{:<52} {:>12.0}", group.name(), agree);
    }
}
