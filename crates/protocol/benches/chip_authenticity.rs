//! CPU time of the chip-authenticity protocols, in-process (terminal and
//! the crate's own chip side):
//!
//! - Active Authentication: verify and sign, RSA-2048 with the SHA-1 (`BC`)
//!   and SHA-256 (`34CC`) trailers, ECDSA P-256;
//! - Chip Authentication v1, terminal and chip, AES-128: ECDH P-256,
//!   brainpoolP256r1, DH 2048 (both RFC 5114 2048-bit groups);
//! - PACE-CAM: `CamProof::verify` on brainpoolP256r1 and P-256.
//!
//! `cargo bench -p mrtd-protocol --bench chip_authenticity` prints the
//! figures (medians); it asserts nothing beyond each operation succeeding.

use std::hint::black_box;
use std::time::{Duration, Instant};

use mrtd_groups::{CurveId, DomainParameters, EcSecret, ModpGroup};
use mrtd_protocol::SmAlgorithm;
use mrtd_protocol::aa::{self, AaDigest, AaPrivateKey, AaScheme};
use mrtd_protocol::ca::{
    CaConfig, CaPrivateKey, CaProgress, CaProtocol, ChipAuthentication, ChipCa, ChipCaStep,
};
use mrtd_protocol::pace::chip::{
    ChipPace, ChipPaceSetup, ChipStep, OfferedPace, ParameterIdPolicy,
};
use mrtd_protocol::pace::{CamProof, Pace, PaceConfig, PacePassword, PaceProtocol};
use rand::SeedableRng;
use rand::rngs::ChaCha20Rng;
use zeroize::Zeroizing;

fn median(mut samples: Vec<Duration>) -> f64 {
    samples.sort();
    samples[samples.len() / 2].as_secs_f64() * 1e3
}

/// Median time of `f` over `runs` runs, in milliseconds.
fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> f64 {
    // One warm-up run (tables, lazy statics).
    black_box(f());
    median(
        (0..runs)
            .map(|_| {
                let t = Instant::now();
                black_box(f());
                t.elapsed()
            })
            .collect(),
    )
}

fn active_authentication(rng: &mut ChaCha20Rng) {
    println!("Active Authentication (ms per operation)\n");
    println!("{:<36} {:>10} {:>10}", "key / scheme", "verify", "sign");
    let rsa = AaPrivateKey::generate_rsa(2048, rng).expect("RSA-2048");
    let p256 = AaPrivateKey::generate_ec(CurveId::P256, rng);
    let cases = [
        (
            "RSA-2048, 9796-2, SHA-1 (BC)",
            &rsa,
            AaScheme::Iso9796_2 {
                digest: AaDigest::Sha1,
                explicit_trailer: false,
            },
        ),
        (
            "RSA-2048, 9796-2, SHA-256 (34CC)",
            &rsa,
            AaScheme::Iso9796_2 {
                digest: AaDigest::Sha256,
                explicit_trailer: true,
            },
        ),
        (
            "ECDSA P-256, SHA-256",
            &p256,
            AaScheme::EcdsaPlain {
                digest: AaDigest::Sha256,
            },
        ),
    ];
    let challenge = [0x4F, 0x1A, 0x9C, 0x03, 0x77, 0xE2, 0x5B, 0xD0];
    for (name, key, scheme) in cases {
        let public = key.public_key();
        let ecdsa = matches!(scheme, AaScheme::EcdsaPlain { .. }).then_some(scheme.digest());
        let signature = aa::sign_with_scheme(key, &challenge, scheme, rng).expect("sign");
        let verify = time(201, || {
            aa::verify(&public, &challenge, &signature, ecdsa).expect("verify")
        });
        let sign = time(51, || {
            aa::sign_with_scheme(key, &challenge, scheme, rng).expect("sign")
        });
        println!("{name:<36} {verify:>10.3} {sign:>10.3}");
    }
    println!();
}

/// One Chip Authentication, terminal and chip times separately.
fn chip_authentication_once(
    protocol: CaProtocol,
    key: &CaPrivateKey,
    rng: &mut ChaCha20Rng,
) -> (Duration, Duration) {
    let mut chip = ChipCa::new(protocol, key.clone(), None);
    let (mut terminal_time, mut chip_time) = (Duration::ZERO, Duration::ZERO);
    let t = Instant::now();
    let (mut state, mut command) = ChipAuthentication::start(
        CaConfig {
            protocol,
            chip_key: key.public_key(),
            key_id: None,
        },
        rng,
    )
    .expect("start");
    terminal_time += t.elapsed();
    loop {
        let t = Instant::now();
        let step = chip.process(&command);
        chip_time += t.elapsed();
        let t = Instant::now();
        let progress = state.on_response(step.response()).expect("answer");
        terminal_time += t.elapsed();
        match (progress, step) {
            (CaProgress::Continue(s, c), ChipCaStep::Continue(_)) => {
                state = s;
                command = c;
            }
            (CaProgress::Established(outcome), ChipCaStep::Established(_, session)) => {
                black_box((outcome, session));
                return (terminal_time, chip_time);
            }
            _ => panic!("terminal and chip disagree"),
        }
    }
}

fn chip_authentication(rng: &mut ChaCha20Rng) {
    println!("Chip Authentication v1, AES-128 (ms per run, median)\n");
    println!("{:<36} {:>10} {:>10}", "group", "terminal", "chip");
    let groups = [
        ("ECDH P-256", DomainParameters::Ec(CurveId::P256), 101),
        (
            "ECDH brainpoolP256r1",
            DomainParameters::Ec(CurveId::BrainpoolP256r1),
            101,
        ),
        (
            "DH RFC 5114 2048/224",
            DomainParameters::Dh(ModpGroup::Rfc5114_2048_224),
            21,
        ),
        (
            "DH RFC 5114 2048/256",
            DomainParameters::Dh(ModpGroup::Rfc5114_2048_256),
            21,
        ),
    ];
    for (name, domain, runs) in groups {
        let key = CaPrivateKey::random(domain, rng);
        let protocol = CaProtocol {
            key_agreement: key.key_agreement(),
            cipher: SmAlgorithm::Aes128,
        };
        chip_authentication_once(protocol, &key, rng);
        let (mut terminal, mut chip) = (Vec::new(), Vec::new());
        for _ in 0..runs {
            let (t, c) = chip_authentication_once(protocol, &key, rng);
            terminal.push(t);
            chip.push(c);
        }
        println!(
            "{name:<36} {:>10.3} {:>10.3}",
            median(terminal),
            median(chip)
        );
    }
    println!();
}

/// A PACE-CAM proof from a full terminal-vs-chip run.
fn cam_proof(curve: CurveId, id: u8, rng: &mut ChaCha20Rng) -> (CamProof, mrtd_groups::EcPoint) {
    let protocol: PaceProtocol = "ECDH-CAM-AES-128".parse().expect("protocol");
    let domain = DomainParameters::Ec(curve);
    let password = PacePassword::Can(Zeroizing::new("123456".into()));
    let static_key = EcSecret::random(curve, rng);
    let static_public = static_key.public_key();
    let mut chip = ChipPace::new(ChipPaceSetup {
        offered: vec![OfferedPace {
            protocol,
            domain,
            parameter_id: id,
        }],
        passwords: vec![password.clone()],
        chip_authentication_key: Some(static_key),
        parameter_id_policy: ParameterIdPolicy::Optional,
    });
    let answer = |chip: &mut ChipPace, cmd, rng: &mut ChaCha20Rng| match chip
        .general_authenticate(cmd, rng)
    {
        ChipStep::Continue(r) | ChipStep::Established(r, _) => r,
    };
    let (s, cmd) = Pace::start(PaceConfig {
        protocol,
        domain,
        parameter_id: Some(id),
        password,
    });
    let r = chip.mse_set_at(&cmd);
    let (s, cmd) = s.on_response(&r).expect("set at");
    let r = answer(&mut chip, &cmd, rng);
    let (s, cmd) = s.on_response(&r, rng).expect("nonce");
    let r = answer(&mut chip, &cmd, rng);
    let (s, cmd) = s.on_response(&r, rng).expect("mapping");
    let r = answer(&mut chip, &cmd, rng);
    let (s, cmd) = s.on_response(&r).expect("key agreement");
    let r = answer(&mut chip, &cmd, rng);
    let outcome = s.on_response(&r).expect("token");
    (outcome.cam.expect("CAM proof"), static_public)
}

fn pace_cam(rng: &mut ChaCha20Rng) {
    println!("PACE-CAM verification (ms per CamProof::verify, median)\n");
    for (name, curve, id) in [
        ("brainpoolP256r1", CurveId::BrainpoolP256r1, 13),
        ("P-256", CurveId::P256, 12),
    ] {
        let (proof, static_key) = cam_proof(curve, id, rng);
        assert!(proof.verify(&static_key), "the proof verifies");
        let ms = time(301, || proof.verify(&static_key));
        println!("{name:<36} {ms:>10.3}");
    }
    println!();
}

fn main() {
    let mut rng = ChaCha20Rng::seed_from_u64(0xCA);
    println!("Chip authenticity CPU time; in-process, release build, one core\n");
    active_authentication(&mut rng);
    chip_authentication(&mut rng);
    pace_cam(&mut rng);
}
