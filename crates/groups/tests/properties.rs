//! Property tests: hostile-input decoders never panic, round trips hold,
//! and ECDSA signs and verifies on all eleven curves.

use der::Encode;
use mrtd_groups::ecdsa::{SignatureFormat, convert_signature, sign_prehash, verify_prehash};
use mrtd_groups::{
    CurveId, DhElement, DhSecret, EcPoint, EcSecret, GroupError, ModpGroup, SpecifiedEcDomain,
    curve_from_algorithm_parameters, dh_integrated_mapping, icao_point_encoding, identify_explicit,
    map_generator_gm,
};
use proptest::prelude::*;
use rand::SeedableRng;
use rand::rngs::ChaCha20Rng;

fn curve() -> impl Strategy<Value = CurveId> {
    prop::sample::select(CurveId::ALL.to_vec())
}

fn group() -> impl Strategy<Value = ModpGroup> {
    prop::sample::select(ModpGroup::ALL.to_vec())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn from_sec1_never_panics(c in curve(), bytes in prop::collection::vec(any::<u8>(), 0..140)) {
        let _ = EcPoint::from_sec1(c, &bytes);
    }

    #[test]
    fn from_sec1_with_valid_shape_never_panics(c in curve(), tag in prop::sample::select(vec![0u8, 2, 3, 4, 6, 7]), seed in any::<u64>()) {
        let len = if tag == 4 || tag >= 6 { 2 * c.field_len() } else { c.field_len() };
        let mut r = ChaCha20Rng::seed_from_u64(seed);
        let mut bytes = vec![tag; 1 + len];
        rand::Rng::fill_bytes(&mut r, &mut bytes[1..]);
        if let Ok(p) = EcPoint::from_sec1(c, &bytes) {
            // Whatever decodes is a valid point that round-trips.
            prop_assert_eq!(EcPoint::from_sec1(c, &p.to_sec1_uncompressed()).unwrap(), p.clone());
            prop_assert_eq!(EcPoint::from_sec1(c, &p.to_sec1_compressed()).unwrap(), p);
        }
    }

    #[test]
    fn from_affine_never_panics(c in curve(), x in prop::collection::vec(any::<u8>(), 0..70), y in prop::collection::vec(any::<u8>(), 0..70)) {
        let _ = EcPoint::from_affine(c, &x, &y);
    }

    #[test]
    fn identify_explicit_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let _ = identify_explicit(&bytes);
        if let Ok(any) = der::asn1::AnyRef::try_from(bytes.as_slice()) {
            let _ = curve_from_algorithm_parameters(&any);
        }
    }

    #[test]
    fn mutated_explicit_parameters_never_panic_and_never_misidentify(c in curve(), pos in any::<prop::sample::Index>(), val in any::<u8>()) {
        let mut der = SpecifiedEcDomain::for_curve(c).to_der().unwrap();
        let i = pos.index(der.len());
        der[i] = val;
        // A mutation may still decode to the same curve only if it left
        // the parameters intact (e.g. it wrote the same byte).
        if let Ok(found) = identify_explicit(&der) {
            prop_assert_eq!(found, c);
        }
    }

    #[test]
    fn ec_secret_from_bytes_checks_range(c in curve(), bytes in prop::collection::vec(any::<u8>(), 0..70)) {
        match EcSecret::from_bytes(c, &bytes) {
            Ok(s) => {
                let b = s.to_bytes();
                prop_assert_eq!(b.len(), c.order_len());
                prop_assert!(b.as_slice() < c.params().n && b.iter().any(|&x| x != 0));
            }
            Err(e) => prop_assert!(matches!(e, GroupError::InvalidScalar(_))),
        }
    }

    #[test]
    fn verify_rejects_random_signatures(c in curve(), sig in prop::collection::vec(any::<u8>(), 0..140), der in any::<bool>()) {
        let key = EcPoint::generator(c);
        let format = if der { SignatureFormat::Der } else { SignatureFormat::Plain };
        prop_assert!(verify_prehash(&key, &[0u8; 32], &sig, format).is_err());
    }

    #[test]
    fn dh_element_from_bytes_never_panics(g in group(), bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        if let Ok(e) = DhElement::from_bytes(g, &bytes) {
            prop_assert_eq!(e.to_bytes().len(), g.p_len());
        }
    }

    #[test]
    fn dh_secret_reduces_mod_q(g in group(), bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        match DhSecret::from_bytes(g, &bytes) {
            Ok(x) => {
                let b = x.to_bytes();
                prop_assert_eq!(b.len(), g.q_len());
                prop_assert!(b.as_slice() < g.params().q);
                // Reducing again is the identity.
                prop_assert_eq!(DhSecret::from_bytes(g, &b).unwrap().to_bytes(), b);
            }
            Err(e) => prop_assert!(matches!(e, GroupError::InvalidScalar(_))),
        }
    }
}

proptest! {
    // Group operations are slower: fewer cases.
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    #[test]
    fn point_encoding_lands_on_the_curve(c in curve(), t in prop::collection::vec(any::<u8>(), 1..80)) {
        match icao_point_encoding(c, &t) {
            Ok(p) => prop_assert_eq!(EcPoint::from_sec1(c, &p.to_sec1_uncompressed()).unwrap(), p),
            Err(GroupError::Unsupported(_)) => prop_assert_eq!(c, CurveId::P224),
            Err(e) => prop_assert!(false, "unexpected {e:?}"),
        }
    }

    #[test]
    fn gm_mapping_matches_its_definition(c in curve(), s in prop::collection::vec(any::<u8>(), 1..40), seed in any::<u64>()) {
        let mut r = ChaCha20Rng::seed_from_u64(seed);
        let h = EcSecret::random(c, &mut r).public_key();
        let g_hat = map_generator_gm(&s, &h);
        // s·G + H computed the long way (variable time, public test data).
        let sg = EcPoint::generator(c).mul_public(&s);
        match (g_hat, sg) {
            (Ok(g_hat), Ok(sg)) => prop_assert_eq!(Ok(g_hat), sg.add(&h)),
            (Ok(g_hat), Err(GroupError::Identity)) => prop_assert_eq!(g_hat, h), // s ≡ 0 (mod n)
            (other, sg) => prop_assert!(false, "{other:?} / {sg:?}"),
        }
    }

    #[test]
    fn dh_integrated_mapping_yields_subgroup_elements(g in group(), x in prop::collection::vec(any::<u8>(), 1..64)) {
        match dh_integrated_mapping(g, &x) {
            Ok(e) => prop_assert_eq!(DhElement::from_bytes(g, &e.to_bytes()).unwrap(), e),
            Err(e) => prop_assert_eq!(e, GroupError::Identity),
        }
    }
}

#[test]
fn ecdsa_round_trip_on_all_curves_and_digest_lengths() {
    let mut rng = ChaCha20Rng::seed_from_u64(42);
    for c in CurveId::ALL {
        let sk = EcSecret::random(c, &mut rng);
        let pk = sk.public_key();
        let other = EcSecret::random(c, &mut rng).public_key();
        for len in [20usize, 28, 32, 48, 64] {
            let digest: Vec<u8> = (0..len).map(|i| (i * 7 + len) as u8).collect();
            for format in [SignatureFormat::Der, SignatureFormat::Plain] {
                let sig = sign_prehash(&sk, &digest, &mut rng, format).unwrap();
                verify_prehash(&pk, &digest, &sig, format)
                    .unwrap_or_else(|e| panic!("{c} {len} {format:?}: {e}"));
                assert!(
                    verify_prehash(&other, &digest, &sig, format).is_err(),
                    "{c}: wrong key accepted"
                );
                let mut bad = digest.clone();
                bad[0] ^= 1;
                assert!(
                    verify_prehash(&pk, &bad, &sig, format).is_err(),
                    "{c}: wrong digest accepted"
                );
                if format == SignatureFormat::Plain {
                    assert_eq!(sig.len(), 2 * c.order_len());
                    let der =
                        convert_signature(c, &sig, SignatureFormat::Plain, SignatureFormat::Der)
                            .unwrap();
                    verify_prehash(&pk, &digest, &der, SignatureFormat::Der).unwrap();
                }
            }
        }
    }
}

#[test]
fn ecdh_and_dh_agree_on_all_groups() {
    let mut rng = ChaCha20Rng::seed_from_u64(7);
    for c in CurveId::ALL {
        let a = EcSecret::random(c, &mut rng);
        let b = EcSecret::random(c, &mut rng);
        assert_eq!(
            a.diffie_hellman(&b.public_key()).unwrap(),
            b.diffie_hellman(&a.public_key()).unwrap(),
            "{c}"
        );
        // Generic Mapping end to end: both sides derive the same Ĝ and K.
        let h = a.diffie_hellman(&b.public_key()).unwrap();
        let g_hat = map_generator_gm(&[0x5a; 16], &h).unwrap();
        let (x, y) = (EcSecret::random(c, &mut rng), EcSecret::random(c, &mut rng));
        let (px, py) = (
            x.public_key_on(&g_hat).unwrap(),
            y.public_key_on(&g_hat).unwrap(),
        );
        assert_eq!(
            x.diffie_hellman(&py).unwrap().x(),
            y.diffie_hellman(&px).unwrap().x(),
            "{c}"
        );
        // Mismatched curves are rejected.
        let other = if c == CurveId::P256 {
            CurveId::P384
        } else {
            CurveId::P256
        };
        assert_eq!(
            a.diffie_hellman(&EcPoint::generator(other)),
            Err(GroupError::Mismatch)
        );
    }
    for g in ModpGroup::ALL {
        let a = DhSecret::random(g, &mut rng);
        let b = DhSecret::random(g, &mut rng);
        assert_eq!(
            a.agree(&b.public_key()).unwrap(),
            b.agree(&a.public_key()).unwrap(),
            "{g}"
        );
        let h = a.agree(&b.public_key()).unwrap();
        let g_hat = mrtd_groups::map_generator_gm_dh(&[0x5a; 16], &h).unwrap();
        assert_eq!(
            a.public_key_on(&g_hat)
                .unwrap()
                .pow_public(&b.to_bytes())
                .unwrap(),
            b.public_key_on(&g_hat)
                .unwrap()
                .pow_public(&a.to_bytes())
                .unwrap()
        );
    }
}

#[test]
fn identity_and_degenerate_inputs_are_rejected() {
    for c in CurveId::ALL {
        assert_eq!(EcPoint::from_sec1(c, &[0]), Err(GroupError::Identity));
        assert_eq!(
            EcSecret::from_bytes(c, &[0]).unwrap_err(),
            GroupError::InvalidScalar("not in [1, n-1]")
        );
        assert!(EcSecret::from_bytes(c, c.params().n).is_err());
        let g = EcPoint::generator(c);
        assert_eq!(g.mul_public(c.params().n), Err(GroupError::Identity));
        assert_eq!(g.mul_public(&[]), Err(GroupError::Identity));
        // G + (n−1)·G = O.
        let mut n1 = c.params().n.to_vec();
        *n1.last_mut().unwrap() -= 1;
        let neg_g = g.mul_public(&n1).unwrap();
        assert_eq!(g.add(&neg_g), Err(GroupError::Identity));
        // The secret's Debug output shows no key material.
        let s = EcSecret::from_bytes(c, &[0x42; 8]).unwrap();
        assert_eq!(format!("{s:?}"), format!("EcSecret {{ curve: {c:?}, .. }}"));
    }
    assert_eq!(
        DhSecret::from_bytes(
            ModpGroup::Rfc5114_1024_160,
            ModpGroup::Rfc5114_1024_160.params().q
        )
        .unwrap_err(),
        GroupError::InvalidScalar("DH exponent is 0 mod q")
    );
    assert_eq!(
        dh_integrated_mapping(ModpGroup::Rfc5114_1024_160, &[0]),
        Err(GroupError::Identity)
    );
    assert_eq!(
        dh_integrated_mapping(ModpGroup::Rfc5114_1024_160, &[1]),
        Err(GroupError::Identity)
    );
}

#[test]
fn serde_round_trips_validate() {
    let g = EcPoint::generator(CurveId::BrainpoolP512r1);
    let json = serde_json::to_string(&g).unwrap();
    assert_eq!(serde_json::from_str::<EcPoint>(&json).unwrap(), g);
    let bad = json.replace(&hex::encode_upper(g.y())[..4], "0000");
    assert!(
        serde_json::from_str::<EcPoint>(&bad).is_err(),
        "an off-curve point deserialized"
    );
    let e = DhElement::generator(ModpGroup::Rfc5114_2048_224);
    let json = serde_json::to_string(&e).unwrap();
    assert_eq!(serde_json::from_str::<DhElement>(&json).unwrap(), e);
    assert!(
        serde_json::from_str::<DhElement>(r#"{"group":"Rfc5114_1024_160","value":"02"}"#).is_err()
    );
}
