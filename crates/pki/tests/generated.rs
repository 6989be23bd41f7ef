//! Every kind of object the generator makes — CSCA, link, DS and
//! master-list signer certificates, CRLs, master lists, EF.SODs — parses
//! back with `x509-cert` / `cms` and verifies with the issuer's key under
//! independent verification code (`mrtd-groups` ECDSA, `rsa`), for every
//! algorithm: all nine curves named and explicit, RSA 2048/3072/4096 with
//! PKCS#1 v1.5 and PSS.

mod common;

use std::path::PathBuf;

use common::verify;
use der::{Decode, Encode, Tagged};
use mrtd_groups::CurveId;
use mrtd_pki::crl::{CrlParams, CrlReason, RevokedEntry, issue_crl};
use mrtd_pki::key::{KeyType, PssParams, SignatureScheme};
use mrtd_pki::master_list::CscaMasterList;
use mrtd_pki::oid::{ID_ICAO_CSCA_MASTER_LIST, ID_ICAO_LDS_SECURITY_OBJECT};
use mrtd_pki::profile::{LinkParams, issue_link};
use mrtd_pki::set::{PkiSet, PkiSetOptions};
use mrtd_pki::signed_data::SignerIdKind;
use mrtd_pki::{
    DigestAlgorithm, DocumentSigner, KeyAlgorithm, SignOptions, SigningKey, lds_security_object,
    sign_sod_with,
};
use rand::SeedableRng;
use rand::rngs::ChaCha20Rng;
use x509_cert::Certificate;
use x509_cert::crl::CertificateList;

fn keys_dir() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../test-vectors/pki/keys"
    ))
}

/// A committed RSA key (generating 4096-bit keys in a test is too slow).
fn rsa_key(label: &str) -> SigningKey {
    let path = keys_dir().join(format!("{label}.pk8"));
    let der = std::fs::read(&path)
        .unwrap_or_else(|e| panic!("committed RSA key {} missing: {e}", path.display()));
    SigningKey::from_pkcs8_der(&der).unwrap()
}

fn date(y: u16, m: u8, d: u8) -> der::DateTime {
    der::DateTime::new(y, m, d, 0, 0, 0).unwrap()
}

/// Checks every object of a set and returns nothing; panics with context.
fn check_set(set: &PkiSet, label: &str) {
    let csca = &set.csca;
    let ds = set.document_signer.certificate();
    let ml = set.master_list_signer.certificate();
    for (what, cert, issuer) in [
        ("CSCA", csca, csca),
        ("DS", ds, csca),
        ("ML signer", ml, csca),
    ] {
        let der = cert.to_der().unwrap();
        assert_eq!(
            Certificate::from_der(&der).unwrap(),
            *cert,
            "{label} {what} round trip"
        );
        common::verify_signed(&der, issuer)
            .unwrap_or_else(|e| panic!("{label}: {what} signature: {e}"));
    }
    // Not with the wrong key: the DS certificate is not self-signed.
    assert!(
        common::verify_signed(&ds.to_der().unwrap(), ds).is_err(),
        "{label}"
    );

    let crl_der = set.crl.to_der().unwrap();
    assert_eq!(CertificateList::from_der(&crl_der).unwrap(), set.crl);
    common::verify_signed(&crl_der, csca).unwrap_or_else(|e| panic!("{label}: CRL: {e}"));

    let parts = common::cms_parts(&set.master_list);
    assert_eq!(parts.econtent_type, ID_ICAO_CSCA_MASTER_LIST);
    let list = CscaMasterList::from_der(&parts.econtent).unwrap();
    assert_eq!(list.version, 0);
    assert_eq!(list.cert_list.as_slice(), std::slice::from_ref(csca));
    let signed = parts.signed_attrs.as_ref().unwrap();
    verify::verify(
        ml.tbs_certificate().subject_public_key_info(),
        &parts.signature_algorithm,
        signed,
        &parts.signature,
    )
    .unwrap_or_else(|e| panic!("{label}: master list signature: {e}"));
    let digest = DigestAlgorithm::from_oid(&parts.digest_algorithm.oid).unwrap();
    assert_eq!(
        common::message_digest(&parts),
        digest.digest(&parts.econtent)
    );
    assert_eq!(common::embedded_certificates(&parts), vec![ml.clone()]);

    // An EF.SOD over three DGs, both signer-identifier forms.
    for sid in [
        SignerIdKind::IssuerAndSerialNumber,
        SignerIdKind::SubjectKeyIdentifier,
    ] {
        check_sod(&set.document_signer, sid, label);
    }
    // Keys survive PKCS#8.
    for key in [
        &set.csca_key,
        set.document_signer.key(),
        set.master_list_signer.key(),
    ] {
        let back = SigningKey::from_pkcs8_der(key.to_pkcs8_der().unwrap().as_bytes()).unwrap();
        assert_eq!(
            back.public_key_info().unwrap(),
            key.public_key_info().unwrap(),
            "{label}"
        );
        assert_eq!(
            back.explicit_parameters(),
            key.explicit_parameters(),
            "{label}"
        );
    }
}

fn check_sod(signer: &DocumentSigner, sid: SignerIdKind, label: &str) {
    let dgs: [(u8, &[u8]); 3] = [(1, b"DG1 bytes"), (2, b"DG2 bytes"), (14, b"DG14")];
    let digest = signer.key().digest_algorithm();
    let lso = lds_security_object(digest, &dgs, Some(("0108", "040000"))).unwrap();
    let options = SignOptions {
        sid,
        signing_time: Some(date(2026, 3, 1)),
        ..SignOptions::default()
    };
    let sod = sign_sod_with(&lso, signer, &options).unwrap();
    let parsed = mrtd_lds::sod::Sod::parse(&sod).unwrap_or_else(|e| panic!("{label}: {e}"));
    assert_eq!(parsed.data_group_hashes().count(), 3);
    let parts = common::cms_parts(common::value(&sod));
    assert_eq!(parts.econtent_type, ID_ICAO_LDS_SECURITY_OBJECT);
    assert_eq!(parts.econtent, lso);
    assert_eq!(common::message_digest(&parts), digest.digest(&lso));
    verify::verify(
        signer
            .certificate()
            .tbs_certificate()
            .subject_public_key_info(),
        &parts.signature_algorithm,
        parts.signed_attrs.as_ref().unwrap(),
        &parts.signature,
    )
    .unwrap_or_else(|e| panic!("{label}: EF.SOD signature ({sid:?}): {e}"));
}

#[test]
fn every_curve_named_and_explicit() {
    for curve in KeyAlgorithm::curves() {
        for explicit in [false, true] {
            let label = format!("{curve} explicit={explicit}");
            let mut options = PkiSetOptions::new(KeyAlgorithm::ecdsa(curve));
            options.explicit_parameters = explicit;
            let mut rng = ChaCha20Rng::from_seed([7; 32]);
            let set = PkiSet::generate(&mut rng, &options).unwrap();
            // The SPKI names the curve by OID or by parameters that
            // identify as exactly this curve.
            let spki = set.csca.tbs_certificate().subject_public_key_info();
            let params = spki.algorithm.parameters.as_ref().unwrap();
            assert_eq!(params.tag() == der::Tag::Sequence, explicit, "{label}");
            let point = mrtd_groups::ec_public_key_from_spki(
                &der::referenced::OwnedToRef::owned_to_ref(spki),
            )
            .unwrap();
            assert_eq!(point.curve(), curve, "{label}");
            check_set(&set, &label);
        }
    }
}

#[test]
fn every_digest_on_p256_and_bp384() {
    for curve in [CurveId::P256, CurveId::BrainpoolP384r1] {
        for digest in DigestAlgorithm::ALL {
            let alg = KeyAlgorithm::ecdsa(curve).with_digest(digest);
            let mut rng = ChaCha20Rng::from_seed([8; 32]);
            let set = PkiSet::generate(&mut rng, &PkiSetOptions::new(alg)).unwrap();
            check_set(&set, &format!("{alg}"));
        }
    }
}

/// RSA sets from the committed keys (same code path as generation, minus
/// the prime search).
#[test]
fn rsa_pkcs1_and_pss_at_every_size() {
    for bits in [2048u16, 3072, 4096] {
        for (scheme_name, scheme) in [
            (
                "pkcs1",
                SignatureScheme::RsaPkcs1v15(DigestAlgorithm::Sha256),
            ),
            (
                "pss-sha256",
                SignatureScheme::RsaPss(PssParams::new(DigestAlgorithm::Sha256)),
            ),
            (
                "pss-sha512",
                SignatureScheme::RsaPss(PssParams::new(DigestAlgorithm::Sha512)),
            ),
            (
                "pss-sha384-salt0",
                SignatureScheme::RsaPss(PssParams {
                    digest: DigestAlgorithm::Sha384,
                    salt_len: 0,
                }),
            ),
        ] {
            let label = format!("rsa{bits}-{scheme_name}");
            let csca_key = rsa_key(&format!("csca-rsa{bits}"))
                .with_scheme(scheme)
                .unwrap();
            let ds_key = rsa_key(&format!("ds-rsa{bits}"))
                .with_scheme(scheme)
                .unwrap();
            assert_eq!(csca_key.key_type(), KeyType::Rsa { bits });
            let mut rng = ChaCha20Rng::from_seed([9; 32]);
            let set = set_from_keys(&mut rng, csca_key, ds_key);
            check_set(&set, &label);
        }
    }
}

/// A PkiSet built from given keys, mirroring `PkiSet::generate`.
fn set_from_keys(rng: &mut ChaCha20Rng, csca_key: SigningKey, ds_key: SigningKey) -> PkiSet {
    use mrtd_pki::master_list::sign_master_list;
    use mrtd_pki::profile::*;
    let name = |cn: &str| {
        format!("CN={cn},O=mrtd test PKI (not a real authority),C=KR")
            .parse()
            .unwrap()
    };
    let csca = issue_csca(
        rng,
        &csca_key,
        &CscaParams {
            subject: name("mrtd Test CSCA KR"),
            not_before: date(2026, 1, 1),
            not_after: date(2041, 1, 1),
            private_key_usage_end: Some(date(2031, 1, 1)),
        },
    )
    .unwrap();
    let ds = issue_ds(
        rng,
        &csca,
        &csca_key,
        &ds_key.public_key_info().unwrap(),
        &DsParams {
            subject: name("mrtd Test DS KR 1"),
            not_before: date(2026, 1, 1),
            not_after: date(2036, 1, 1),
            document_types: vec!["P".into()],
        },
    )
    .unwrap();
    // The master-list signer reuses the DS key here (only its certificate
    // profile differs).
    let ml = issue_master_list_signer(
        rng,
        &csca,
        &csca_key,
        &ds_key.public_key_info().unwrap(),
        &MasterListSignerParams {
            subject: name("mrtd Test Master List Signer KR"),
            not_before: date(2026, 1, 1),
            not_after: date(2031, 1, 1),
        },
    )
    .unwrap();
    let master_list_signer = DocumentSigner::new(ml, ds_key.clone()).unwrap();
    let crl = issue_crl(
        &csca,
        &csca_key,
        &CrlParams {
            this_update: date(2026, 1, 1),
            next_update: Some(date(2026, 4, 1)),
            crl_number: 1,
            revoked: vec![RevokedEntry::for_certificate(
                &csca,
                date(2026, 1, 2),
                Some(CrlReason::Superseded),
            )],
        },
    )
    .unwrap();
    let master_list = sign_master_list(
        std::slice::from_ref(&csca),
        &master_list_signer,
        &SignOptions::default(),
    )
    .unwrap();
    PkiSet {
        csca,
        csca_key,
        document_signer: DocumentSigner::new(ds, ds_key).unwrap(),
        master_list_signer,
        crl,
        master_list,
    }
}

#[test]
fn link_certificates_verify_with_the_old_key_and_carry_the_new_one() {
    for alg in [
        KeyAlgorithm::EcdsaP256,
        KeyAlgorithm::ecdsa(CurveId::BrainpoolP512r1),
        KeyAlgorithm::ecdsa(CurveId::BrainpoolP224r1),
    ] {
        let mut rng = ChaCha20Rng::from_seed([10; 32]);
        let old = PkiSet::generate(&mut rng, &PkiSetOptions::new(alg)).unwrap();
        let mut options = PkiSetOptions::new(alg);
        options.not_before = date(2029, 1, 1);
        options.explicit_parameters = true;
        let new = PkiSet::generate(&mut rng, &options).unwrap();
        let link = issue_link(
            &mut rng,
            &old.csca,
            &old.csca_key,
            &new.csca,
            &LinkParams {
                not_before: date(2029, 1, 1),
                not_after: date(2041, 1, 1),
            },
        )
        .unwrap();
        let tbs = link.tbs_certificate();
        assert_eq!(tbs.issuer(), old.csca.tbs_certificate().subject());
        assert_eq!(tbs.subject(), new.csca.tbs_certificate().subject());
        assert_eq!(
            tbs.subject_public_key_info(),
            new.csca.tbs_certificate().subject_public_key_info()
        );
        assert_eq!(
            mrtd_pki::profile::subject_key_id(&link).unwrap(),
            mrtd_pki::profile::subject_key_id(&new.csca).unwrap()
        );
        let der = link.to_der().unwrap();
        common::verify_signed(&der, &old.csca).unwrap();
        assert!(common::verify_signed(&der, &new.csca).is_err());
        // The new CSCA's DS verifies with the key the link certifies.
        common::verify_signed(&new.document_signer.certificate().to_der().unwrap(), &link).unwrap();
        // Link certificates refuse a key that is not the old CSCA's.
        assert!(
            issue_link(
                &mut rng,
                &old.csca,
                &new.csca_key,
                &new.csca,
                &LinkParams {
                    not_before: date(2029, 1, 1),
                    not_after: date(2041, 1, 1),
                }
            )
            .is_err()
        );
    }
}

#[test]
fn crl_has_v2_number_next_update_and_reasons() {
    let mut rng = ChaCha20Rng::from_seed([11; 32]);
    let set = PkiSet::generate(&mut rng, &PkiSetOptions::new(KeyAlgorithm::EcdsaP256)).unwrap();
    let ds = set.document_signer.certificate();
    let crl = issue_crl(
        &set.csca,
        &set.csca_key,
        &CrlParams {
            this_update: date(2026, 5, 1),
            next_update: Some(date(2026, 8, 1)),
            crl_number: 300,
            revoked: vec![
                RevokedEntry::for_certificate(ds, date(2026, 4, 1), Some(CrlReason::KeyCompromise)),
                RevokedEntry::for_certificate(&set.csca, date(2026, 4, 2), None),
            ],
        },
    )
    .unwrap();
    let tbs = &crl.tbs_cert_list;
    assert_eq!(tbs.version, x509_cert::certificate::Version::V2);
    assert_eq!(tbs.issuer, *set.csca.tbs_certificate().subject());
    assert_eq!(tbs.next_update.unwrap().to_date_time(), date(2026, 8, 1));
    let exts = tbs.crl_extensions.as_ref().unwrap();
    let number = exts
        .iter()
        .find(|e| e.extn_id == const_oid::db::rfc5912::ID_CE_CRL_NUMBER)
        .unwrap();
    let number = der::asn1::Uint::from_der(number.extn_value.as_bytes()).unwrap();
    assert_eq!(number.as_bytes(), [0x01, 0x2C]);
    let aki = exts
        .iter()
        .find(|e| e.extn_id == const_oid::db::rfc5912::ID_CE_AUTHORITY_KEY_IDENTIFIER)
        .unwrap();
    let aki =
        x509_cert::ext::pkix::AuthorityKeyIdentifier::from_der(aki.extn_value.as_bytes()).unwrap();
    assert_eq!(
        aki.key_identifier.unwrap().as_bytes(),
        mrtd_pki::profile::subject_key_id(&set.csca).unwrap()
    );
    let revoked = tbs.revoked_certificates.as_ref().unwrap();
    assert_eq!(revoked.len(), 2);
    assert_eq!(
        revoked[0].serial_number,
        *ds.tbs_certificate().serial_number()
    );
    let reason = &revoked[0].crl_entry_extensions.as_ref().unwrap()[0];
    assert_eq!(reason.extn_id, const_oid::db::rfc5912::ID_CE_CRL_REASONS);
    assert_eq!(
        CrlReason::from_der(reason.extn_value.as_bytes()).unwrap(),
        CrlReason::KeyCompromise
    );
    assert!(revoked[1].crl_entry_extensions.is_none());
    common::verify_signed(&crl.to_der().unwrap(), &set.csca).unwrap();
    // A CRL signed by another key (a forgery) does not verify.
    let forged = issue_crl(
        &set.csca,
        set.document_signer.key(),
        &CrlParams {
            this_update: date(2026, 5, 1),
            next_update: Some(date(2026, 8, 1)),
            crl_number: 1,
            revoked: Vec::new(),
        },
    )
    .unwrap();
    assert!(tbs_has_no_entries(&forged));
    assert!(common::verify_signed(&forged.to_der().unwrap(), &set.csca).is_err());
}

fn tbs_has_no_entries(crl: &CertificateList) -> bool {
    crl.tbs_cert_list.revoked_certificates.is_none()
}

#[test]
fn small_rsa_keys_are_generated_and_signed_with() {
    // 768 and 1024 bits exist only for algorithm-policy tests; the rsa
    // crate's public-key floor (1024) must not stop the generator.
    for bits in [768u16, 1024] {
        let key = rsa_key(&format!("ds-rsa{bits}"));
        assert_eq!(key.key_type(), KeyType::Rsa { bits });
        let spki = key.public_key_info().unwrap();
        assert_eq!(verify::rsa_bits(&spki), usize::from(bits));
        let sig = key.sign(b"message").unwrap();
        verify::verify(&spki, &key.signature_algorithm(), b"message", &sig).unwrap();
        assert!(verify::verify(&spki, &key.signature_algorithm(), b"messagf", &sig).is_err());
    }
    // And a fresh small key generates quickly.
    let mut rng = ChaCha20Rng::from_seed([12; 32]);
    let key = SigningKey::try_generate("rsa512-pkcs1".parse().unwrap(), &mut rng).unwrap();
    assert_eq!(key.key_type(), KeyType::Rsa { bits: 512 });
}

#[test]
fn signatures_are_deterministic_and_schemes_are_checked() {
    let key = rsa_key("ds-rsa2048")
        .with_scheme(SignatureScheme::RsaPss(PssParams::new(
            DigestAlgorithm::Sha256,
        )))
        .unwrap();
    assert_eq!(key.sign(b"m").unwrap(), key.sign(b"m").unwrap());
    assert_ne!(key.sign(b"m").unwrap(), key.sign(b"n").unwrap());
    let err = key
        .sign_with(SignatureScheme::Ecdsa(DigestAlgorithm::Sha256), b"m")
        .unwrap_err();
    assert!(
        matches!(err, mrtd_pki::PkiError::SchemeMismatch { .. }),
        "{err}"
    );
    let mut rng = ChaCha20Rng::from_seed([13; 32]);
    let ec = SigningKey::generate(KeyAlgorithm::ecdsa(CurveId::BrainpoolP320r1), &mut rng);
    assert_eq!(ec.sign(b"m").unwrap(), ec.sign(b"m").unwrap());
    assert!(
        ec.clone()
            .with_scheme(SignatureScheme::RsaPkcs1v15(DigestAlgorithm::Sha256))
            .is_err()
    );
    // PSS salt too long for the modulus is an error, not a panic.
    let err = key
        .sign_with(
            SignatureScheme::RsaPss(PssParams {
                digest: DigestAlgorithm::Sha512,
                salt_len: 250,
            }),
            b"m",
        )
        .unwrap_err();
    assert!(matches!(err, mrtd_pki::PkiError::Rsa(_)), "{err}");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

    /// Hostile PKCS#8 input never panics (and garbage is refused).
    #[test]
    fn pkcs8_decoding_never_panics(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300)) {
        let _ = SigningKey::from_pkcs8_der(&bytes);
    }

    /// A committed key with one byte changed either fails to decode or
    /// decodes to a key whose PKCS#8 round-trips; never a panic.
    #[test]
    fn mutated_pkcs8_never_panics(at in 0usize..2000, xor in 1u8..=255) {
        for label in ["ds-rsa768", "ds-rsa2048"] {
            let mut der = std::fs::read(keys_dir().join(format!("{label}.pk8"))).unwrap();
            let i = at % der.len();
            der[i] ^= xor;
            let _ = SigningKey::from_pkcs8_der(&der);
        }
        let mut rng = ChaCha20Rng::from_seed([14; 32]);
        let ec = SigningKey::generate(KeyAlgorithm::ecdsa(CurveId::BrainpoolP320r1), &mut rng)
            .with_explicit_parameters(true);
        let mut der = ec.to_pkcs8_der().unwrap().as_bytes().to_vec();
        let i = at % der.len();
        der[i] ^= xor;
        if let Ok(key) = SigningKey::from_pkcs8_der(&der) {
            // Anything accepted is self-consistent.
            let again = SigningKey::from_pkcs8_der(key.to_pkcs8_der().unwrap().as_bytes()).unwrap();
            proptest::prop_assert_eq!(again.public_key_info().unwrap(), key.public_key_info().unwrap());
        }
    }

    /// The DER-breaking re-encoders take any input without panicking.
    #[test]
    fn encoding_helpers_never_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..64), extra in 0u8..4) {
        let _ = mrtd_pki::encoding::to_indefinite_length(&bytes);
        let _ = mrtd_pki::encoding::with_non_minimal_length(&bytes, extra);
        let _ = mrtd_pki::encoding::map_sod_content(&bytes, |c| Ok(c.to_vec()));
    }

    /// Key algorithm names: any text parses or is refused, and whatever
    /// parses prints back to something that parses to the same.
    #[test]
    fn key_algorithm_text_never_panics(text in "[a-z0-9-]{0,24}") {
        if let Ok(alg) = text.parse::<KeyAlgorithm>() {
            proptest::prop_assert_eq!(alg.to_string().parse::<KeyAlgorithm>().unwrap(), alg);
        }
    }
}
