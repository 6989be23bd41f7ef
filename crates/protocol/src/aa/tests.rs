//! Active Authentication against the Doc 9303 worked example, the Bouncy
//! Castle ISO/IEC 9796-2 vector and the TR-03105-5 reference data set
//! (`../shared/test-vectors/`), round trips on every key size, trailer and
//! curve, and hostile signatures.

use std::sync::OnceLock;

use mrtd_groups::CurveId;
use mrtd_iso7816::tlv::{self, Tag};
use rand::SeedableRng;
use rand::rngs::ChaCha20Rng;
use rsa::traits::PublicKeyParts;
use serde_json::Value;

use super::iso9796::{self, message_representative};
use super::*;

fn shared(path: &str) -> Vec<u8> {
    let full = format!(
        "{}/../../../shared/test-vectors/{path}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&full).unwrap_or_else(|e| {
        panic!("shared test vector {full} is missing ({e}): the test data must be present")
    })
}

fn json(path: &str) -> Value {
    serde_json::from_slice(&shared(path)).expect("valid JSON")
}

fn hx(v: &Value) -> Vec<u8> {
    hex::decode(
        v.as_str()
            .unwrap_or_else(|| panic!("hex expected, got {v}")),
    )
    .expect("hex")
}

/// s = F^d mod n with the private key, without any padding: for crafting
/// signatures over arbitrary representatives.
fn raw_sign(key: &rsa::PrivateKey, f: &[u8]) -> Vec<u8> {
    let n = key.n().as_ref();
    let f = crypto_bigint::BoxedUint::from_be_slice(f, key.n_bits_precision()).unwrap();
    let s = rsa::hazmat::rsa_decrypt_and_check::<ChaCha20Rng>(key, None, &f).unwrap();
    let len = n.bit_width_vartime().div_ceil(8) as usize;
    let bytes = s.to_be_bytes();
    bytes[bytes.len() - len..].to_vec()
}

const REFERENCE: &str = "lds/bsi-tr03105-5-reference-dataset";

/// The published TR-03105-5 AA key (RSA-1024) and the DG15 public key.
fn reference_keys() -> (AaPrivateKey, AaPublicKey) {
    static KEYS: OnceLock<(AaPrivateKey, AaPublicKey)> = OnceLock::new();
    KEYS.get_or_init(load_reference_keys).clone()
}

fn load_reference_keys() -> (AaPrivateKey, AaPublicKey) {
    let private = AaPrivateKey::from_pkcs8_der(&shared(&format!("{REFERENCE}/DG15_sk.pkcs8")))
        .expect("DG15_sk.pkcs8 loads");
    let dg15 = shared(&format!("{REFERENCE}/Datagroup15.bin"));
    let spki = tlv::parse_single(&dg15, Tag(0x6F)).expect("DG15 is one 6F object");
    assert_eq!(
        spki.value,
        &shared(&format!("{REFERENCE}/DG15_pk.bin"))[..],
        "DG15 wraps DG15_pk.bin"
    );
    let public = AaPublicKey::from_spki_der(spki.value).expect("DG15 key");
    (private, public)
}

fn rsa_of(key: &AaPrivateKey) -> &rsa::PrivateKey {
    match key {
        AaPrivateKey::Rsa(k) => k,
        AaPrivateKey::Ec(_) => panic!("RSA key expected"),
    }
}

/// One RSA key per size, generated once (seeded) for the whole test run.
fn rsa_key(bits: usize) -> &'static AaPrivateKey {
    static KEYS: [OnceLock<AaPrivateKey>; 4] = [const { OnceLock::new() }; 4];
    let slot = match bits {
        1024 => 0,
        2048 => 1,
        3072 => 2,
        4096 => 3,
        _ => panic!("no test key of {bits} bits"),
    };
    KEYS[slot].get_or_init(|| {
        let mut rng = ChaCha20Rng::seed_from_u64(bits as u64);
        AaPrivateKey::generate_rsa(bits, &mut rng).unwrap()
    })
}

const TRAILERS: [(AaDigest, bool); 6] = [
    (AaDigest::Sha1, false),
    (AaDigest::Sha1, true),
    (AaDigest::Sha224, true),
    (AaDigest::Sha256, true),
    (AaDigest::Sha384, true),
    (AaDigest::Sha512, true),
];

#[test]
fn internal_authenticate_asks_for_the_whole_signature() {
    let challenge = [1, 2, 3, 4, 5, 6, 7, 8];
    assert_eq!(
        hex::encode_upper(internal_authenticate(&challenge, 256).to_bytes()),
        "0088000008010203040506070800"
    );
    assert_eq!(
        hex::encode_upper(internal_authenticate(&challenge, 128).to_bytes()),
        "0088000008010203040506070880"
    );
    assert_eq!(
        hex::encode_upper(internal_authenticate(&challenge, 64).to_bytes()),
        "0088000008010203040506070840"
    );
    // RSA-3072: 384 bytes need an extended Le.
    let ext = internal_authenticate(&challenge, 384);
    assert!(ext.is_extended());
    assert_eq!(
        hex::encode_upper(ext.to_bytes()),
        "00880000000008010203040506070801".to_string() + "80"
    );
    assert_eq!(internal_authenticate(&challenge, 0).ne(), Some(256));
    assert_eq!(
        internal_authenticate(&challenge, 1 << 20).ne(),
        Some(65_536)
    );
}

/// Doc 9303-11, worked example of Active Authentication: F = 6A ‖ M1 ‖ H ‖
/// BC with H = SHA-1(M1 ‖ M2), every field; then signed with the
/// TR-03105-5 key (the example publishes no key pair) and opened again.
#[test]
fn doc9303_worked_example() {
    let v = json("icao9303-p11-worked-examples/aa_active_authentication.json");
    let ex = &v["doc9303_worked_example"];
    let m1 = hx(&ex["m1"]);
    let m2 = hx(&ex["rnd_ifd_m2"]);
    let k = ex["k_bits"].as_u64().unwrap() as usize;
    // Capacity c = k − Lh − 8·T − 4, M1 has c − 4 bits (Doc 9303-11 §6.1).
    let c = k - 160 - 8 - 4;
    assert_eq!(c as u64, ex["c_bits"].as_u64().unwrap());
    assert_eq!(((c - 4) as u64), ex["lm1_bits"].as_u64().unwrap());
    assert_eq!(m1.len() * 8, c - 4);
    let mut m = m1.clone();
    m.extend_from_slice(&m2);
    assert_eq!(m, hx(&ex["m_equals_m1_then_m2"]));
    let h = AaDigest::Sha1.hash(&[&m]);
    assert_eq!(h, hx(&ex["h_sha1_m"]));

    let f = message_representative(&m1, &m2, AaDigest::Sha1, false);
    assert_eq!(f, hx(&ex["f_message_representative"]));
    assert_eq!(f.len() * 8, k);
    assert_eq!(f[0], 0x6A, "header: partial recovery");
    assert_eq!(&f[1..107], &m1[..], "M1");
    assert_eq!(&f[107..127], &h[..], "H");
    assert_eq!(f[127], 0xBC, "trailer: SHA-1 implied");

    // With a 1024-bit key: s = F^d, the verifier recovers exactly M1.
    let (private, public) = reference_keys();
    let sigma = raw_sign(rsa_of(&private), &f);
    let AaPublicKey::Rsa(rsa_public) = &public else {
        panic!("RSA")
    };
    let recovered = iso9796::recover(rsa_public, &sigma).unwrap();
    assert_eq!(recovered.m1, m1);
    assert_eq!(recovered.hash, h);
    assert_eq!(
        verify(&public, &m2, &sigma, None).unwrap(),
        AaVerification {
            scheme: AaScheme::Iso9796_2 {
                digest: AaDigest::Sha1,
                explicit_trailer: false
            },
            key_bits: 1024
        }
    );
    // n − s is the same signature (ISO/IEC 9796-2, odd e).
    let n = rsa_public.n().as_ref();
    let s = crypto_bigint::BoxedUint::from_be_slice(&sigma, rsa_public.n_bits_precision()).unwrap();
    let complement = n.wrapping_sub(&s).to_be_bytes();
    let complement = &complement[complement.len() - 128..];
    assert!(verify(&public, &m2, complement, None).is_ok());
    let mut wrong = m2.clone();
    wrong[7] ^= 1;
    assert_eq!(
        verify(&public, &wrong, &sigma, None),
        Err(AaError::DigestMismatch)
    );
}

/// The Bouncy Castle ISO/IEC 9796-2 vector (RSA-1024, SHA-1): verifies with
/// M2 as the challenge and recovers M1 exactly.
#[test]
fn bouncy_castle_rsa_1024_vector() {
    let v = json("icao9303-p11-worked-examples/aa_active_authentication.json");
    let bc = &v["rsa_vector_bouncycastle"];
    let key = AaPublicKey::from_spki_der(&hx(&bc["public_key_spki"])).unwrap();
    assert_eq!(key.key_bits(), 1024);
    assert_eq!(key.signature_len(), 128);
    let challenge = hx(&bc["challenge_m2"]);
    let signature = hx(&bc["signature"]);
    let result = verify(&key, &challenge, &signature, None).unwrap();
    assert_eq!(
        result.scheme,
        AaScheme::Iso9796_2 {
            digest: AaDigest::Sha1,
            explicit_trailer: false
        }
    );
    let AaPublicKey::Rsa(rsa_key) = &key else {
        panic!("RSA")
    };
    let recovered = iso9796::recover(rsa_key, &signature).unwrap();
    assert_eq!(recovered.m1, hx(&bc["recovered_m1"]));
    let mut other = challenge.clone();
    other[0] = 1;
    assert_eq!(
        verify(&key, &other, &signature, None),
        Err(AaError::DigestMismatch)
    );
    // The report format: scheme and size.
    assert_eq!(
        serde_json::to_value(result).unwrap(),
        serde_json::json!({
            "scheme": {"scheme": "iso9796-2", "digest": "SHA-1", "explicit_trailer": false},
            "key_bits": 1024
        })
    );
}

/// The TR-03105-5 reference data set's published AA key signs; the
/// signature verifies against its DG15.
#[test]
fn tr03105_5_published_key_matches_dg15() {
    let (private, public) = reference_keys();
    assert_eq!(private.public_key(), public);
    assert_eq!(
        private.public_key_spki_der(),
        shared(&format!("{REFERENCE}/DG15_pk.bin"))
    );
    assert_eq!(public.key_bits(), 1024);
    let mut rng = ChaCha20Rng::seed_from_u64(15);
    let challenge = [0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88];
    for (digest, explicit) in TRAILERS {
        let scheme = AaScheme::Iso9796_2 {
            digest,
            explicit_trailer: explicit,
        };
        let sig = sign_with_scheme(&private, &challenge, scheme, &mut rng).unwrap();
        assert_eq!(sig.len(), 128);
        assert_eq!(
            verify(&public, &challenge, &sig, None).unwrap().scheme,
            scheme
        );
    }
    assert_eq!(format!("{private:?}"), "AaPrivateKey::Rsa(1024 bits, ..)");
}

#[test]
fn rsa_round_trips_every_size_and_trailer() {
    let mut rng = ChaCha20Rng::seed_from_u64(2);
    for bits in [1024, 2048, 3072, 4096] {
        let key = rsa_key(bits);
        let public = AaPublicKey::from_spki_der(&key.public_key_spki_der()).unwrap();
        assert_eq!(public.key_bits(), bits);
        assert_eq!(public.signature_len(), bits / 8);
        for (digest, explicit_trailer) in TRAILERS {
            let scheme = AaScheme::Iso9796_2 {
                digest,
                explicit_trailer,
            };
            let mut challenge = [0u8; 8];
            rand::Rng::fill_bytes(&mut rng, &mut challenge);
            let sig = sign_with_scheme(key, &challenge, scheme, &mut rng).unwrap();
            assert_eq!(sig.len(), bits / 8);
            assert_eq!(
                verify(&public, &challenge, &sig, None),
                Ok(AaVerification {
                    scheme,
                    key_bits: bits
                }),
                "{bits} {scheme}"
            );
            let AaPublicKey::Rsa(k) = &public else {
                panic!()
            };
            let recovered = iso9796::recover(k, &sig).unwrap();
            assert_eq!(
                recovered.m1.len(),
                bits / 8 - 1 - digest.output_len() - if explicit_trailer { 2 } else { 1 },
                "M1 fills the capacity"
            );
        }
        // `sign` picks BC for SHA-1 and the two-byte trailer otherwise.
        let sig = sign(key, b"12345678", AaDigest::Sha256, &mut rng).unwrap();
        assert_eq!(
            verify(&public, b"12345678", &sig, None).unwrap().scheme,
            AaScheme::Iso9796_2 {
                digest: AaDigest::Sha256,
                explicit_trailer: true
            }
        );
    }
    assert_eq!(
        sign_with_scheme(
            rsa_key(1024),
            b"x",
            AaScheme::Iso9796_2 {
                digest: AaDigest::Sha256,
                explicit_trailer: false
            },
            &mut rng
        ),
        Err(AaError::ImplicitTrailerNeedsSha1 {
            digest: AaDigest::Sha256
        })
    );
    assert!(matches!(
        sign_with_scheme(
            rsa_key(1024),
            b"x",
            AaScheme::EcdsaPlain {
                digest: AaDigest::Sha256
            },
            &mut rng
        ),
        Err(AaError::SchemeMismatch { key: "RSA", .. })
    ));
}

#[test]
fn ecdsa_round_trips_on_every_curve() {
    let mut rng = ChaCha20Rng::seed_from_u64(3);
    for curve in CurveId::ALL {
        let key = AaPrivateKey::generate_ec(curve, &mut rng);
        let public = AaPublicKey::from_spki_der(&key.public_key_spki_der()).unwrap();
        assert_eq!(public, key.public_key());
        assert_eq!(public.key_bits(), curve.field_bits() as usize);
        assert_eq!(public.signature_len(), 2 * curve.order_len());
        // Every hash on the curves the issue names, SHA-256 elsewhere.
        let digests: &[AaDigest] = if matches!(
            curve,
            CurveId::P256 | CurveId::BrainpoolP256r1 | CurveId::BrainpoolP384r1
        ) {
            &AaDigest::ALL
        } else {
            &[AaDigest::Sha256]
        };
        for &digest in digests {
            let challenge = [9, 8, 7, 6, 5, 4, 3, 2];
            let sig = sign(&key, &challenge, digest, &mut rng).unwrap();
            assert_eq!(sig.len(), public.signature_len());
            assert_eq!(
                verify(&public, &challenge, &sig, Some(digest)),
                Ok(AaVerification {
                    scheme: AaScheme::EcdsaPlain { digest },
                    key_bits: curve.field_bits() as usize
                }),
                "{curve} {digest}"
            );
            assert_eq!(
                verify(&public, &challenge, &sig, None),
                Err(AaError::EcdsaDigestMissing)
            );
            // Another hash than the chip's fails.
            let other = if digest == AaDigest::Sha1 {
                AaDigest::Sha512
            } else {
                AaDigest::Sha1
            };
            assert!(matches!(
                verify(&public, &challenge, &sig, Some(other)),
                Err(AaError::Ecdsa(_))
            ));
        }
    }
}

/// Flips every byte of the signature and of the challenge (three ways
/// each): all fail, for RSA (each trailer form) and ECDSA.
#[test]
fn every_single_byte_corruption_fails() {
    let mut rng = ChaCha20Rng::seed_from_u64(4);
    let (reference, reference_public) = reference_keys();
    let ec = AaPrivateKey::generate_ec(CurveId::BrainpoolP256r1, &mut rng);
    let cases = [
        (&reference, reference_public, AaDigest::Sha1),
        (rsa_key(2048), rsa_key(2048).public_key(), AaDigest::Sha256),
        (&ec, ec.public_key(), AaDigest::Sha256),
    ];
    let challenge = *b"\x01\x23\x45\x67\x89\xAB\xCD\xEF";
    for (key, public, digest) in cases {
        let ecdsa = matches!(key, AaPrivateKey::Ec(_)).then_some(digest);
        let sig = sign(key, &challenge, digest, &mut rng).unwrap();
        assert!(verify(&public, &challenge, &sig, ecdsa).is_ok());
        for i in 0..sig.len() {
            for x in [0x01, 0x80, 0xFF] {
                let mut bad = sig.clone();
                bad[i] ^= x;
                assert!(
                    verify(&public, &challenge, &bad, ecdsa).is_err(),
                    "signature byte {i} ^ {x:02X} accepted"
                );
            }
        }
        for i in 0..challenge.len() {
            for x in [0x01, 0x80, 0xFF] {
                let mut bad = challenge;
                bad[i] ^= x;
                assert!(
                    verify(&public, &bad, &sig, ecdsa).is_err(),
                    "challenge byte {i} ^ {x:02X} accepted"
                );
            }
        }
        // Truncated, extended, empty.
        assert!(verify(&public, &challenge, &sig[1..], ecdsa).is_err());
        assert!(verify(&public, &challenge, &[&sig[..], &[0]].concat(), ecdsa).is_err());
        assert!(verify(&public, &challenge, &[], ecdsa).is_err());
        assert!(verify(&public, &challenge[..7], &sig, ecdsa).is_err());
    }
}

#[test]
fn out_of_range_signatures_fail() {
    let (_, public) = reference_keys();
    let AaPublicKey::Rsa(k) = &public else {
        panic!()
    };
    let n = k.n().as_ref().to_be_bytes();
    let n = n[n.len() - 128..].to_vec();
    assert_eq!(
        verify(&public, &[0; 8], &n, None),
        Err(AaError::SignatureOutOfRange),
        "s = n"
    );
    let mut n_plus_1 = n.clone();
    n_plus_1[127] += 1; // n is odd: no carry
    assert_eq!(
        verify(&public, &[0; 8], &n_plus_1, None),
        Err(AaError::SignatureOutOfRange)
    );
    assert_eq!(
        verify(&public, &[0; 8], &[0xFF; 128], None),
        Err(AaError::SignatureOutOfRange)
    );
    assert_eq!(
        verify(&public, &[0; 8], &[0; 128], None),
        Err(AaError::SignatureOutOfRange),
        "s = 0"
    );
    assert_eq!(
        verify(&public, &[0; 8], &[[0].as_slice(), &n[..]].concat(), None),
        Err(AaError::SignatureOutOfRange),
        "longer than n"
    );
    assert!(matches!(
        verify(&public, &[0; 8], &[], None),
        Err(AaError::Malformed { .. })
    ));
}

/// Representatives that break one rule each, signed with the private key:
/// the error names the rule.
#[test]
fn malformed_representatives_are_typed() {
    let (private, public) = reference_keys();
    let key = rsa_of(&private);
    let m1 = vec![0x5A; 106];
    let good = message_representative(&m1, b"challng!", AaDigest::Sha1, false);
    let open = |f: &[u8]| verify(&public, b"challng!", &raw_sign(key, f), None);
    assert!(open(&good).is_ok());

    let mut f = good.clone();
    f[0] = 0x6B;
    assert_eq!(open(&f), Err(AaError::BadHeader { found: 0x6B }));
    f[0] = 0x4A; // total recovery
    assert_eq!(open(&f), Err(AaError::BadHeader { found: 0x4A }));

    let mut f = good.clone();
    f[127] = 0xAC;
    assert_eq!(open(&f), Err(AaError::BadTrailer { found: 0xAC }));

    // A two-byte trailer with RIPEMD-160's identifier.
    let mut f = message_representative(&m1[..105], b"challng!", AaDigest::Sha1, true);
    f[126] = 0x31;
    assert_eq!(open(&f), Err(AaError::UnknownHashId { id: 0x31 }));

    // The hash of another M1.
    let mut f = good.clone();
    f[50] ^= 1;
    assert_eq!(open(&f), Err(AaError::DigestMismatch));

    // A trailer naming another hash than the one used.
    let mut f = message_representative(&m1[..105], b"challng!", AaDigest::Sha1, true);
    f[126] = AaDigest::Sha224.iso9796_hash_id();
    assert!(open(&f).is_err());
}

#[test]
fn key_containers_are_checked() {
    // A 512-bit and a 4104-bit modulus: typed size errors before anything.
    let spki = |modulus: &[u8]| {
        use der::Encode;
        let rsa = rsa::pkcs1::RsaPublicKeyRef {
            modulus: der::asn1::UintRef::new(modulus).unwrap(),
            public_exponent: der::asn1::UintRef::new(&[1, 0, 1]).unwrap(),
        }
        .to_der()
        .unwrap();
        let null = der::asn1::Null.to_der().unwrap();
        spki::SubjectPublicKeyInfoRef {
            algorithm: spki::AlgorithmIdentifierRef {
                oid: crate::ca::keys::ID_RSA_ENCRYPTION,
                parameters: Some(der::asn1::AnyRef::try_from(null.as_slice()).unwrap()),
            },
            subject_public_key: der::asn1::BitStringRef::from_bytes(&rsa).unwrap(),
        }
        .to_der()
        .unwrap()
    };
    let mut small = vec![0xC5; 64];
    small[63] |= 1;
    assert_eq!(
        AaPublicKey::from_spki_der(&spki(&small)),
        Err(AaError::ModulusSize { bits: 512 })
    );
    let mut big = vec![0xC5; 513];
    big[512] |= 1;
    assert_eq!(
        AaPublicKey::from_spki_der(&spki(&big)),
        Err(AaError::ModulusSize { bits: 4104 })
    );
    // 1023 bits: not a whole number of bytes.
    let mut odd = vec![0x45; 128];
    odd[127] |= 1;
    assert_eq!(
        AaPublicKey::from_spki_der(&spki(&odd)),
        Err(AaError::ModulusSize { bits: 1023 })
    );
    // A CA key (DH) is neither RSA nor EC.
    let mut rng = ChaCha20Rng::seed_from_u64(5);
    let dh = crate::ca::CaPrivateKey::random(
        mrtd_groups::DomainParameters::Dh(mrtd_groups::ModpGroup::Rfc5114_1024_160),
        &mut rng,
    )
    .public_key()
    .to_spki_der();
    assert!(matches!(
        AaPublicKey::from_spki_der(&dh),
        Err(AaError::NotRsaOrEc { .. })
    ));
    assert!(matches!(
        AaPublicKey::from_spki_der(&[0x30, 0x03, 0x02, 0x01]),
        Err(AaError::Malformed { .. })
    ));
    assert_eq!(
        AaPrivateKey::generate_rsa(1000, &mut rng).err(),
        Some(AaError::ModulusSize { bits: 1000 })
    );
    assert!(matches!(
        AaPrivateKey::from_pkcs8_der(&shared(&format!("{REFERENCE}/DG14_sk.pkcs8"))),
        Ok(AaPrivateKey::Ec(_))
    ));
}

/// An ECDSA Active Authentication key with explicit domain parameters
/// (Doc 9303-12 allows them; the TR-03105-5 key on brainpoolP224r1 is one).
#[test]
fn ecdsa_with_explicit_domain_parameters() {
    let spki = shared(&format!("{REFERENCE}/DG14_pk.bin"));
    let public = AaPublicKey::from_spki_der(&spki).expect("explicit parameters are accepted");
    let AaPublicKey::Ec(point) = &public else {
        panic!("an EC key")
    };
    assert_eq!(point.curve(), CurveId::BrainpoolP224r1);
    let private =
        AaPrivateKey::from_pkcs8_der(&shared(&format!("{REFERENCE}/DG14_sk.pkcs8"))).unwrap();
    let mut rng = ChaCha20Rng::seed_from_u64(9);
    let challenge = *b"EXPLICIT";
    let signature = sign(&private, &challenge, AaDigest::Sha224, &mut rng).unwrap();
    let v = verify(&public, &challenge, &signature, Some(AaDigest::Sha224)).unwrap();
    assert_eq!(
        v.scheme,
        AaScheme::EcdsaPlain {
            digest: AaDigest::Sha224
        }
    );
    assert!(verify(&public, b"EXPLICIX", &signature, Some(AaDigest::Sha224)).is_err());
}

mod hostile {
    use proptest::prelude::*;

    use super::*;

    fn fixed_keys() -> &'static [(AaPublicKey, Option<AaDigest>)] {
        static KEYS: OnceLock<Vec<(AaPublicKey, Option<AaDigest>)>> = OnceLock::new();
        KEYS.get_or_init(|| {
            let mut rng = ChaCha20Rng::seed_from_u64(6);
            vec![
                (reference_keys().1, None),
                (rsa_key(2048).public_key(), None),
                (
                    AaPrivateKey::generate_ec(CurveId::P256, &mut rng).public_key(),
                    Some(AaDigest::Sha256),
                ),
                (
                    AaPrivateKey::generate_ec(CurveId::BrainpoolP384r1, &mut rng).public_key(),
                    Some(AaDigest::Sha384),
                ),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        /// Arbitrary INTERNAL AUTHENTICATE answers as signatures: never a
        /// panic, never accepted.
        #[test]
        fn arbitrary_signatures_never_verify(
            which in 0usize..4,
            signature in prop::collection::vec(any::<u8>(), 0..600),
            challenge in prop::collection::vec(any::<u8>(), 0..16),
        ) {
            let (key, digest) = &fixed_keys()[which];
            prop_assert!(verify(key, &challenge, &signature, *digest).is_err());
        }

        /// Signatures of arbitrary representatives below n (the structure
        /// the chip controls after the RSA operation): recovery never
        /// panics, and only a well-formed F over the challenge verifies.
        #[test]
        fn arbitrary_representatives_are_parsed_safely(
            body in prop::collection::vec(any::<u8>(), 127),
            trailer in prop_oneof![Just(vec![0xBC]), Just(vec![0x33, 0xCC]), any::<[u8; 2]>().prop_map(|t| t.to_vec())],
        ) {
            let (private, public) = reference_keys();
            let mut f = vec![0x6A];
            f.extend_from_slice(&body[..127 - trailer.len()]);
            f.extend_from_slice(&trailer);
            let sig = raw_sign(rsa_of(&private), &f);
            prop_assert!(verify(&public, b"12345678", &sig, None).is_err());
        }

        /// Arbitrary DG15 contents never panic.
        #[test]
        fn arbitrary_key_containers_never_panic(der in prop::collection::vec(any::<u8>(), 0..300)) {
            let _ = AaPublicKey::from_spki_der(&der);
            let _ = AaPrivateKey::from_pkcs8_der(&der);
        }
    }
}
