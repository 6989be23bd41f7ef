//! Real-world ECDSA and explicit domain parameters: every EC certificate in
//! the staged CSCA master lists, roots, link chains and DS certificates,
//! and the brainpoolP224r1 EF.SOD of the JMRTD BSI 2008 specimen.

mod common;

use std::collections::BTreeMap;

use common::read;
use der::asn1::{AnyRef, ObjectIdentifier};
use der::referenced::OwnedToRef;
use der::{Decode, Encode, Tagged};
use mrtd_groups::ecdsa::{SignatureFormat, verify_prehash};
use mrtd_groups::{
    CurveId, EcPoint, GroupError, ID_EC_PUBLIC_KEY, curve_from_algorithm_parameters,
    ec_public_key_from_spki, identify_explicit,
};
use sha2::Digest;
use x509_cert::Certificate;

const MASTER_LISTS: [&str; 3] = [
    "pki/master-lists/DE_ML_2024-04-10-10-54-13.ml",
    "pki/master-lists/DE_ML_2026-05-28-08-28-45.ml",
    "pki/master-lists/NL_ML_2026-07-22.ml",
];

const LOOSE_CERTS: [&str; 10] = [
    "pki/master-lists/NL_ROOT_CA.cer",
    "pki/master-lists/DE_ROOT_CA_CSCA07.cer",
    "pki/dsc/ETSI_DS_0130846f2b3e.cer",
    "pki/dsc/HJP_PB_DS_0142fd5cf927.cer",
    "pki/csca-link-chain-idn/2010-12_CSCA.cer",
    "pki/csca-link-chain-idn/2016-01_CSCA.cer",
    "pki/csca-link-chain-idn/2016-01_CSCA_LINK.cer",
    "pki/csca-link-chain-idn/2020-10_CSCA_LINK.cer",
    "pki/csca-link-chain-idn/2020-10_CSCA.cer",
    "pki/csca-de-historic/csca-germany_013.cer",
];

/// The elements of a constructed DER value, as raw slices of the input.
fn children(value: &[u8]) -> Vec<&[u8]> {
    let mut reader = der::SliceReader::new(value).unwrap();
    let mut out = Vec::new();
    while !der::Reader::is_finished(&reader) {
        let start = der::Reader::position(&reader);
        let _: AnyRef<'_> = Decode::decode(&mut reader).unwrap();
        let end = der::Reader::position(&reader);
        out.push(&value[usize::try_from(start).unwrap()..usize::try_from(end).unwrap()]);
    }
    out
}

/// The content octets of a DER TLV.
fn content(tlv: &[u8]) -> &[u8] {
    AnyRef::from_der(tlv).unwrap().value()
}

/// Hash a message with the hash of an ECDSA signature algorithm OID.
fn ecdsa_digest(sig_alg: &ObjectIdentifier, msg: &[u8]) -> Option<Vec<u8>> {
    Some(match sig_alg.to_string().as_str() {
        "1.2.840.10045.4.1" => sha1::Sha1::digest(msg).to_vec(),
        "1.2.840.10045.4.3.1" => sha2::Sha224::digest(msg).to_vec(),
        "1.2.840.10045.4.3.2" => sha2::Sha256::digest(msg).to_vec(),
        "1.2.840.10045.4.3.3" => sha2::Sha384::digest(msg).to_vec(),
        "1.2.840.10045.4.3.4" => sha2::Sha512::digest(msg).to_vec(),
        _ => return None,
    })
}

fn digest_by_hash_oid(hash: &ObjectIdentifier, msg: &[u8]) -> Vec<u8> {
    match hash.to_string().as_str() {
        "1.3.14.3.2.26" => sha1::Sha1::digest(msg).to_vec(),
        "2.16.840.1.101.3.4.2.4" => sha2::Sha224::digest(msg).to_vec(),
        "2.16.840.1.101.3.4.2.1" => sha2::Sha256::digest(msg).to_vec(),
        "2.16.840.1.101.3.4.2.2" => sha2::Sha384::digest(msg).to_vec(),
        "2.16.840.1.101.3.4.2.3" => sha2::Sha512::digest(msg).to_vec(),
        other => panic!("unexpected digest algorithm {other}"),
    }
}

struct Cert {
    der: Vec<u8>,
    cert: Certificate,
    /// The EC key, if the SPKI is id-ecPublicKey.
    key: Option<EcPoint>,
    ski: Option<Vec<u8>>,
    aki: Option<Vec<u8>>,
}

impl Cert {
    fn parse(der: &[u8]) -> Self {
        let cert = Certificate::from_der(der).unwrap();
        let spki = cert.tbs_certificate().subject_public_key_info();
        let key = (spki.algorithm.oid == ID_EC_PUBLIC_KEY).then(|| {
            ec_public_key_from_spki(&spki.owned_to_ref())
                .unwrap_or_else(|e| panic!("EC key does not decode: {e}"))
        });
        let ski = cert
            .tbs_certificate()
            .get_extension::<x509_cert::ext::pkix::SubjectKeyIdentifier>()
            .ok()
            .flatten()
            .map(|(_, s)| s.0.as_bytes().to_vec());
        let aki = cert
            .tbs_certificate()
            .get_extension::<x509_cert::ext::pkix::AuthorityKeyIdentifier>()
            .ok()
            .flatten()
            .and_then(|(_, a)| a.key_identifier.map(|k| k.as_bytes().to_vec()));
        Cert {
            der: der.to_vec(),
            cert,
            key,
            ski,
            aki,
        }
    }

    /// The raw TBSCertificate bytes (never re-encoded).
    fn tbs(&self) -> &[u8] {
        children(content(&self.der))[0]
    }

    fn self_issued(&self) -> bool {
        self.cert.tbs_certificate().issuer() == self.cert.tbs_certificate().subject()
    }
}

/// Raw DER of every certificate: the master lists' CscaMasterList
/// contents, their CMS `certificates` (ML signers) and the loose files.
fn all_certificates() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for ml in MASTER_LISTS {
        let bytes = read(ml);
        let ci = cms::content_info::ContentInfo::from_der(&bytes).unwrap();
        let sd: cms::signed_data::SignedData = ci.content.decode_as().unwrap();
        for c in sd.certificates.iter().flat_map(|s| s.0.iter()) {
            if let cms::cert::CertificateChoices::Certificate(c) = c {
                out.push(c.to_der().unwrap());
            }
        }
        let econtent = sd
            .encap_content_info
            .econtent
            .unwrap()
            .decode_as::<der::asn1::OctetString>()
            .unwrap();
        // CscaMasterList ::= SEQUENCE { version INTEGER, certList SET OF Certificate }
        let list = children(content(econtent.as_bytes()));
        for cert in children(content(list[1])) {
            out.push(cert.to_vec());
        }
    }
    for f in LOOSE_CERTS {
        out.push(read(f));
    }
    out
}

#[test]
fn every_ec_certificate_identifies_and_every_ec_signature_verifies() {
    let certs: Vec<Cert> = all_certificates().iter().map(|d| Cert::parse(d)).collect();
    assert!(certs.len() > 1500, "only {} certificates", certs.len());

    // 1. Curves: every EC key identifies (explicit or named).
    let mut per_curve: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut ec = 0;
    for c in &certs {
        let spki = c.cert.tbs_certificate().subject_public_key_info();
        if spki.algorithm.oid != ID_EC_PUBLIC_KEY {
            continue;
        }
        ec += 1;
        let params = spki
            .algorithm
            .parameters
            .as_ref()
            .expect("EC parameters present");
        let curve = curve_from_algorithm_parameters(&params.into()).expect("curve identifies");
        assert_eq!(c.key.as_ref().unwrap().curve(), curve);
        let explicit = params.tag() == der::Tag::Sequence;
        if explicit {
            assert_eq!(identify_explicit(&params.to_der().unwrap()), Ok(curve));
        }
        let e = per_curve.entry(curve.name().to_string()).or_default();
        if explicit { e.0 += 1 } else { e.1 += 1 }
    }
    println!("EC keys: {ec}; per curve (explicit, named): {per_curve:?}");
    assert!(ec > 400, "only {ec} EC keys");
    for name in [
        "brainpoolP256r1",
        "brainpoolP384r1",
        "brainpoolP512r1",
        "secp256r1",
        "secp384r1",
        "secp521r1",
    ] {
        assert!(per_curve.contains_key(name), "no {name} key in the corpus");
    }

    // 2. Signatures: self-issued certificates with their own key, others
    //    with the issuer found by AKI = SKI, whenever both sides are EC.
    let by_ski: BTreeMap<&[u8], Vec<&Cert>> = certs
        .iter()
        .filter_map(|c| Some((c.ski.as_deref()?, c)))
        .fold(BTreeMap::new(), |mut m, (k, c)| {
            m.entry(k).or_default().push(c);
            m
        });
    let mut verified: BTreeMap<CurveId, usize> = BTreeMap::new();
    let mut failed = Vec::new();
    for c in &certs {
        let sig_alg = &c.cert.signature_algorithm().oid;
        let tbs = c.tbs();
        let Some(digest) = ecdsa_digest(sig_alg, tbs) else {
            continue;
        };
        let sig = c.cert.signature().as_bytes().unwrap();
        let issuers: Vec<&EcPoint> = if c.self_issued() && (c.aki.is_none() || c.aki == c.ski) {
            c.key.iter().collect()
        } else {
            c.aki
                .as_deref()
                .and_then(|aki| by_ski.get(aki))
                .into_iter()
                .flatten()
                .filter_map(|i| i.key.as_ref())
                .collect()
        };
        let Some(issuer) = issuers.first() else {
            continue;
        };
        // Several certificates may share an SKI (re-issued CSCAs): any one
        // of them verifying is success.
        match issuers
            .iter()
            .find(|k| verify_prehash(k, &digest, sig, SignatureFormat::Der).is_ok())
        {
            Some(k) => *verified.entry(k.curve()).or_default() += 1,
            None => failed.push(format!(
                "{:?} (issuer curve {})",
                c.cert.tbs_certificate().subject().to_string(),
                issuer.curve()
            )),
        }
    }
    let total: usize = verified.values().sum();
    println!("verified ECDSA signatures: {total} {verified:?}");
    assert!(
        failed.is_empty(),
        "{} signatures failed: {failed:#?}",
        failed.len()
    );
    assert!(total > 300, "only {total} signatures verified");
    for curve in [
        CurveId::BrainpoolP256r1,
        CurveId::BrainpoolP384r1,
        CurveId::BrainpoolP512r1,
        CurveId::P256,
        CurveId::P384,
        CurveId::P521,
    ] {
        assert!(
            verified.get(&curve).copied().unwrap_or(0) > 0,
            "no verified signature on {curve}"
        );
    }

    // 3. A tampered digest fails, once per curve (self-signed CSCAs).
    let mut rejected: BTreeMap<CurveId, bool> = BTreeMap::new();
    for c in &certs {
        let Some(key) = &c.key else { continue };
        if !c.self_issued() || rejected.contains_key(&key.curve()) {
            continue;
        }
        let Some(mut digest) = ecdsa_digest(&c.cert.signature_algorithm().oid, c.tbs()) else {
            continue;
        };
        let sig = c.cert.signature().as_bytes().unwrap();
        if verify_prehash(key, &digest, sig, SignatureFormat::Der).is_err() {
            continue; // not signed by its own key (e.g. a self-issued link certificate)
        }
        digest[0] ^= 0x80;
        assert_eq!(
            verify_prehash(key, &digest, sig, SignatureFormat::Der),
            Err(GroupError::InvalidSignature)
        );
        rejected.insert(key.curve(), true);
    }
    assert!(rejected.len() >= 6, "tamper check ran on {rejected:?} only");
}

#[test]
fn tampered_explicit_parameters_from_a_real_certificate_are_rejected() {
    // The German root (brainpoolP512r1, explicit parameters).
    let cert = Cert::parse(&read("pki/master-lists/DE_ROOT_CA_CSCA07.cer"));
    let spki = cert.cert.tbs_certificate().subject_public_key_info();
    let params = spki
        .algorithm
        .parameters
        .as_ref()
        .unwrap()
        .to_der()
        .unwrap();
    assert_eq!(identify_explicit(&params), Ok(CurveId::BrainpoolP512r1));
    // Flip every byte in turn: nothing but the original may identify
    // (flips inside the ignored seed, if any, are the only exception).
    let mut accepted = 0;
    for i in 0..params.len() {
        let mut bad = params.clone();
        bad[i] ^= 0x01;
        if identify_explicit(&bad).is_ok() {
            println!(
                "accepted flip at {i}: {:02x} -> {:02x}; context {:02x?}",
                params[i],
                bad[i],
                &params[i.saturating_sub(4)..(i + 4).min(params.len())]
            );
            accepted += 1;
        }
    }
    assert_eq!(accepted, 0, "a tampered parameter set was accepted");
}

#[test]
fn jmrtd_bsi2008_sod_brainpool_p224r1_ecdsa_sha1() {
    // EF.SOD = [APPLICATION 23] { ContentInfo }.
    let sod = read("lds/jmrtd-bsi2008/EF_SOD.bin");
    let ci = cms::content_info::ContentInfo::from_der(content(&sod)).unwrap();
    let sd: cms::signed_data::SignedData = ci.content.decode_as().unwrap();
    let ds = sd
        .certificates
        .iter()
        .flat_map(|s| s.0.iter())
        .find_map(|c| match c {
            cms::cert::CertificateChoices::Certificate(c) => Some(c.to_der().unwrap()),
            _ => None,
        })
        .expect("DS certificate in the SOD");
    let ds = Cert::parse(&ds);
    let key = ds.key.clone().expect("EC DS key");
    assert_eq!(key.curve(), CurveId::BrainpoolP224r1);
    let si = sd.signer_infos.0.iter().next().unwrap();
    let signed_attrs = si.signed_attrs.as_ref().unwrap().to_der().unwrap(); // SET OF, as signed
    let digest = digest_by_hash_oid(&si.digest_alg.oid, &signed_attrs);
    let sig = si.signature.as_bytes();
    verify_prehash(&key, &digest, sig, SignatureFormat::Der).unwrap();
    let mut bad = digest.clone();
    bad[3] ^= 1;
    assert_eq!(
        verify_prehash(&key, &bad, sig, SignatureFormat::Der),
        Err(GroupError::InvalidSignature)
    );
    // The same key in DG14's explicit 224-bit parameters is identified
    // too (see worked_examples.rs for DG14 itself).
    let params = ds
        .cert
        .tbs_certificate()
        .subject_public_key_info()
        .algorithm
        .parameters
        .as_ref()
        .unwrap()
        .to_der()
        .unwrap();
    assert_eq!(identify_explicit(&params), Ok(CurveId::BrainpoolP224r1));
}

#[test]
fn german_master_list_signatures_verify() {
    // The DE master lists are signed with brainpool ECDSA (explicit
    // parameters) over the CMS signed attributes.
    for ml in &MASTER_LISTS[..2] {
        let bytes = read(ml);
        let ci = cms::content_info::ContentInfo::from_der(&bytes).unwrap();
        let sd: cms::signed_data::SignedData = ci.content.decode_as().unwrap();
        let si = sd.signer_infos.0.iter().next().unwrap();
        let signed_attrs = si.signed_attrs.as_ref().unwrap().to_der().unwrap();
        let digest = digest_by_hash_oid(&si.digest_alg.oid, &signed_attrs);
        let keys: Vec<EcPoint> = sd
            .certificates
            .iter()
            .flat_map(|s| s.0.iter())
            .filter_map(|c| match c {
                cms::cert::CertificateChoices::Certificate(c) => {
                    Cert::parse(&c.to_der().unwrap()).key
                }
                _ => None,
            })
            .collect();
        assert!(
            keys.iter().any(|k| verify_prehash(
                k,
                &digest,
                si.signature.as_bytes(),
                SignatureFormat::Der
            )
            .is_ok()),
            "{ml}: master list signature does not verify with any embedded EC certificate"
        );
    }
}

#[test]
fn named_curve_spki_round_trip() {
    // A named-curve SPKI built from our own point decodes back.
    for curve in CurveId::ALL {
        let g = EcPoint::generator(curve);
        let uncompressed = g.to_sec1_uncompressed();
        let oid = curve.oid().to_der().unwrap();
        let spki = spki::SubjectPublicKeyInfoRef {
            algorithm: spki::AlgorithmIdentifierRef {
                oid: ID_EC_PUBLIC_KEY,
                parameters: Some(AnyRef::try_from(oid.as_slice()).unwrap()),
            },
            subject_public_key: der::asn1::BitStringRef::from_bytes(&uncompressed).unwrap(),
        };
        assert_eq!(ec_public_key_from_spki(&spki).unwrap(), g);
        let compressed = g.to_sec1_compressed();
        let spki = spki::SubjectPublicKeyInfoRef {
            subject_public_key: der::asn1::BitStringRef::from_bytes(&compressed).unwrap(),
            ..spki
        };
        assert_eq!(ec_public_key_from_spki(&spki).unwrap(), g);
    }
}
