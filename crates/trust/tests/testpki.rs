//! The project's own test PKI (`mrtd_pki::TestPki::embedded`, issuing
//! state KOR / country KR) and the virtual passport it signs: a complete
//! chain to a trust anchor, so `valid` is reachable; and CRLs made with the
//! test CSCA key.

mod common;

use std::collections::BTreeMap;

use der::{Decode, Encode};
use mrtd_lds::{DgNumber, EfId};
use mrtd_pki::TestPki;
use mrtd_trust::{
    CheckStatus, CrlStatus, PaInputs, PaReport, Policy, Timestamp, TrustStore, Verdict,
    passive_authentication, verify_files,
};
use x509_cert::crl::{CertificateList, RevokedCert, TbsCertList};
use x509_cert::time::Time;

fn at(s: &str) -> Timestamp {
    Timestamp::parse(s).unwrap()
}

fn passport() -> BTreeMap<EfId, Vec<u8>> {
    mrtd_sim::personalise::default_passport().files().clone()
}

fn store_with_csca() -> TrustStore {
    let pki = TestPki::embedded();
    let mut store = TrustStore::new();
    let r = store.import(&pki.csca().to_der().unwrap(), "test CSCA");
    assert_eq!(r.imported(), 1, "{r:#?}");
    store
}

fn dgs(files: &BTreeMap<EfId, Vec<u8>>) -> BTreeMap<DgNumber, Vec<u8>> {
    files
        .iter()
        .filter_map(|(e, b)| match e {
            EfId::Dg(n) => Some((*n, b.clone())),
            _ => None,
        })
        .collect()
}

fn pa_with(
    files: &BTreeMap<EfId, Vec<u8>>,
    store: &TrustStore,
    when: &str,
    state: Option<&str>,
) -> PaReport {
    passive_authentication(&PaInputs {
        sod: &files[&EfId::Sod],
        data_groups: &dgs(files),
        issuing_state: state,
        store,
        at: at(when),
        policy: &Policy::default(),
    })
}

fn status(r: &PaReport, id: &str) -> CheckStatus {
    r.check(id)
        .unwrap_or_else(|| panic!("no check {id}: {r:#?}"))
        .status
}

#[test]
fn the_virtual_passport_is_valid_with_its_csca_in_the_store() {
    let store = store_with_csca();
    let r = verify_files(&passport(), &store, at("2027-01-01"), &Policy::default());
    assert_eq!(r.verdict, Verdict::Valid, "{r:#?}");
    for c in &r.checks.0 {
        assert!(
            matches!(c.status, CheckStatus::Pass | CheckStatus::NotChecked),
            "{} {} {}",
            c.id,
            c.status,
            c.reason
        );
    }
    for id in [
        "sod.signature",
        "ds.signature",
        "ds.chain",
        "ds.validity",
        "ds.key-usage",
        "csca.trust",
        "csca.validity",
        "csca.constraints",
        "issuer.country",
        "algorithm.policy",
        "dg.hash.DG1",
        "dg.hash.DG2",
    ] {
        assert_eq!(status(&r, id), CheckStatus::Pass, "{id}");
    }
    assert_eq!(status(&r, "ds.revocation"), CheckStatus::NotChecked);
    assert_eq!(r.issuing_state.as_deref(), Some("KOR"));
    assert_eq!(r.csca_path.len(), 1);
}

#[test]
fn without_its_csca_the_verdict_is_unknown() {
    let r = verify_files(
        &passport(),
        &TrustStore::new(),
        at("2027-01-01"),
        &Policy::default(),
    );
    assert_eq!(r.verdict, Verdict::Unknown, "{:?}", r.failed());
    assert_eq!(status(&r, "csca.trust"), CheckStatus::NotChecked);
    assert_eq!(status(&r, "sod.signature"), CheckStatus::Pass);
    // The DS country still binds the issuing state.
    assert_eq!(status(&r, "issuer.country"), CheckStatus::Pass);
}

#[test]
fn an_issuing_state_of_another_country_fails() {
    let store = store_with_csca();
    let files = passport();
    for state in ["D", "UTO", "GBR"] {
        let r = pa_with(&files, &store, "2027-01-01", Some(state));
        assert_eq!(status(&r, "issuer.country"), CheckStatus::Fail, "{state}");
        assert_eq!(r.verdict, Verdict::Invalid);
    }
    let r = pa_with(&files, &store, "2027-01-01", Some("KOR"));
    assert_eq!(r.verdict, Verdict::Valid);
}

#[test]
fn a_tampered_dg_fails_its_hash() {
    let store = store_with_csca();
    let mut files = passport();
    let dg2 = files.get_mut(&EfId::Dg(DgNumber::new(2).unwrap())).unwrap();
    let n = dg2.len();
    dg2[n - 1] ^= 0x01;
    let r = pa_with(&files, &store, "2027-01-01", None);
    assert_eq!(status(&r, "dg.hash.DG2"), CheckStatus::Fail);
    assert_eq!(status(&r, "dg.hash.DG1"), CheckStatus::Pass);
    assert_eq!(r.verdict, Verdict::Invalid);
}

#[test]
fn validity_windows_are_enforced() {
    let store = store_with_csca();
    let files = passport();
    // DS valid 2026-01-01 .. 2036-01-01, CSCA .. 2041-01-01.
    let r = pa_with(&files, &store, "2025-06-01", None);
    assert_eq!(status(&r, "ds.validity"), CheckStatus::Fail);
    assert_eq!(status(&r, "csca.validity"), CheckStatus::Fail);
    let r = pa_with(&files, &store, "2037-01-01", None);
    assert_eq!(status(&r, "ds.validity"), CheckStatus::Fail);
    assert_eq!(status(&r, "csca.validity"), CheckStatus::Pass);
    let r = pa_with(&files, &store, "2042-01-01", None);
    assert_eq!(status(&r, "csca.validity"), CheckStatus::Fail);
    let lenient = Policy {
        lenient_ds_validity: true,
        ..Policy::default()
    };
    let r = passive_authentication(&PaInputs {
        sod: &files[&EfId::Sod],
        data_groups: &dgs(&files),
        issuing_state: None,
        store: &store,
        at: at("2037-01-01"),
        policy: &lenient,
    });
    assert_eq!(status(&r, "ds.validity"), CheckStatus::Warn);
    assert_eq!(r.verdict, Verdict::Valid);
}

/// A CRL of the test CSCA, signed with `key` (the CSCA key, or another).
fn crl(revoked: &[&[u8]], this: &str, next: &str, key: &mrtd_pki::SigningKey) -> Vec<u8> {
    let pki = TestPki::embedded();
    let time = |s: &str| Time::from(at(s).to_der_datetime().unwrap());
    let tbs: TbsCertList = TbsCertList {
        version: x509_cert::Version::V2,
        signature: key.signature_algorithm(),
        issuer: pki.csca().tbs_certificate().subject().clone(),
        this_update: time(this),
        next_update: Some(time(next)),
        revoked_certificates: (!revoked.is_empty()).then(|| {
            revoked
                .iter()
                .map(|s| RevokedCert {
                    serial_number: x509_cert::serial_number::SerialNumber::new(s).unwrap(),
                    revocation_date: time(this),
                    crl_entry_extensions: None,
                })
                .collect()
        }),
        crl_extensions: None,
    };
    let tbs_der = tbs.to_der().unwrap();
    let sig = key.sign(&tbs_der).unwrap();
    CertificateList {
        tbs_cert_list: tbs,
        signature_algorithm: key.signature_algorithm(),
        signature: der::asn1::BitString::from_bytes(&sig).unwrap(),
    }
    .to_der()
    .unwrap()
}

fn ds_serial() -> Vec<u8> {
    TestPki::embedded()
        .document_signer()
        .certificate()
        .tbs_certificate()
        .serial_number()
        .as_bytes()
        .to_vec()
}

#[test]
fn a_crl_revoking_the_ds_fails_revocation() {
    let pki = TestPki::embedded();
    let mut store = store_with_csca();
    let der = crl(&[&ds_serial()], "2026-06-01", "2026-09-01", pki.csca_key());
    let report = store.import(&der, "revoking.crl");
    assert_eq!(report.imported(), 1, "{report:#?}");
    assert!(matches!(
        store.crls().next().unwrap().status,
        CrlStatus::Verified { .. }
    ));
    let r = pa_with(&passport(), &store, "2026-07-01", None);
    assert_eq!(status(&r, "ds.revocation"), CheckStatus::Fail, "{r:#?}");
    assert_eq!(r.verdict, Verdict::Invalid);
}

#[test]
fn a_current_crl_passes_and_a_stale_one_warns() {
    let pki = TestPki::embedded();
    let mut store = store_with_csca();
    store.import(
        &crl(&[&[0x42]], "2026-06-01", "2026-09-01", pki.csca_key()),
        "other.crl",
    );
    let r = pa_with(&passport(), &store, "2026-07-01", None);
    assert_eq!(status(&r, "ds.revocation"), CheckStatus::Pass, "{r:#?}");
    assert_eq!(r.verdict, Verdict::Valid);
    let r = pa_with(&passport(), &store, "2027-01-01", None);
    assert_eq!(status(&r, "ds.revocation"), CheckStatus::Warn);
    assert_eq!(r.verdict, Verdict::Valid);
}

#[test]
fn a_crl_not_signed_by_the_csca_fails_revocation() {
    let mut rng = <rand::rngs::ChaCha20Rng as rand::SeedableRng>::from_seed([7; 32]);
    let other = mrtd_pki::SigningKey::generate(mrtd_pki::KeyAlgorithm::EcdsaP256, &mut rng);
    let mut store = store_with_csca();
    let report = store.import(&crl(&[], "2026-06-01", "2026-09-01", &other), "forged.crl");
    assert!(
        matches!(
            store.crls().next().unwrap().status,
            CrlStatus::Invalid { .. }
        ),
        "{report:#?}"
    );
    let r = pa_with(&passport(), &store, "2026-07-01", None);
    assert_eq!(status(&r, "ds.revocation"), CheckStatus::Fail);
}

#[test]
fn a_crl_imported_before_its_csca_is_verified_when_the_csca_arrives() {
    let pki = TestPki::embedded();
    let mut store = TrustStore::new();
    store.import(
        &crl(&[], "2026-06-01", "2026-09-01", pki.csca_key()),
        "early.crl",
    );
    assert_eq!(store.crls().next().unwrap().status, CrlStatus::Unverified);
    store.import(&pki.csca().to_der().unwrap(), "csca");
    assert!(matches!(
        store.crls().next().unwrap().status,
        CrlStatus::Verified { .. }
    ));
}

#[test]
fn a_ds_signed_by_another_key_under_the_csca_name_fails_ds_signature() {
    // A CSCA with the same subject but another key: the genuine DS does
    // not verify with it.
    let mut rng = <rand::rngs::ChaCha20Rng as rand::SeedableRng>::from_seed([9; 32]);
    let other = TestPki::generate(&mut rng, &mrtd_pki::testpki::TestPkiOptions::default()).unwrap();
    let mut store = TrustStore::new();
    store.import(&other.csca().to_der().unwrap(), "impostor CSCA");
    let r = verify_files(&passport(), &store, at("2027-01-01"), &Policy::default());
    assert_eq!(status(&r, "ds.signature"), CheckStatus::Fail, "{r:#?}");
    assert_eq!(r.verdict, Verdict::Invalid);
}

#[test]
fn import_merges_duplicates_and_reads_pem() {
    let pki = TestPki::embedded();
    let der = pki.csca().to_der().unwrap();
    let pem = der::pem::encode_string("CERTIFICATE", der::pem::LineEnding::LF, &der).unwrap();
    let mut store = TrustStore::new();
    assert_eq!(store.import(&der, "a.der").imported(), 1);
    let r = store.import(pem.as_bytes(), "a.pem");
    assert_eq!(r.format, "PEM");
    assert_eq!(r.merged(), 1);
    assert_eq!(store.certificates().count(), 1);
    assert_eq!(
        store.certificates().next().unwrap().sources,
        ["a.der", "a.pem"]
    );
    let r = store.import(b"hello", "junk");
    assert_eq!(r.rejected(), 1);
    // A CSCA whose self-signature is broken is refused.
    let mut bad = der.clone();
    let n = bad.len();
    bad[n - 5] ^= 1;
    let mut s2 = TrustStore::new();
    let r = s2.import(&bad, "bad");
    assert_eq!(r.rejected(), 1, "{r:#?}");
}

#[test]
fn ldif_with_a_dsc_and_a_crl_imports_both() {
    let pki = TestPki::embedded();
    let b64 = |b: &[u8]| <base64ct::Base64 as base64ct::Encoding>::encode_string(b);
    let ds = pki.document_signer().certificate().to_der().unwrap();
    let c = crl(&[], "2026-06-01", "2026-09-01", pki.csca_key());
    let ldif = format!(
        "version: 1\n\ndn: cn=ds,o=dsc,c=KR,dc=data\nobjectClass: pkdDownload\nuserCertificate;binary:: {}\n\ndn: cn=crl,o=crl,c=KR,dc=data\ncertificateRevocationList;binary:: {}\n",
        b64(&ds),
        b64(&c)
    );
    let mut store = store_with_csca();
    let r = store.import(ldif.as_bytes(), "pkd.ldif");
    assert_eq!(r.format, "ICAO PKD LDIF");
    assert_eq!(r.imported(), 2, "{r:#?}");
    assert!(r.items.iter().any(|i| i.kind == "ds"));
    assert!(matches!(
        store.crls().next().unwrap().status,
        CrlStatus::Verified { .. }
    ));
    let _ = x509_cert::Certificate::from_der(&ds).unwrap();
}
