//! PACE handshake CPU time per mapping and parameter set, terminal and chip
//! (the in-process chip of `mrtd-protocol`), AES-128 (3DES for nothing
//! changes but the symmetric part, which is negligible next to the group
//! operations).
//!
//! `cargo bench -p mrtd-protocol --bench pace` prints the figures; it
//! asserts nothing.

use std::time::{Duration, Instant};

use mrtd_groups::DomainParameters;
use mrtd_iso7816::CommandApdu;
use mrtd_protocol::SmAlgorithm;
use mrtd_protocol::pace::chip::{
    ChipPace, ChipPaceSetup, ChipStep, OfferedPace, ParameterIdPolicy,
};
use mrtd_protocol::pace::protocol::is_usable;
use mrtd_protocol::pace::{KeyAgreement, Mapping, Pace, PaceConfig, PacePassword, PaceProtocol};
use rand::SeedableRng;
use rand::rngs::ChaCha20Rng;
use zeroize::Zeroizing;

fn handshake(
    protocol: PaceProtocol,
    domain: DomainParameters,
    id: u8,
    rng: &mut ChaCha20Rng,
) -> (Duration, Duration) {
    let password = PacePassword::Can(Zeroizing::new("123456".into()));
    let static_key = match domain {
        DomainParameters::Ec(c) if protocol.mapping == Mapping::ChipAuthentication => {
            Some(mrtd_groups::EcSecret::random(c, rng))
        }
        _ => None,
    };
    let mut chip = ChipPace::new(ChipPaceSetup {
        offered: vec![OfferedPace {
            protocol,
            domain,
            parameter_id: id,
        }],
        passwords: vec![password.clone()],
        chip_authentication_key: static_key,
        parameter_id_policy: ParameterIdPolicy::Optional,
    });
    let (mut terminal_time, mut chip_time) = (Duration::ZERO, Duration::ZERO);
    let mut on_chip = |chip: &mut ChipPace, cmd: &CommandApdu, rng: &mut ChaCha20Rng| {
        let t = Instant::now();
        let r = match chip.general_authenticate(cmd, rng) {
            ChipStep::Continue(r) | ChipStep::Established(r, _) => r,
        };
        chip_time += t.elapsed();
        r
    };
    let t = Instant::now();
    let (s, cmd) = Pace::start(PaceConfig {
        protocol,
        domain,
        parameter_id: Some(id),
        password,
    });
    terminal_time += t.elapsed();
    let r = chip.mse_set_at(&cmd);
    let t = Instant::now();
    let (s, cmd) = s.on_response(&r).expect("set at");
    terminal_time += t.elapsed();
    let r = on_chip(&mut chip, &cmd, rng);
    let t = Instant::now();
    let (s, cmd) = s.on_response(&r, rng).expect("nonce");
    terminal_time += t.elapsed();
    let r = on_chip(&mut chip, &cmd, rng);
    let t = Instant::now();
    let (s, cmd) = s.on_response(&r, rng).expect("mapping");
    terminal_time += t.elapsed();
    let r = on_chip(&mut chip, &cmd, rng);
    let t = Instant::now();
    let (s, cmd) = s.on_response(&r).expect("key agreement");
    terminal_time += t.elapsed();
    let r = on_chip(&mut chip, &cmd, rng);
    let t = Instant::now();
    let outcome = s.on_response(&r).expect("token");
    terminal_time += t.elapsed();
    drop(outcome);
    (terminal_time, chip_time)
}

fn main() {
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    println!(
        "PACE handshake CPU time (median of runs), terminal | chip, AES-128; in-process, release build\n"
    );
    println!(
        "{:<10} {:<18} {:>14} {:>14}",
        "mapping", "parameters", "terminal (ms)", "chip (ms)"
    );
    for mapping in [
        Mapping::Generic,
        Mapping::Integrated,
        Mapping::ChipAuthentication,
    ] {
        for id in [0u8, 1, 2, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18] {
            let domain = DomainParameters::from_standardized_id(id).expect("standardized id");
            let key_agreement = match domain {
                DomainParameters::Dh(_) => KeyAgreement::Dh,
                DomainParameters::Ec(_) => KeyAgreement::Ecdh,
            };
            let protocol = PaceProtocol {
                key_agreement,
                mapping,
                cipher: SmAlgorithm::Aes128,
            };
            if !PaceProtocol::all().contains(&protocol) || !is_usable(protocol, domain) {
                continue;
            }
            let runs = if matches!(domain, DomainParameters::Dh(_)) {
                9
            } else {
                21
            };
            let mut terminal = Vec::with_capacity(runs);
            let mut chip = Vec::with_capacity(runs);
            for _ in 0..runs {
                let (t, c) = handshake(protocol, domain, id, &mut rng);
                terminal.push(t);
                chip.push(c);
            }
            terminal.sort();
            chip.sort();
            let name = match domain {
                DomainParameters::Ec(c) => c.name().to_string(),
                DomainParameters::Dh(g) => format!("MODP {} bits", g.p_len() * 8),
            };
            let mapping_name = match mapping {
                Mapping::Generic => "GM",
                Mapping::Integrated => "IM",
                Mapping::ChipAuthentication => "CAM",
            };
            println!(
                "{:<10} {:<18} {:>14.2} {:>14.2}",
                format!(
                    "{}-{mapping_name}",
                    if key_agreement == KeyAgreement::Dh {
                        "DH"
                    } else {
                        "ECDH"
                    }
                ),
                format!("{name} ({id})"),
                terminal[runs / 2].as_secs_f64() * 1e3,
                chip[runs / 2].as_secs_f64() * 1e3
            );
        }
    }
}
