//! Chip Authentication against the CA part of the BSI "Worked Example for
//! EAC" 1.01 and the TR-03105-5 reference data set
//! (`../shared/test-vectors/`), terminal-vs-chip round trips on every
//! group kind and cipher, the cloned chip, and hostile answers and
//! commands.
//!
//! The BSI example runs CA **v2** (after Terminal Authentication): the
//! key agreement K = KA(SK_PCD, PK_PICC) is the same as in CA v1, but v2
//! derives the session keys from K ‖ r_PICC (a chip nonce) and adds a
//! token T_PICC. The tests reproduce what v1 shares — the terminal's
//! ephemeral key, K, the KDF — and the v2 keys and token from K with the
//! same KDF and MAC, and check that CA v1 derives its keys from K alone.

use mrtd_groups::{CurveId, DhSecret, DomainParameters, EcSecret, ModpGroup};
use mrtd_iso7816::tlv::{self, Tag};
use mrtd_iso7816::{CommandApdu, ResponseApdu, StatusWord};
use rand::SeedableRng;
use rand::rngs::ChaCha20Rng;
use serde_json::Value;

use super::*;
use crate::crypto::{KdfCounter, SmAlgorithm, SymmetricKey, kdf};
use crate::pace::KeyAgreement;
use crate::sm::{ChipSession, SecureChannel, SmError, Ssc, derive_session_cipher};
use crate::test_rng::ScriptedRng;

fn shared(path: &str) -> Vec<u8> {
    let full = format!(
        "{}/../../../shared/test-vectors/{path}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&full).unwrap_or_else(|e| {
        panic!("shared test vector {full} is missing ({e}): the test data must be present")
    })
}

fn hx(v: &Value) -> Vec<u8> {
    hex::decode(
        v.as_str()
            .unwrap_or_else(|| panic!("hex expected, got {v}")),
    )
    .expect("hex")
}

/// The `SubjectPublicKeyInfo` that follows the id-PK-DH/ECDH OID of a
/// `ChipAuthenticationPublicKeyInfo` inside a SecurityInfos file.
fn chip_authentication_spki(file: &[u8], key_agreement: KeyAgreement) -> Vec<u8> {
    let oid = match key_agreement {
        KeyAgreement::Dh => ID_PK_DH,
        KeyAgreement::Ecdh => ID_PK_ECDH,
    };
    let pattern = tlv::tlv(Tag(0x06), oid.as_bytes());
    let at = file
        .windows(pattern.len())
        .position(|w| w == pattern)
        .expect("a ChipAuthenticationPublicKeyInfo")
        + pattern.len();
    let rest = &file[at..];
    let (obj, after) = tlv::parse_tlv(rest).expect("the SubjectPublicKeyInfo");
    assert_eq!(obj.tag, Tag(0x30));
    rest[..rest.len() - after.len()].to_vec()
}

fn ok() -> ResponseApdu {
    ResponseApdu::status(StatusWord::Success)
}

/// Runs the terminal against the chip until both have their new keys.
fn run(
    config: CaConfig,
    chip: &mut ChipCa,
    rng: &mut impl rand_core::CryptoRng,
) -> (CaOutcome, ChipSession, Vec<CommandApdu>) {
    let (mut state, mut command) = ChipAuthentication::start(config, rng).unwrap();
    let mut sent = Vec::new();
    loop {
        sent.push(command.clone());
        let (answer, session) = match chip.process(&command) {
            ChipCaStep::Continue(r) => (r, None),
            ChipCaStep::Established(r, s) => (r, Some(s)),
        };
        match state.on_response(&answer).unwrap() {
            CaProgress::Continue(s, c) => {
                assert!(session.is_none(), "the chip finished before the terminal");
                state = s;
                command = c;
            }
            CaProgress::Established(outcome) => {
                return (outcome, session.expect("the chip finished too"), sent);
            }
        }
    }
}

/// Sends `rounds` protected READ BINARY commands and answers both ways.
fn exchange(channel: SecureChannel, chip: &mut ChipSession, rounds: usize) -> SecureChannel {
    let mut channel = channel;
    for i in 0..rounds {
        let cmd = CommandApdu::new(0x00, 0xB0, 0x00, i as u8)
            .with_ne(4)
            .unwrap();
        let (waiting, protected) = channel.protect(&cmd).unwrap();
        let plain = chip.unprotect_command(&protected).expect("chip accepts");
        assert_eq!(plain.header(), cmd.header());
        let answer = ResponseApdu::new(vec![i as u8; 4], StatusWord::Success);
        let protected = chip.protect_response(cmd.ins, &answer).unwrap();
        let (next, plain) = waiting.unprotect(&protected).expect("terminal accepts");
        assert_eq!(plain, answer);
        channel = next;
    }
    channel
}

/// The CA part of the BSI EAC worked example, ECDH (brainpoolP256r1) and
/// DH (RFC 5114 1024-bit).
#[test]
fn bsi_eac_worked_example_chip_authentication() {
    for (file, dir, key_agreement) in [
        ("eac_worked_example_ecdh.json", "ecdh", KeyAgreement::Ecdh),
        ("eac_worked_example_dh.json", "dh", KeyAgreement::Dh),
    ] {
        let root = "tr03110/bsi-eac-worked-example-1.01";
        let v: Value = serde_json::from_slice(&shared(&format!("{root}/{file}"))).unwrap();
        let ca = &v["chip_authentication"];
        let oid = const_oid::ObjectIdentifier::new(ca["oid"].as_str().unwrap()).unwrap();
        let protocol = CaProtocol::from_oid(&oid).unwrap();
        assert_eq!(protocol.key_agreement, key_agreement);
        assert_eq!(protocol.cipher, SmAlgorithm::Aes128);

        // PK_PICC from the example's EF.CardSecurity.
        let card_security = shared(&format!("{root}/{dir}/EF_CardSecurity.bin"));
        let chip_key =
            CaPublicKey::from_spki_der(&chip_authentication_spki(&card_security, key_agreement))
                .unwrap();
        assert_eq!(
            chip_key.encode(),
            hx(&ca["chip_public_key"]),
            "{file}: PK_PICC"
        );
        let domain = chip_key.domain();
        let chip_private = match domain {
            DomainParameters::Ec(c) => {
                CaPrivateKey::Ec(EcSecret::from_bytes(c, &hx(&ca["chip_private_key"])).unwrap())
            }
            DomainParameters::Dh(g) => {
                CaPrivateKey::Dh(DhSecret::from_bytes(g, &hx(&ca["chip_private_key"])).unwrap())
            }
        };
        assert_eq!(chip_private.public_key(), chip_key, "{file}: SK_PICC");

        // The terminal's ephemeral key, as a random draw would produce it.
        let terminal_private = match domain {
            DomainParameters::Ec(c) => {
                let sk = hx(&ca["terminal_private_key"]);
                EcSecret::from_bytes(c, &sk).unwrap().to_bytes().to_vec()
            }
            DomainParameters::Dh(g) => DhSecret::from_bytes(g, &hx(&ca["terminal_private_key"]))
                .unwrap()
                .to_bytes()
                .to_vec(),
        };
        let mut rng = ScriptedRng::new(&terminal_private);
        let config = CaConfig {
            protocol,
            chip_key: chip_key.clone(),
            key_id: None,
        };
        let (state, set_at) = ChipAuthentication::start(config, &mut rng).unwrap();
        assert!(rng.exhausted());
        assert_eq!(
            set_at.to_bytes(),
            [&hex::decode("002241A40C800A").unwrap()[..], oid.as_bytes()].concat()
        );
        let CaProgress::Continue(state, ga) = state.on_response(&ok()).unwrap() else {
            panic!("GENERAL AUTHENTICATE expected")
        };
        let outer = tlv::parse_single(ga.data(), Tag(0x7C)).unwrap();
        let inner = tlv::parse_single(outer.value, Tag(0x80)).unwrap();
        assert_eq!(
            inner.value,
            &hx(&ca["terminal_public_key"])[..],
            "{file}: PK_PCD"
        );

        // K = KA(SK_PCD, PK_PICC) = KA(SK_PICC, PK_PCD).
        let k = hx(&ca["shared_secret_k"]);
        let terminal_key = CaPublicKey::decode(domain, inner.value).unwrap();
        assert_eq!(
            &chip_private.agree(&terminal_key).unwrap()[..],
            &k[..],
            "{file}: K"
        );

        // CA v2 keys: KDF(K ‖ r_PICC, c) — the KDF CA v1 uses too.
        let mut seed = k.clone();
        seed.extend(hx(&ca["r_picc"]));
        let ks_enc = kdf(&seed, KdfCounter::Enc, SmAlgorithm::Aes128);
        let ks_mac = kdf(&seed, KdfCounter::Mac, SmAlgorithm::Aes128);
        assert_eq!(&ks_enc[..], &hx(&ca["ks_enc"])[..], "{file}: KS_enc (v2)");
        assert_eq!(&ks_mac[..], &hx(&ca["ks_mac"])[..], "{file}: KS_mac (v2)");
        // And v2's token T_PICC = MAC(KS_mac, 7F49{OID, PK_PCD}).
        let element = match &terminal_key {
            CaPublicKey::Ec(p) => crate::pace::group::Element::Ec(p.clone()),
            CaPublicKey::Dh(e) => crate::pace::group::Element::Dh(e.clone()),
        };
        let mac_key = SymmetricKey::new(SmAlgorithm::Aes128, &ks_mac).unwrap();
        assert_eq!(
            mac_key
                .mac_unpadded(&element.public_key_data_object(&oid))
                .to_vec(),
            hx(&ca["t_picc"]),
            "{file}: T_PICC (v2)"
        );

        // CA v1: the chip answers the GENERAL AUTHENTICATE with an empty
        // 7C; the keys are KDF(K, c), without r_PICC.
        let mut chip = ChipCa::new(protocol, chip_private, None);
        assert_eq!(chip.process(&set_at).response(), &ok());
        let ChipCaStep::Established(answer, mut chip_session) = chip.process(&ga) else {
            panic!("the chip completes")
        };
        assert_eq!(answer.to_bytes(), hex::decode("7C009000").unwrap());
        let CaProgress::Established(outcome) = state.on_response(&answer).unwrap() else {
            panic!("the terminal completes")
        };
        assert_eq!(
            outcome.terminal_ephemeral_key,
            hx(&ca["terminal_public_key"])
        );
        assert_eq!(outcome.protocol, protocol);
        assert_eq!(outcome.channel.algorithm(), SmAlgorithm::Aes128);
        let v1 = kdf(&k, KdfCounter::Enc, SmAlgorithm::Aes128);
        assert_ne!(&v1[..], &ks_enc[..], "v1 and v2 keys differ");
        // The terminal's channel talks to a session derived from K alone.
        let mut from_k = ChipSession::new(
            derive_session_cipher(SmAlgorithm::Aes128, &k),
            Ssc::zero(16).unwrap(),
        );
        let cmd = CommandApdu::new(0x00, 0xB0, 0, 0).with_ne(4).unwrap();
        let (_, protected) = outcome.channel.protect(&cmd).unwrap();
        assert!(
            from_k.unprotect_command(&protected).is_ok(),
            "{file}: v1 keys"
        );
        assert!(chip_session.unprotect_command(&protected).is_ok());
    }
}

/// The TR-03105-5 reference data set: the published CA key (PKCS#8, EC
/// brainpoolP224r1 with explicit parameters) belongs to DG14's key, and
/// runs Chip Authentication with DG14's protocol (ECDH, 3DES).
#[test]
fn tr03105_5_published_key_matches_dg14() {
    let root = "lds/bsi-tr03105-5-reference-dataset";
    let private = CaPrivateKey::from_pkcs8_der(&shared(&format!("{root}/DG14_sk.pkcs8"))).unwrap();
    let dg14 = shared(&format!("{root}/Datagroup14.bin"));
    let spki = chip_authentication_spki(&dg14, KeyAgreement::Ecdh);
    assert_eq!(spki, shared(&format!("{root}/DG14_pk.bin")));
    let public = CaPublicKey::from_spki_der(&spki).unwrap();
    assert_eq!(
        public.domain(),
        DomainParameters::Ec(CurveId::BrainpoolP224r1)
    );
    assert_eq!(private.public_key(), public);
    // DG14's ChipAuthenticationInfo: id-CA-ECDH-3DES-CBC-CBC, version 1.
    let protocol_oid = const_oid::ObjectIdentifier::new_unwrap("0.4.0.127.0.7.2.2.3.2.1");
    assert!(
        dg14.windows(12)
            .any(|w| w == tlv::tlv(Tag(0x06), protocol_oid.as_bytes()))
    );
    let protocol = CaProtocol::from_oid(&protocol_oid).unwrap();
    let mut chip = ChipCa::new(protocol, private, None);
    let mut rng = ChaCha20Rng::seed_from_u64(14);
    let (outcome, mut session, sent) = run(
        CaConfig {
            protocol,
            chip_key: public,
            key_id: None,
        },
        &mut chip,
        &mut rng,
    );
    assert_eq!(sent.len(), 1, "3DES: MSE:Set KAT only");
    assert_eq!(sent[0].header(), [0x00, 0x22, 0x41, 0xA6]);
    exchange(outcome.channel, &mut session, 3);
}

/// Terminal vs chip: ECDH on P-256 and brainpoolP256r1, DH on the three
/// RFC 5114 groups, with 3DES and AES-128/192/256, with and without key
/// ids; the new channel works both ways.
#[test]
fn terminal_and_chip_agree_on_every_group_and_cipher() {
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    let domains = [
        DomainParameters::Ec(CurveId::P256),
        DomainParameters::Ec(CurveId::BrainpoolP256r1),
        DomainParameters::Dh(ModpGroup::Rfc5114_1024_160),
        DomainParameters::Dh(ModpGroup::Rfc5114_2048_224),
        DomainParameters::Dh(ModpGroup::Rfc5114_2048_256),
    ];
    for domain in domains {
        let key = CaPrivateKey::random(domain, &mut rng);
        let public = CaPublicKey::from_spki_der(&key.public_key().to_spki_der()).unwrap();
        for cipher in [
            SmAlgorithm::Tdes,
            SmAlgorithm::Aes128,
            SmAlgorithm::Aes192,
            SmAlgorithm::Aes256,
        ] {
            let protocol = CaProtocol {
                key_agreement: public.key_agreement(),
                cipher,
            };
            for key_id in [None, Some(1), Some(0x0102_0304)] {
                let mut chip = ChipCa::new(protocol, key.clone(), key_id);
                let (outcome, mut session, sent) = run(
                    CaConfig {
                        protocol,
                        chip_key: public.clone(),
                        key_id,
                    },
                    &mut chip,
                    &mut rng,
                );
                let expected_headers: &[[u8; 4]] = if cipher == SmAlgorithm::Tdes {
                    &[[0x00, 0x22, 0x41, 0xA6]]
                } else {
                    &[[0x00, 0x22, 0x41, 0xA4], [0x00, 0x86, 0x00, 0x00]]
                };
                assert_eq!(
                    sent.iter().map(CommandApdu::header).collect::<Vec<_>>(),
                    expected_headers
                );
                let has_84 = tlv::TlvIter::new(sent[0].data())
                    .any(|o| o.is_ok_and(|(_, o)| o.tag == Tag(0x84)));
                assert_eq!(has_84, key_id.is_some());
                assert_eq!(outcome.key_id, key_id);
                assert_eq!(outcome.channel.algorithm(), cipher);
                assert_eq!(
                    outcome.terminal_ephemeral_key.len(),
                    match domain {
                        DomainParameters::Ec(c) => 1 + 2 * c.field_len(),
                        DomainParameters::Dh(g) => g.p_len(),
                    }
                );
                exchange(outcome.channel, &mut session, 3);
            }
        }
    }
}

/// A cloned chip: DG14 (and so the terminal) has the genuine key, the chip
/// another one. Both sides "complete" Chip Authentication — v1 has no key
/// confirmation — and the first protected command fails, in both
/// directions.
#[test]
fn a_clone_fails_at_the_first_protected_command() {
    let mut rng = ChaCha20Rng::seed_from_u64(9);
    for (domain, cipher) in [
        (
            DomainParameters::Ec(CurveId::BrainpoolP256r1),
            SmAlgorithm::Aes128,
        ),
        (DomainParameters::Ec(CurveId::P256), SmAlgorithm::Tdes),
        (
            DomainParameters::Dh(ModpGroup::Rfc5114_2048_256),
            SmAlgorithm::Aes256,
        ),
    ] {
        let genuine = CaPrivateKey::random(domain, &mut rng);
        let clone_key = CaPrivateKey::random(domain, &mut rng);
        let protocol = CaProtocol {
            key_agreement: genuine.key_agreement(),
            cipher,
        };
        let mut clone = ChipCa::new(protocol, clone_key, None);
        let (outcome, mut clone_session, _) = run(
            CaConfig {
                protocol,
                chip_key: genuine.public_key(),
                key_id: None,
            },
            &mut clone,
            &mut rng,
        );
        let cmd = CommandApdu::new(0x00, 0xB0, 0x00, 0x00)
            .with_ne(16)
            .unwrap();
        let (waiting, protected) = outcome.channel.protect(&cmd).unwrap();
        assert_eq!(
            clone_session.unprotect_command(&protected).unwrap_err(),
            SmError::MacMismatch,
            "the clone cannot read the terminal's command"
        );
        // Nor can the terminal accept anything the clone protects.
        let forged = clone_session
            .protect_response(0xB0, &ResponseApdu::new(vec![0; 16], StatusWord::Success))
            .unwrap();
        assert!(waiting.unprotect(&forged).is_err());
    }
}

#[test]
fn refusals_and_mismatches_are_typed() {
    let mut rng = ChaCha20Rng::seed_from_u64(10);
    let key = CaPrivateKey::random(DomainParameters::Ec(CurveId::P256), &mut rng);
    let aes = CaProtocol {
        key_agreement: KeyAgreement::Ecdh,
        cipher: SmAlgorithm::Aes128,
    };
    let tdes = CaProtocol::implied_by_public_key(KeyAgreement::Ecdh);
    // A DH protocol with an EC key.
    let dh = CaProtocol {
        key_agreement: KeyAgreement::Dh,
        cipher: SmAlgorithm::Aes128,
    };
    assert!(matches!(
        ChipAuthentication::start(
            CaConfig {
                protocol: dh,
                chip_key: key.public_key(),
                key_id: None
            },
            &mut rng
        ),
        Err(CaError::KeyAgreementMismatch {
            key: KeyAgreement::Ecdh,
            ..
        })
    ));
    // The chip has key 2; the terminal asks for key 3.
    let mut chip = ChipCa::new(aes, key.clone(), Some(2));
    let (state, cmd) = ChipAuthentication::start(
        CaConfig {
            protocol: aes,
            chip_key: key.public_key(),
            key_id: Some(3),
        },
        &mut rng,
    )
    .unwrap();
    let answer = chip.process(&cmd);
    assert_eq!(answer.response().sw, StatusWord::ReferencedDataNotFound);
    assert_eq!(
        state.on_response(answer.response()).unwrap_err(),
        CaError::Refused {
            step: Step::SetAuthenticationTemplate,
            sw: StatusWord::ReferencedDataNotFound
        }
    );
    // 3DES's MSE:Set KAT to an AES chip; GENERAL AUTHENTICATE without
    // MSE:Set AT; PACE's MSE:Set AT; another instruction; chaining.
    let mut chip = ChipCa::new(aes, key.clone(), None);
    let (_, kat) = ChipAuthentication::start(
        CaConfig {
            protocol: tdes,
            chip_key: key.public_key(),
            key_id: None,
        },
        &mut rng,
    )
    .unwrap();
    assert_eq!(
        chip.process(&kat).response().sw,
        StatusWord::FunctionNotSupported
    );
    let ga = messages::general_authenticate(&key.public_key().encode());
    assert_eq!(
        chip.process(&ga).response().sw,
        StatusWord::ConditionsOfUseNotSatisfied
    );
    let pace_set_at = CommandApdu::new(0x00, 0x22, 0xC1, 0xA4);
    assert_eq!(
        chip.process(&pace_set_at).response().sw,
        StatusWord::IncorrectP1P2
    );
    let read = CommandApdu::new(0x00, 0xB0, 0, 0);
    assert_eq!(
        chip.process(&read).response().sw,
        StatusWord::InsNotSupported
    );
    let mut chained = messages::mse_set_at(aes, None);
    chained.cla = 0x10;
    assert_eq!(
        chip.process(&chained).response().sw,
        StatusWord::ChainingNotSupported
    );
    // Another CA OID than the chip's.
    let other = messages::mse_set_at(
        CaProtocol {
            cipher: SmAlgorithm::Aes256,
            ..aes
        },
        None,
    );
    assert_eq!(
        chip.process(&other).response().sw,
        StatusWord::IncorrectData
    );
    // A compressed, an invalid and a foreign-curve key.
    let compressed = match key.public_key() {
        CaPublicKey::Ec(p) => p.to_sec1_compressed(),
        CaPublicKey::Dh(_) => unreachable!(),
    };
    let mut off_curve = key.public_key().encode();
    off_curve[64] ^= 1;
    let foreign = CaPrivateKey::random(DomainParameters::Ec(CurveId::P384), &mut rng)
        .public_key()
        .encode();
    for bad in [compressed, off_curve, foreign, vec![], vec![0x04]] {
        assert!(
            chip.process(&messages::mse_set_at(aes, None))
                .response()
                .sw
                .is_success()
        );
        assert_eq!(
            chip.process(&messages::general_authenticate(&bad))
                .response()
                .sw,
            StatusWord::IncorrectData
        );
    }
    // A chip whose key does not fit its protocol refuses.
    let mut wrong = ChipCa::new(dh, key.clone(), None);
    assert_eq!(
        wrong.process(&messages::mse_set_at(dh, None)).response().sw,
        StatusWord::ConditionsOfUseNotSatisfied
    );

    // The terminal refuses a CA v2 answer (nonce and token) and garbage.
    for data in ["7C0A810842871234567890AB", "7C", "7D00", "7C0280"] {
        let (state, _) = ChipAuthentication::start(
            CaConfig {
                protocol: aes,
                chip_key: key.public_key(),
                key_id: None,
            },
            &mut rng,
        )
        .unwrap();
        let CaProgress::Continue(state, _) = state.on_response(&ok()).unwrap() else {
            panic!()
        };
        let answer = ResponseApdu::new(hex::decode(data).unwrap(), StatusWord::Success);
        assert!(
            matches!(
                state.on_response(&answer),
                Err(CaError::Malformed {
                    step: Step::GeneralAuthenticate,
                    ..
                })
            ),
            "{data}"
        );
    }
}

mod hostile {
    use proptest::prelude::*;

    use super::*;

    fn answer() -> impl Strategy<Value = ResponseApdu> {
        prop_oneof![
            (prop::collection::vec(any::<u8>(), 0..120), any::<u16>())
                .prop_map(|(d, sw)| ResponseApdu::new(d, StatusWord::from(sw))),
            (
                prop::collection::vec(
                    (0x80u8..0x90, prop::collection::vec(any::<u8>(), 0..40)),
                    0..3
                ),
                prop_oneof![Just(0x9000u16), any::<u16>()],
            )
                .prop_map(|(objs, sw)| {
                    let mut inner = Vec::new();
                    for (tag, value) in objs {
                        inner.extend(tlv::tlv(Tag(u32::from(tag)), &value));
                    }
                    ResponseApdu::new(tlv::tlv(Tag(0x7C), &inner), StatusWord::from(sw))
                }),
        ]
    }

    fn command() -> impl Strategy<Value = CommandApdu> {
        let data = prop_oneof![
            prop::collection::vec(any::<u8>(), 0..200),
            // Well-formed objects with arbitrary values.
            prop::collection::vec(
                (
                    prop::sample::select(vec![0x80u8, 0x84, 0x91, 0x7C, 0x83]),
                    prop::collection::vec(any::<u8>(), 0..80)
                ),
                0..4
            )
            .prop_map(|objs| {
                let mut out = Vec::new();
                for (tag, value) in objs {
                    out.extend(tlv::tlv(Tag(u32::from(tag)), &value));
                }
                out
            }),
        ];
        (
            prop::sample::select(vec![0x00u8, 0x10, 0x0C]),
            prop::sample::select(vec![0x22u8, 0x86, 0x88, 0xB0]),
            prop::sample::select(vec![
                [0x41u8, 0xA6],
                [0x41, 0xA4],
                [0xC1, 0xA4],
                [0x00, 0x00],
            ]),
            data,
        )
            .prop_map(|(cla, ins, p, data)| {
                CommandApdu::new(cla, ins, p[0], p[1])
                    .with_data(data)
                    .unwrap()
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

        /// Arbitrary chip answers at each step: never a panic; an outcome
        /// only after `9000` answers.
        #[test]
        fn arbitrary_ca_answers_never_panic(
            tdes in any::<bool>(),
            answers in prop::collection::vec(answer(), 2),
            seed in any::<u64>(),
        ) {
            let mut rng = ChaCha20Rng::seed_from_u64(seed);
            let key = CaPrivateKey::random(DomainParameters::Ec(CurveId::BrainpoolP256r1), &mut rng);
            let protocol = CaProtocol {
                key_agreement: KeyAgreement::Ecdh,
                cipher: if tdes { SmAlgorithm::Tdes } else { SmAlgorithm::Aes128 },
            };
            let (mut state, _) = ChipAuthentication::start(
                CaConfig { protocol, chip_key: key.public_key(), key_id: None },
                &mut rng,
            ).unwrap();
            for answer in &answers {
                match state.on_response(answer) {
                    Err(_) => break,
                    Ok(CaProgress::Continue(next, _)) => {
                        prop_assert!(answer.sw.is_success());
                        state = next;
                    }
                    Ok(CaProgress::Established(_)) => {
                        prop_assert!(answer.sw.is_success());
                        break;
                    }
                }
            }
        }

        /// Arbitrary command sequences to the chip: never a panic, and a
        /// session only from a CA command with a valid key.
        #[test]
        fn arbitrary_commands_to_the_chip_never_panic(
            commands in prop::collection::vec(command(), 1..6),
            dh in any::<bool>(),
            seed in any::<u64>(),
        ) {
            let mut rng = ChaCha20Rng::seed_from_u64(seed);
            let domain = if dh {
                DomainParameters::Dh(ModpGroup::Rfc5114_1024_160)
            } else {
                DomainParameters::Ec(CurveId::P256)
            };
            let key = CaPrivateKey::random(domain, &mut rng);
            for cipher in [SmAlgorithm::Tdes, SmAlgorithm::Aes128] {
                let protocol = CaProtocol { key_agreement: key.key_agreement(), cipher };
                let mut chip = ChipCa::new(protocol, key.clone(), Some(7));
                for cmd in &commands {
                    if let ChipCaStep::Established(..) = chip.process(cmd) {
                        prop_assert!(false, "random data established a session: {cmd:?}");
                    }
                }
            }
        }
    }
}
