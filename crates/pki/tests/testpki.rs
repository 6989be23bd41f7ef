//! The committed test PKI: determinism, signatures over the original
//! TBSCertificate bytes, and the Doc 9303-12 §7.1 profile.

mod common;

use const_oid::db::rfc5912;
use der::asn1::{BitString, GeneralizedTime, ObjectIdentifier, PrintableStringRef};
use der::{Decode, Encode, Tag, Tagged};
use mrtd_pki::key::{KeyAlgorithm, SigningKey};
use mrtd_pki::profile::{CscaParams, DocumentTypeList, DsParams, issue_csca, issue_ds};
use mrtd_pki::testpki::{self, TEST_PKI_SEED, TestPkiOptions, embedded};
use mrtd_pki::{DocumentSigner, PkiError, TestPki};
use p256::ecdsa::signature::Verifier;
use p256::ecdsa::{DerSignature, VerifyingKey};
use rand::SeedableRng;
use rand::rngs::ChaCha20Rng;
use sha1::{Digest, Sha1};
use x509_cert::Certificate;
use x509_cert::certificate::Version;
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, KeyUsage, KeyUsages, PrivateKeyUsagePeriod,
    SubjectKeyIdentifier,
};
use x509_cert::time::Time;

const ID_DOCUMENT_TYPE_LIST: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.23.136.1.1.6.2");

fn date(y: u16, m: u8, d: u8) -> der::DateTime {
    der::DateTime::new(y, m, d, 0, 0, 0).unwrap()
}

/// Verifies `cert_der`'s signature with `issuer`'s P-256 key over the
/// TBSCertificate exactly as it appears in `cert_der`.
fn verify_cert_signature(cert_der: &[u8], issuer: &Certificate) -> Result<(), &'static str> {
    let parts = common::children(cert_der);
    assert_eq!(
        parts.len(),
        3,
        "Certificate is SEQUENCE {{ tbs, alg, sig }}"
    );
    let tbs_raw = parts[0];
    let sig_bits = BitString::from_der(parts[2]).unwrap();
    let spki_der = issuer
        .tbs_certificate()
        .subject_public_key_info()
        .to_der()
        .unwrap();
    let key = VerifyingKey::try_from(spki::SubjectPublicKeyInfoRef::from_der(&spki_der).unwrap())
        .map_err(|_| "issuer key is not P-256")?;
    let sig = DerSignature::try_from(sig_bits.raw_bytes()).map_err(|_| "bad DER signature")?;
    key.verify(tbs_raw, &sig)
        .map_err(|_| "signature does not verify")
}

fn sha1_of_key(cert: &Certificate) -> Vec<u8> {
    let spki = cert.tbs_certificate().subject_public_key_info();
    Sha1::digest(spki.subject_public_key.raw_bytes()).to_vec()
}

/// (OID, critical) of every extension, in order.
fn extension_list(cert: &Certificate) -> Vec<(ObjectIdentifier, bool)> {
    cert.tbs_certificate()
        .extensions()
        .unwrap()
        .iter()
        .map(|e| (e.extn_id, e.critical))
        .collect()
}

fn generate_from_seed() -> TestPki {
    let mut rng = ChaCha20Rng::from_seed(TEST_PKI_SEED);
    TestPki::generate(&mut rng, &TestPkiOptions::default()).unwrap()
}

#[test]
fn regenerating_reproduces_committed_files() {
    for (name, bytes) in [
        (testpki::files::CSCA_CERT, embedded::CSCA_CERT),
        (testpki::files::CSCA_KEY, embedded::CSCA_KEY),
        (testpki::files::DS_CERT, embedded::DS_CERT),
        (testpki::files::DS_KEY, embedded::DS_KEY),
    ] {
        assert!(
            !bytes.is_empty(),
            "test-vectors/pki/{name} is empty: run \
             `cargo run -p mrtd-pki --example gen_testpki -- test-vectors/pki`"
        );
    }
    let files = generate_from_seed().to_files().unwrap();
    let committed = [
        embedded::CSCA_CERT,
        embedded::CSCA_KEY,
        embedded::DS_CERT,
        embedded::DS_KEY,
    ];
    for ((name, generated), committed) in files.entries().into_iter().zip(committed) {
        assert_eq!(
            hex::encode(generated),
            hex::encode(committed),
            "test-vectors/pki/{name} differs from what the generator makes from TEST_PKI_SEED"
        );
    }
}

#[test]
fn a_different_seed_gives_different_keys() {
    let mut rng = ChaCha20Rng::from_seed([7; 32]);
    let other = TestPki::generate(&mut rng, &TestPkiOptions::default()).unwrap();
    let pki = TestPki::embedded();
    assert_ne!(
        other.csca().tbs_certificate().subject_public_key_info(),
        pki.csca().tbs_certificate().subject_public_key_info()
    );
}

#[test]
fn embedded_round_trips_through_der() {
    let pki = TestPki::embedded();
    let files = pki.to_files().unwrap();
    assert_eq!(files.csca_cert, embedded::CSCA_CERT);
    assert_eq!(files.csca_key.as_bytes(), embedded::CSCA_KEY);
    assert_eq!(files.ds_cert, embedded::DS_CERT);
    assert_eq!(files.ds_key.as_bytes(), embedded::DS_KEY);
    assert_eq!(pki.csca_key().algorithm(), KeyAlgorithm::EcdsaP256);
    assert_eq!(
        pki.document_signer().key().algorithm(),
        KeyAlgorithm::EcdsaP256
    );
}

#[test]
fn ds_signature_verifies_with_csca_key_over_original_tbs() {
    let pki = TestPki::embedded();
    verify_cert_signature(embedded::DS_CERT, pki.csca()).unwrap();
    // The CSCA is self-signed.
    verify_cert_signature(embedded::CSCA_CERT, pki.csca()).unwrap();
}

#[test]
fn tampered_tbs_or_wrong_issuer_fails_verification() {
    let pki = TestPki::embedded();
    // Flip one bit inside the DS subject's CN ("DS" -> "ES").
    let mut tampered = embedded::DS_CERT.to_vec();
    let at = tampered
        .windows(b"mrtd Test DS".len())
        .position(|w| w == b"mrtd Test DS")
        .unwrap()
        + b"mrtd Test ".len();
    tampered[at] ^= 0x01;
    assert_eq!(
        verify_cert_signature(&tampered, pki.csca()),
        Err("signature does not verify")
    );
    // The DS certificate is not signed by the DS's own key.
    let ds_cert = pki.document_signer().certificate();
    assert_eq!(
        verify_cert_signature(embedded::DS_CERT, ds_cert),
        Err("signature does not verify")
    );
}

#[test]
fn common_certificate_fields_follow_doc9303_12() {
    let pki = TestPki::embedded();
    for cert in [pki.csca(), pki.document_signer().certificate()] {
        let tbs = cert.tbs_certificate();
        assert_eq!(tbs.version(), Version::V3);
        let serial = tbs.serial_number().as_bytes();
        assert!(!serial.is_empty() && serial.len() <= 20);
        // The encoded INTEGER is positive (no sign bit set in its first octet).
        let serial_der = tbs.serial_number().to_der().unwrap();
        assert_eq!(serial_der[0], 0x02);
        assert_eq!(serial_der[2] & 0x80, 0, "serial number must be positive");
        assert_eq!(tbs.signature().oid, rfc5912::ECDSA_WITH_SHA_256);
        assert_eq!(tbs.signature().parameters, None);
        assert_eq!(cert.signature_algorithm(), tbs.signature());
        assert!(tbs.issuer_unique_id().is_none() && tbs.subject_unique_id().is_none());
        // countryName is PrintableString, the other attributes UTF8String.
        for name in [tbs.issuer(), tbs.subject()] {
            for atv in name.iter() {
                let expected = if atv.oid == const_oid::db::rfc4519::COUNTRY_NAME {
                    Tag::PrintableString
                } else {
                    Tag::Utf8String
                };
                assert_eq!(atv.value.tag(), expected, "{}", atv.oid);
            }
        }
        let spki = tbs.subject_public_key_info();
        assert_eq!(spki.algorithm.oid, rfc5912::ID_EC_PUBLIC_KEY);
        assert_eq!(
            spki.algorithm
                .parameters
                .as_ref()
                .unwrap()
                .decode_as::<ObjectIdentifier>()
                .unwrap(),
            rfc5912::SECP_256_R_1
        );
        // Before 2050 both validity times are UTCTime (RFC 5280 §4.1.2.5).
        assert!(matches!(tbs.validity().not_before, Time::UtcTime(_)));
        assert!(matches!(tbs.validity().not_after, Time::UtcTime(_)));
        assert_eq!(tbs.validity().not_before.to_date_time(), date(2026, 1, 1));
    }
}

#[test]
fn csca_profile() {
    let pki = TestPki::embedded();
    let csca = pki.csca();
    let tbs = csca.tbs_certificate();
    assert_eq!(
        tbs.subject().to_string(),
        "CN=mrtd Test CSCA KR,O=mrtd test PKI (not a real authority),C=KR"
    );
    assert_eq!(tbs.issuer(), tbs.subject());
    assert_eq!(
        tbs.subject().country().unwrap(),
        Some(PrintableStringRef::new("KR").unwrap())
    );
    assert_eq!(tbs.validity().not_after.to_date_time(), date(2041, 1, 1));

    assert_eq!(
        extension_list(csca),
        vec![
            (rfc5912::ID_CE_AUTHORITY_KEY_IDENTIFIER, false),
            (rfc5912::ID_CE_SUBJECT_KEY_IDENTIFIER, false),
            (rfc5912::ID_CE_KEY_USAGE, true),
            (rfc5912::ID_CE_PRIVATE_KEY_USAGE_PERIOD, false),
            (rfc5912::ID_CE_BASIC_CONSTRAINTS, true),
        ]
    );
    let (_, ski) = tbs
        .get_extension::<SubjectKeyIdentifier>()
        .unwrap()
        .unwrap();
    assert_eq!(
        ski.0.as_bytes(),
        sha1_of_key(csca),
        "SKI is RFC 5280 method 1"
    );
    let (_, aki) = tbs
        .get_extension::<AuthorityKeyIdentifier>()
        .unwrap()
        .unwrap();
    assert_eq!(aki.key_identifier.as_ref(), Some(&ski.0));
    assert!(aki.authority_cert_issuer.is_none() && aki.authority_cert_serial_number.is_none());
    let (_, ku) = tbs.get_extension::<KeyUsage>().unwrap().unwrap();
    assert_eq!(ku.0, KeyUsages::KeyCertSign | KeyUsages::CRLSign);
    let (_, bc) = tbs.get_extension::<BasicConstraints>().unwrap().unwrap();
    assert_eq!(
        bc,
        BasicConstraints {
            ca: true,
            path_len_constraint: Some(0)
        }
    );
    let (_, pkup) = tbs
        .get_extension::<PrivateKeyUsagePeriod>()
        .unwrap()
        .unwrap();
    assert_eq!(
        pkup,
        PrivateKeyUsagePeriod {
            not_before: Some(GeneralizedTime::from_date_time(date(2026, 1, 1))),
            not_after: Some(GeneralizedTime::from_date_time(date(2031, 1, 1))),
        }
    );
}

#[test]
fn ds_profile() {
    let pki = TestPki::embedded();
    let ds = pki.document_signer().certificate();
    let tbs = ds.tbs_certificate();
    assert_eq!(
        tbs.subject().to_string(),
        "CN=mrtd Test DS KR 1,O=mrtd test PKI (not a real authority),C=KR"
    );
    assert_eq!(tbs.issuer(), pki.csca().tbs_certificate().subject());
    assert_eq!(tbs.validity().not_after.to_date_time(), date(2036, 1, 1));
    // Inside the CSCA's validity and issued during its key usage period.
    let csca_validity = pki.csca().tbs_certificate().validity();
    assert!(tbs.validity().not_after.to_date_time() <= csca_validity.not_after.to_date_time());
    assert!(tbs.validity().not_before.to_date_time() >= csca_validity.not_before.to_date_time());

    assert_eq!(
        extension_list(ds),
        vec![
            (rfc5912::ID_CE_AUTHORITY_KEY_IDENTIFIER, false),
            (rfc5912::ID_CE_SUBJECT_KEY_IDENTIFIER, false),
            (rfc5912::ID_CE_KEY_USAGE, true),
            (ID_DOCUMENT_TYPE_LIST, false),
        ]
    );
    let (_, csca_ski) = pki
        .csca()
        .tbs_certificate()
        .get_extension::<SubjectKeyIdentifier>()
        .unwrap()
        .unwrap();
    let (_, aki) = tbs
        .get_extension::<AuthorityKeyIdentifier>()
        .unwrap()
        .unwrap();
    assert_eq!(aki.key_identifier, Some(csca_ski.0.clone()));
    let (_, ski) = tbs
        .get_extension::<SubjectKeyIdentifier>()
        .unwrap()
        .unwrap();
    assert_eq!(ski.0.as_bytes(), sha1_of_key(ds));
    assert_ne!(ski.0, csca_ski.0);
    let (_, ku) = tbs.get_extension::<KeyUsage>().unwrap().unwrap();
    assert_eq!(
        ku.0,
        x509_cert::der::flagset::FlagSet::from(KeyUsages::DigitalSignature)
    );
    let (_, types) = tbs.get_extension::<DocumentTypeList>().unwrap().unwrap();
    assert_eq!(types.version, 0);
    let types: Vec<&str> = types.doc_type_list.iter().map(|t| t.as_str()).collect();
    assert_eq!(types, ["P"]);
    assert!(tbs.get_extension::<BasicConstraints>().unwrap().is_none());
}

#[test]
fn document_signer_rejects_foreign_key() {
    let pki = TestPki::embedded();
    let err = DocumentSigner::new(
        pki.document_signer().certificate().clone(),
        pki.csca_key().clone(),
    )
    .unwrap_err();
    assert!(matches!(err, PkiError::KeyCertificateMismatch), "{err}");
    let err = TestPki::from_der(
        embedded::CSCA_CERT,
        embedded::DS_KEY,
        embedded::DS_CERT,
        embedded::DS_KEY,
    )
    .unwrap_err();
    assert!(matches!(err, PkiError::KeyCertificateMismatch), "{err}");
}

#[test]
fn pkcs8_rejects_garbage_and_unsupported_curves() {
    assert!(matches!(
        SigningKey::from_pkcs8_der(b"\x30\x03\x02\x01\x00"),
        Err(PkiError::Pkcs8(_))
    ));
    assert!(matches!(
        SigningKey::from_pkcs8_der(&[]),
        Err(PkiError::Pkcs8(_))
    ));
    // The P-256 key relabelled as secp384r1: the scalar fits, but the
    // embedded public key is not d·G on P-384.
    let mut info = pkcs8::PrivateKeyInfoRef::try_from(embedded::DS_KEY).unwrap();
    let p384 = der::asn1::Any::encode_from(&rfc5912::SECP_384_R_1).unwrap();
    info.algorithm.parameters = Some((&p384).into());
    let relabelled = info.to_der().unwrap();
    let err = SigningKey::from_pkcs8_der(&relabelled).unwrap_err();
    assert!(matches!(err, PkiError::InvalidKey(_)), "{err}");
    // A curve outside the whitelist (secp256k1).
    let k256 = der::asn1::Any::encode_from(&ObjectIdentifier::new_unwrap("1.3.132.0.10")).unwrap();
    info.algorithm.parameters = Some((&k256).into());
    let relabelled = info.to_der().unwrap();
    let err = SigningKey::from_pkcs8_der(&relabelled).unwrap_err();
    assert!(
        matches!(
            err,
            PkiError::UnsupportedKeyAlgorithm {
                algorithm: rfc5912::ID_EC_PUBLIC_KEY,
                curve: Some(oid)
            } if oid == ObjectIdentifier::new_unwrap("1.3.132.0.10")
        ),
        "{err}"
    );
    // Not a key algorithm at all.
    info.algorithm.oid = rfc5912::ID_SHA_256;
    let err = SigningKey::from_pkcs8_der(&info.to_der().unwrap()).unwrap_err();
    assert!(
        matches!(err, PkiError::UnsupportedKeyAlgorithm { curve: None, .. }),
        "{err}"
    );
}

#[test]
fn signing_key_debug_hides_the_secret() {
    let pki = TestPki::embedded();
    let debug = format!("{:?}", pki);
    let key = pki.csca_key().to_pkcs8_der().unwrap();
    // The 32-byte scalar sits at the end of the SEC1 ECPrivateKey's OCTET
    // STRING; none of its hex may appear.
    let scalar_hex = hex::encode(&key.as_bytes()[36..68]);
    assert!(!debug.to_lowercase().contains(&scalar_hex[..16]));
    assert!(debug.contains("ecdsa-p256"), "{debug}");
}

#[test]
fn issuing_enforces_country_validity_and_key_checks() {
    let mut rng = ChaCha20Rng::from_seed([1; 32]);
    let pki = TestPki::embedded();
    let ds_key = SigningKey::generate(KeyAlgorithm::EcdsaP256, &mut rng);
    let ds_spki = ds_key.public_key_info().unwrap();
    let params = DsParams {
        subject: "CN=DS,C=JP".parse().unwrap(),
        not_before: date(2026, 1, 1),
        not_after: date(2027, 1, 1),
        document_types: vec![],
    };
    let err = issue_ds(&mut rng, pki.csca(), pki.csca_key(), &ds_spki, &params).unwrap_err();
    assert!(matches!(err, PkiError::CountryMismatch { .. }), "{err}");

    let params = DsParams {
        subject: "CN=DS,C=KR".parse().unwrap(),
        ..params
    };
    let err = issue_ds(&mut rng, pki.csca(), &ds_key, &ds_spki, &params).unwrap_err();
    assert!(matches!(err, PkiError::KeyCertificateMismatch), "{err}");

    let backwards = DsParams {
        not_before: date(2027, 1, 1),
        not_after: date(2026, 1, 1),
        ..params.clone()
    };
    let err = issue_ds(&mut rng, pki.csca(), pki.csca_key(), &ds_spki, &backwards).unwrap_err();
    assert!(matches!(err, PkiError::InvalidValidity(_)), "{err}");

    // Without document types there is no Document Type List extension.
    let ds = issue_ds(&mut rng, pki.csca(), pki.csca_key(), &ds_spki, &params).unwrap();
    assert_eq!(extension_list(&ds).len(), 3);
    verify_cert_signature(&ds.to_der().unwrap(), pki.csca()).unwrap();

    let no_country = CscaParams {
        subject: "CN=CSCA".parse().unwrap(),
        not_before: date(2026, 1, 1),
        not_after: date(2030, 1, 1),
        private_key_usage_end: None,
    };
    let err = issue_csca(&mut rng, &ds_key, &no_country).unwrap_err();
    assert!(matches!(err, PkiError::MissingCountry(_)), "{err}");

    let pkup_outside = CscaParams {
        subject: "CN=CSCA,C=KR".parse().unwrap(),
        private_key_usage_end: Some(date(2031, 1, 1)),
        ..no_country
    };
    let err = issue_csca(&mut rng, &ds_key, &pkup_outside).unwrap_err();
    assert!(matches!(err, PkiError::InvalidValidity(_)), "{err}");
}

#[test]
fn validity_from_2050_on_is_generalized_time() {
    let mut rng = ChaCha20Rng::from_seed([2; 32]);
    let pki = TestPki::generate(
        &mut rng,
        &TestPkiOptions {
            not_before: date(2040, 6, 1),
            ..TestPkiOptions::default()
        },
    )
    .unwrap();
    let validity = pki.csca().tbs_certificate().validity();
    assert!(matches!(validity.not_before, Time::UtcTime(_)));
    assert!(matches!(validity.not_after, Time::GeneralTime(_)));
    assert_eq!(validity.not_after.to_date_time(), date(2055, 6, 1));
    let csca_der = pki.csca().to_der().unwrap();
    let ds_der = pki.document_signer().certificate().to_der().unwrap();
    verify_cert_signature(&ds_der, pki.csca()).unwrap();
    verify_cert_signature(&csca_der, pki.csca()).unwrap();
}
