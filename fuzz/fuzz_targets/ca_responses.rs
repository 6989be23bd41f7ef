//! Chip Authentication v1 (Doc 9303-11 §6.2) with hostile answers and
//! commands: the terminal states (`ChipAuthentication::start`,
//! `AwaitingCaResponse::on_response`) fed arbitrary chip answers, and the
//! chip side (`ChipCa::process`) fed arbitrary commands.
//!
//! Invariants: no panic; the terminal completes only after `9000`
//! answers, after exactly one answer (3DES) or two (AES); the chip opens a
//! session only for MSE:Set KAT or GENERAL AUTHENTICATE, and only with a
//! public key it can decode in its group.
//!
//! Input: configuration (u8: bit 0 AES, bits 1–2 group, bit 3 key id),
//! then the chip's answers (u16-length response APDUs, up to three), then
//! commands to the chip (u16-length command APDUs) until the end.

#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use mrtd_fuzz::input::Input;
use mrtd_groups::{CurveId, DomainParameters, ModpGroup};
use mrtd_iso7816::{CommandApdu, ResponseApdu};
use mrtd_protocol::SmAlgorithm;
use mrtd_protocol::ca::{
    CaConfig, CaPrivateKey, CaProgress, CaProtocol, ChipAuthentication, ChipCa, ChipCaStep,
};
use rand::SeedableRng;
use rand::rngs::ChaCha20Rng;

fn keys() -> &'static [CaPrivateKey] {
    static KEYS: OnceLock<Vec<CaPrivateKey>> = OnceLock::new();
    KEYS.get_or_init(|| {
        let mut rng = ChaCha20Rng::seed_from_u64(0xCA);
        [
            DomainParameters::Ec(CurveId::P256),
            DomainParameters::Ec(CurveId::BrainpoolP256r1),
            DomainParameters::Dh(ModpGroup::Rfc5114_1024_160),
            DomainParameters::Ec(CurveId::BrainpoolP224r1),
        ]
        .into_iter()
        .map(|d| CaPrivateKey::random(d, &mut rng))
        .collect()
    })
}

fuzz_target!(|data: &[u8]| {
    let mut input = Input::new(data);
    let config = input.u8();
    let key = &keys()[usize::from(config >> 1) & 3];
    let protocol = CaProtocol {
        key_agreement: key.key_agreement(),
        cipher: if config & 1 == 1 {
            SmAlgorithm::Aes128
        } else {
            SmAlgorithm::Tdes
        },
    };
    let key_id = (config & 8 != 0).then_some(u32::from(config >> 4));
    let mut rng = ChaCha20Rng::seed_from_u64(u64::from(config));

    // The terminal against arbitrary answers.
    let (mut state, _) = ChipAuthentication::start(
        CaConfig {
            protocol,
            chip_key: key.public_key(),
            key_id,
        },
        &mut rng,
    )
    .expect("a matching configuration starts");
    let mut answers = 0;
    for _ in 0..3 {
        let Ok(answer) = ResponseApdu::parse(input.bytes_u16()) else {
            break;
        };
        answers += 1;
        match state.on_response(&answer) {
            Ok(CaProgress::Continue(next, command)) => {
                assert!(answer.sw.is_success());
                assert!(!protocol.uses_set_kat(), "3DES needs one command");
                assert_eq!(command.ins, 0x86);
                state = next;
            }
            Ok(CaProgress::Established(outcome)) => {
                assert!(answer.sw.is_success());
                let expected = if protocol.uses_set_kat() { 1 } else { 2 };
                assert_eq!(answers, expected);
                assert_eq!(outcome.channel.algorithm(), protocol.cipher);
                break;
            }
            Err(e) => {
                let _ = e.to_string();
                break;
            }
        }
    }

    // The chip against arbitrary commands.
    let mut chip = ChipCa::new(protocol, key.clone(), key_id);
    while !input.is_empty() {
        let Ok(command) = CommandApdu::parse(input.bytes_u16()) else {
            continue;
        };
        let step = chip.process(&command);
        if let ChipCaStep::Established(answer, _) = &step {
            assert!(answer.sw.is_success());
            assert!(
                (command.ins == 0x22 && [command.p1, command.p2] == [0x41, 0xA6])
                    || command.ins == 0x86,
                "a session from {command:?}"
            );
        }
    }
});
