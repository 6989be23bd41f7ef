//! EF.SOD signing: structure (Doc 9303-10 §4.6.2), messageDigest, and the
//! signature over the signed attributes exactly as emitted.

mod common;

use cms::cert::CertificateChoices;
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{SignedData, SignerIdentifier};
use const_oid::db::{rfc5911, rfc5912};
use der::asn1::{ObjectIdentifier, OctetString};
use der::{Decode, Encode, Sequence};
use mrtd_pki::{EF_SOD_TAG, PkiError, TestPki, sign_sod};
use p256::ecdsa::signature::Verifier;
use p256::ecdsa::{DerSignature, VerifyingKey};
use proptest::prelude::*;
use sha2::{Digest, Sha256};
use spki::AlgorithmIdentifierOwned;

const ID_LDS_SECURITY_OBJECT: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.23.136.1.1.1");

/// Doc 9303-10 §4.6.2.3, enough of it to make realistic eContent.
#[derive(Sequence)]
struct LdsSecurityObject {
    version: u8,
    hash_algorithm: AlgorithmIdentifierOwned,
    data_group_hash_values: Vec<DataGroupHash>,
}

#[derive(Sequence)]
struct DataGroupHash {
    data_group_number: u8,
    data_group_hash_value: OctetString,
}

fn econtent() -> Vec<u8> {
    LdsSecurityObject {
        version: 0,
        hash_algorithm: AlgorithmIdentifierOwned {
            oid: rfc5912::ID_SHA_256,
            parameters: None,
        },
        data_group_hash_values: [1u8, 2]
            .iter()
            .map(|&dg| DataGroupHash {
                data_group_number: dg,
                data_group_hash_value: OctetString::new(Sha256::digest([dg; 100]).to_vec())
                    .unwrap(),
            })
            .collect(),
    }
    .to_der()
    .unwrap()
}

/// The parts of an EF.SOD a verifier needs, each taken from the raw bytes.
struct RawSod<'a> {
    /// ContentInfo (inside the 0x77 wrapper).
    content_info: &'a [u8],
    /// Value of the eContent OCTET STRING.
    econtent: &'a [u8],
    /// signedAttrs as found in the file (tag [0] = 0xA0).
    signed_attrs: &'a [u8],
    /// Value of the signature OCTET STRING.
    signature: &'a [u8],
}

fn raw_parts(sod: &[u8]) -> RawSod<'_> {
    assert_eq!(sod[0], EF_SOD_TAG);
    let content_info = common::value(sod);
    let ci = common::children(content_info);
    assert_eq!(ci.len(), 2);
    let signed_data = common::value(ci[1]); // [0] EXPLICIT
    let sd = common::children(signed_data);
    // version, digestAlgorithms, encapContentInfo, [0] certificates, signerInfos
    assert_eq!(sd.len(), 5);
    let encap = common::children(sd[2]);
    let econtent = common::value(common::value(encap[1])); // [0] EXPLICIT OCTET STRING
    let signer_infos = common::children(sd[4]);
    assert_eq!(signer_infos.len(), 1);
    let si = common::children(signer_infos[0]);
    // version, sid, digestAlgorithm, [0] signedAttrs, signatureAlgorithm, signature
    assert_eq!(si.len(), 6);
    assert_eq!(si[3][0], 0xA0);
    assert_eq!(si[5][0], 0x04);
    RawSod {
        content_info,
        econtent,
        signed_attrs: si[3],
        signature: common::value(si[5]),
    }
}

/// RFC 5652 §5.4: the signature is over the signed attributes with the
/// EXPLICIT SET OF tag (0x31) in place of the [0] IMPLICIT tag.
fn signed_attrs_as_set(raw: &RawSod<'_>) -> Vec<u8> {
    let mut set = raw.signed_attrs.to_vec();
    set[0] = 0x31;
    set
}

fn ds_verifying_key(pki: &TestPki) -> VerifyingKey {
    let spki = pki
        .document_signer()
        .certificate()
        .tbs_certificate()
        .subject_public_key_info()
        .to_der()
        .unwrap();
    VerifyingKey::try_from(spki::SubjectPublicKeyInfoRef::from_der(&spki).unwrap()).unwrap()
}

fn verify_signature(pki: &TestPki, sod: &[u8]) -> bool {
    let raw = raw_parts(sod);
    let Ok(sig) = DerSignature::try_from(raw.signature) else {
        return false;
    };
    ds_verifying_key(pki)
        .verify(&signed_attrs_as_set(&raw), &sig)
        .is_ok()
}

/// messageDigest from the parsed signed attributes.
fn message_digest(sod: &[u8]) -> Vec<u8> {
    let sd = parse(sod);
    let si = sd.signer_infos.0.get(0).unwrap();
    let attrs = si.signed_attrs.as_ref().unwrap();
    let md = attrs
        .iter()
        .find(|a| a.oid == rfc5911::ID_MESSAGE_DIGEST)
        .unwrap();
    assert_eq!(md.values.len(), 1);
    md.values
        .get(0)
        .unwrap()
        .decode_as::<OctetString>()
        .unwrap()
        .as_bytes()
        .to_vec()
}

fn parse(sod: &[u8]) -> SignedData {
    let ci = ContentInfo::from_der(common::value(sod)).unwrap();
    assert_eq!(ci.content_type, rfc5911::ID_SIGNED_DATA);
    ci.content.decode_as::<SignedData>().unwrap()
}

#[test]
fn structure_follows_doc9303_10() {
    let pki = TestPki::embedded();
    let econtent = econtent();
    let sod = sign_sod(&econtent, pki.document_signer()).unwrap();
    assert_eq!(sod[0], 0x77);

    let sd = parse(&sod);
    assert_eq!(sd.version, CmsVersion::V3);
    let sha256 = AlgorithmIdentifierOwned {
        oid: rfc5912::ID_SHA_256,
        parameters: None,
    };
    assert_eq!(
        sd.digest_algorithms.as_slice(),
        std::slice::from_ref(&sha256)
    );
    assert_eq!(sd.encap_content_info.econtent_type, ID_LDS_SECURITY_OBJECT);
    let econtent_any = sd.encap_content_info.econtent.as_ref().unwrap();
    assert_eq!(
        econtent_any.decode_as::<OctetString>().unwrap().as_bytes(),
        econtent
    );
    assert!(sd.crls.is_none());

    let certs = sd.certificates.as_ref().unwrap().0.as_slice();
    assert_eq!(certs.len(), 1);
    let CertificateChoices::Certificate(cert) = &certs[0] else {
        panic!("certificate choice must be a plain X.509 certificate");
    };
    assert_eq!(cert, pki.document_signer().certificate());

    let infos = sd.signer_infos.0.as_slice();
    assert_eq!(infos.len(), 1);
    let si = &infos[0];
    assert_eq!(si.version, CmsVersion::V1);
    let SignerIdentifier::IssuerAndSerialNumber(isn) = &si.sid else {
        panic!("sid must be issuerAndSerialNumber");
    };
    let ds_tbs = pki.document_signer().certificate().tbs_certificate();
    assert_eq!(&isn.issuer, ds_tbs.issuer());
    assert_eq!(&isn.serial_number, ds_tbs.serial_number());
    assert_eq!(si.digest_alg, sha256);
    assert_eq!(si.signature_algorithm.oid, rfc5912::ECDSA_WITH_SHA_256);
    assert_eq!(si.signature_algorithm.parameters, None);
    assert!(si.unsigned_attrs.is_none());

    let attrs = si.signed_attrs.as_ref().unwrap();
    let oids: Vec<_> = attrs.iter().map(|a| a.oid).collect();
    assert_eq!(oids.len(), 2);
    assert!(oids.contains(&rfc5911::ID_CONTENT_TYPE));
    assert!(oids.contains(&rfc5911::ID_MESSAGE_DIGEST));
    let ct = attrs
        .iter()
        .find(|a| a.oid == rfc5911::ID_CONTENT_TYPE)
        .unwrap();
    assert_eq!(ct.values.len(), 1);
    assert_eq!(
        ct.values
            .get(0)
            .unwrap()
            .decode_as::<ObjectIdentifier>()
            .unwrap(),
        ID_LDS_SECURITY_OBJECT
    );
    assert_eq!(message_digest(&sod), Sha256::digest(&econtent).to_vec());

    // The file is exactly one TLV, and the DER decoder re-encodes it
    // identically (no sorting surprises in any SET OF).
    let raw = raw_parts(&sod);
    assert_eq!(raw.econtent, econtent);
    assert_eq!(
        ContentInfo::from_der(raw.content_info)
            .unwrap()
            .to_der()
            .unwrap(),
        raw.content_info
    );
}

#[test]
fn signature_verifies_over_emitted_signed_attributes() {
    let pki = TestPki::embedded();
    let sod = sign_sod(&econtent(), pki.document_signer()).unwrap();
    assert!(verify_signature(&pki, &sod));
    // And not with the CSCA key.
    let raw = raw_parts(&sod);
    let csca_spki = pki
        .csca()
        .tbs_certificate()
        .subject_public_key_info()
        .to_der()
        .unwrap();
    let csca_key =
        VerifyingKey::try_from(spki::SubjectPublicKeyInfoRef::from_der(&csca_spki).unwrap())
            .unwrap();
    let sig = DerSignature::try_from(raw.signature).unwrap();
    assert!(csca_key.verify(&signed_attrs_as_set(&raw), &sig).is_err());
}

#[test]
fn flipped_econtent_byte_breaks_the_digest() {
    let pki = TestPki::embedded();
    let econtent = econtent();
    let mut sod = sign_sod(&econtent, pki.document_signer()).unwrap();
    let at = {
        let raw = raw_parts(&sod);
        common::offset_in(&sod, raw.econtent) + raw.econtent.len() - 1
    };
    sod[at] ^= 0x01;
    let raw = raw_parts(&sod);
    assert_ne!(Sha256::digest(raw.econtent).to_vec(), message_digest(&sod));
    // The signed attributes are untouched, so the signature alone still
    // verifies: the digest comparison is what catches this.
    assert!(verify_signature(&pki, &sod));
}

#[test]
fn flipped_signature_byte_breaks_the_signature() {
    let pki = TestPki::embedded();
    let sod = sign_sod(&econtent(), pki.document_signer()).unwrap();
    let raw = raw_parts(&sod);
    let start = common::offset_in(&sod, raw.signature);
    let len = raw.signature.len();
    // Flip a byte of r's and of s's value (last byte of each INTEGER sits
    // before the next header / at the end), and one in the middle.
    for at in [start + 10, start + len / 2 + 3, start + len - 1] {
        let mut bad = sod.clone();
        bad[at] ^= 0x01;
        assert!(
            !verify_signature(&pki, &bad),
            "flip at signature byte {}",
            at - start
        );
    }
}

#[test]
fn flipped_signed_attribute_byte_breaks_the_signature() {
    let pki = TestPki::embedded();
    let mut sod = sign_sod(&econtent(), pki.document_signer()).unwrap();
    let at = {
        let raw = raw_parts(&sod);
        common::offset_in(&sod, raw.signed_attrs) + raw.signed_attrs.len() - 1
    };
    sod[at] ^= 0x80; // last byte of the messageDigest value
    assert!(!verify_signature(&pki, &sod));
}

#[test]
fn signing_is_deterministic() {
    let pki = TestPki::embedded();
    let a = sign_sod(&econtent(), pki.document_signer()).unwrap();
    let b = sign_sod(&econtent(), pki.document_signer()).unwrap();
    assert_eq!(a, b);
}

#[test]
fn rejects_econtent_that_is_not_one_sequence() {
    let pki = TestPki::embedded();
    let signer = pki.document_signer();
    let mut trailing = econtent();
    trailing.push(0);
    for bad in [
        &b""[..],
        b"\x04\x01\x00",     // OCTET STRING
        b"\x30\x05\x02\x01", // truncated
        &trailing,
    ] {
        let err = sign_sod(bad, signer).unwrap_err();
        assert!(matches!(err, PkiError::InvalidEContent(_)), "{err}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Arbitrary SEQUENCE contents sign and verify; arbitrary bytes never
    /// panic.
    #[test]
    fn any_sequence_signs_and_verifies(body in proptest::collection::vec(any::<u8>(), 0..600)) {
        let pki = TestPki::embedded();
        let econtent = der::asn1::Any::new(der::Tag::Sequence, body.clone())
            .unwrap()
            .to_der()
            .unwrap();
        let sod = sign_sod(&econtent, pki.document_signer()).unwrap();
        prop_assert_eq!(raw_parts(&sod).econtent, &econtent[..]);
        prop_assert_eq!(message_digest(&sod), Sha256::digest(&econtent).to_vec());
        prop_assert!(verify_signature(&pki, &sod));
        let _ = sign_sod(&body, pki.document_signer());
    }
}
