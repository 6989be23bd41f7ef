//! The public corpus: master lists, the Indonesian link chain, the
//! specimen EF.SODs and their negative variants.

mod common;

use std::collections::BTreeMap;

use mrtd_lds::DgNumber;
use mrtd_trust::masterlist::CscaMasterList;
use mrtd_trust::{
    CertRole, CertificateInfo, CheckStatus, ImportOptions, ImportOutcome, PaInputs, PaReport,
    Policy, RustCryptoVerifier, Timestamp, TrustStore, Verdict, certificate_path,
    passive_authentication,
};

fn at(s: &str) -> Timestamp {
    Timestamp::parse(s).unwrap()
}

/// The number of certificates in a master list, counted independently of
/// the store.
fn list_len(bytes: &[u8]) -> usize {
    let obj = mrtd_trust::cms::SignedObject::parse(bytes).unwrap();
    CscaMasterList::parse(obj.econtent.unwrap())
        .unwrap()
        .certificates
        .len()
}

fn import_list(file: &str, roots: &[&str]) -> (TrustStore, mrtd_trust::ImportReport) {
    let bytes = common::read(file);
    let options = ImportOptions {
        roots: roots
            .iter()
            .map(|r| CertificateInfo::from_der(&common::read(r)).unwrap())
            .collect(),
    };
    let mut store = TrustStore::new();
    let report = store.import_with(&bytes, file, &options, &RustCryptoVerifier);
    (store, report)
}

#[test]
fn master_lists_import_with_verified_signatures_and_every_certificate() {
    for (file, root, expected) in [
        ("pki/master-lists/DE_ML_2024-04-10-10-54-13.ml", None, 526),
        (
            "pki/master-lists/DE_ML_2026-05-28-08-28-45.ml",
            Some("pki/master-lists/DE_ROOT_CA_CSCA07.cer"),
            588,
        ),
        (
            "pki/master-lists/NL_ML_2026-07-22.ml",
            Some("pki/master-lists/NL_ROOT_CA.cer"),
            411,
        ),
    ] {
        let bytes = common::read(file);
        assert_eq!(list_len(&bytes), expected, "{file}: PROVENANCE count");
        let roots: Vec<&str> = root.into_iter().collect();
        let (store, report) = import_list(file, &roots);
        assert_eq!(report.rejected(), 0, "{file}: {report:#?}");
        let verified = report
            .notes
            .iter()
            .any(|n| n.starts_with("CMS signature verified"));
        assert!(verified, "{file}: {:?}", report.notes);
        if root.is_some() {
            assert!(
                report.notes.iter().any(|n| n.contains("given root")),
                "{file}: {:?}",
                report.notes
            );
        }
        let entries = report
            .items
            .iter()
            .filter(|i| i.kind == "csca" || i.kind == "link")
            .filter(|i| matches!(i.outcome, ImportOutcome::Imported | ImportOutcome::Merged))
            .count();
        assert_eq!(
            entries, expected,
            "{file}: every certificate of the list imported or merged"
        );
        let in_store = store
            .certificates()
            .filter(|c| matches!(c.role, CertRole::Csca | CertRole::Link))
            .count();
        assert_eq!(
            in_store + report.merged(),
            expected,
            "{file}: duplicates merged"
        );
        assert!(store.anchor_count() > 100, "{file}");
        assert_eq!(store.lists().count(), 1);
        // The store is indexed by country.
        assert!(store.countries().len() > 50, "{file}");
        assert!(store.by_country("NL").count() > 0, "{file}");
    }
}

#[test]
fn the_german_list_needs_explicit_parameter_brainpool_and_verifies_against_its_root() {
    let (_, report) = import_list(
        "pki/master-lists/DE_ML_2026-05-28-08-28-45.ml",
        &["pki/master-lists/DE_ROOT_CA_CSCA07.cer"],
    );
    assert!(
        report.notes.iter().any(|n| n.contains("csca-germany")),
        "{:?}",
        report.notes
    );
    // Negative control: the Dutch root did not sign the German signer.
    let (_, report) = import_list(
        "pki/master-lists/DE_ML_2026-05-28-08-28-45.ml",
        &["pki/master-lists/NL_ROOT_CA.cer"],
    );
    assert_eq!(report.imported(), 0);
    assert!(matches!(
        report.items.last().unwrap().outcome,
        ImportOutcome::Rejected { .. }
    ));
}

#[test]
fn a_tampered_master_list_is_rejected() {
    let mut bytes = common::read("pki/master-lists/NL_ML_2026-07-22.ml");
    // A byte inside some certificate of the list: the message digest breaks.
    let i = bytes.len() / 2;
    bytes[i] ^= 0x01;
    let mut store = TrustStore::new();
    let report = store.import(&bytes, "tampered");
    assert_eq!(store.certificates().count(), 0, "{report:#?}");
    assert!(report.rejected() > 0);
}

#[test]
fn the_indonesian_link_chain_validates_and_a_broken_link_fails() {
    let dir = "pki/csca-link-chain-idn";
    let mut store = TrustStore::new();
    for f in [
        "2010-12_CSCA.cer",
        "2016-01_CSCA_LINK.cer",
        "2020-10_CSCA_LINK.cer",
    ] {
        let r = store.import(&common::read(&format!("{dir}/{f}")), f);
        assert_eq!(r.rejected(), 0, "{r:#?}");
    }
    let roles: BTreeMap<String, CertRole> = store
        .certificates()
        .map(|c| (c.sources[0].clone(), c.role))
        .collect();
    assert_eq!(roles["2010-12_CSCA.cer"], CertRole::Csca);
    assert_eq!(roles["2016-01_CSCA_LINK.cer"], CertRole::Link);
    assert_eq!(roles["2020-10_CSCA_LINK.cer"], CertRole::Link);
    let when = at("2020-12-01");

    // The 2020 CSCA key, certified by the 2016 key, certified by the 2010 anchor.
    let link2020 =
        CertificateInfo::from_der(&common::read(&format!("{dir}/2020-10_CSCA_LINK.cer"))).unwrap();
    let path = certificate_path(&link2020, &store, when, &RustCryptoVerifier).unwrap();
    let subjects: Vec<String> = path.iter().map(|c| c.not_before.to_string()).collect();
    assert_eq!(path.len(), 2, "{subjects:?}");
    assert_eq!(
        store.by_fingerprint(&path[1].fingerprint).unwrap().role,
        CertRole::Csca
    );
    // The 2020 self-signed certificate chains too (same key as the link).
    let self2020 =
        CertificateInfo::from_der(&common::read(&format!("{dir}/2020-10_CSCA.cer"))).unwrap();
    assert_eq!(self2020.spki, link2020.spki);

    // A link certificate whose signature was tampered with fails.
    let mut bad = common::read(&format!("{dir}/2020-10_CSCA_LINK.cer"));
    let n = bad.len();
    bad[n - 10] ^= 0x40;
    let bad = CertificateInfo::from_der(&bad).unwrap();
    assert!(certificate_path(&bad, &store, when, &RustCryptoVerifier).is_err());

    // Without the 2016 link the 2020 key does not reach the 2010 anchor.
    let mut partial = TrustStore::new();
    partial.import(&common::read(&format!("{dir}/2010-12_CSCA.cer")), "2010");
    partial.import(
        &common::read(&format!("{dir}/2020-10_CSCA_LINK.cer")),
        "2020 link",
    );
    let e = certificate_path(&link2020, &partial, when, &RustCryptoVerifier).unwrap_err();
    assert!(e.contains("no certificate of the issuer"), "{e}");

    // The 2016 link presented as if issued by the 2020 key (wrong CSCA) fails.
    let link2016 =
        CertificateInfo::from_der(&common::read(&format!("{dir}/2016-01_CSCA_LINK.cer"))).unwrap();
    let mut only2020 = TrustStore::new();
    only2020.import(&common::read(&format!("{dir}/2020-10_CSCA.cer")), "2020");
    assert!(certificate_path(&link2016, &only2020, when, &RustCryptoVerifier).is_err());
}

struct Specimen {
    dir: &'static str,
    dgs: &'static [(u8, &'static str)],
    at: &'static str,
}

const SPECIMENS: [Specimen; 4] = [
    Specimen {
        dir: "lds/bsi-tr03105-5-reference-dataset",
        dgs: &[
            (1, "Datagroup1.bin"),
            (2, "Datagroup2.bin"),
            (3, "Datagroup3.bin"),
            (4, "Datagroup4.bin"),
            (14, "Datagroup14.bin"),
        ],
        at: "2014-06-01",
    },
    Specimen {
        dir: "lds/jmrtd-bsi2008",
        dgs: &[
            (1, "Datagroup1.bin"),
            (2, "Datagroup2.bin"),
            (3, "Datagroup3.bin"),
            (14, "Datagroup14.bin"),
        ],
        at: "2008-06-01",
    },
    Specimen {
        dir: "lds/nl-specimen-2006-jmrtd-loes2006",
        dgs: &[(1, "DG1.bin"), (2, "DG2.bin"), (15, "DG15.bin")],
        at: "2007-01-01",
    },
    Specimen {
        dir: "lds/etsi-eacaa-prototype",
        dgs: &[
            (1, "DG1.bin"),
            (14, "DG14.bin"),
            (15, "DG15.bin"),
            (2, "../bsi-tr03105-5-reference-dataset/Datagroup2.bin"),
            (3, "../bsi-tr03105-5-reference-dataset/Datagroup3.bin"),
            (4, "../bsi-tr03105-5-reference-dataset/Datagroup4.bin"),
        ],
        at: "2012-01-01",
    },
];

fn pa(sod: &[u8], dgs: &BTreeMap<DgNumber, Vec<u8>>, store: &TrustStore, when: &str) -> PaReport {
    passive_authentication(&PaInputs {
        sod,
        data_groups: dgs,
        issuing_state: None,
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
fn specimen_sods_verify_signature_and_every_dg_hash_with_the_embedded_ds() {
    let store = TrustStore::new();
    for s in &SPECIMENS {
        let sod = common::read(&format!("{}/EF_SOD.bin", s.dir));
        let dgs = common::data_groups(s.dir, s.dgs);
        let r = pa(&sod, &dgs, &store, s.at);
        for id in [
            "sod.structure",
            "sod.signer",
            "sod.signed-attributes",
            "sod.message-digest",
            "sod.signature",
            "ds.validity",
        ] {
            assert_eq!(status(&r, id), CheckStatus::Pass, "{} {id}: {r:#?}", s.dir);
        }
        for (n, _) in s.dgs {
            assert_eq!(
                status(&r, &format!("dg.hash.DG{n}")),
                CheckStatus::Pass,
                "{} DG{n}",
                s.dir
            );
        }
        assert_eq!(
            status(&r, "csca.trust"),
            CheckStatus::NotChecked,
            "{}",
            s.dir
        );
        assert_eq!(
            status(&r, "issuer.country"),
            CheckStatus::Pass,
            "{}: {r:#?}",
            s.dir
        );
        assert_eq!(r.verdict, Verdict::Unknown, "{}: {:?}", s.dir, r.failed());
        assert_eq!(r.document_signer_source, Some("sod"));
    }
}

#[test]
fn the_brainpool_p224_ecdsa_sha1_sod_verifies() {
    let s = &SPECIMENS[1];
    let r = pa(
        &common::read(&format!("{}/EF_SOD.bin", s.dir)),
        &BTreeMap::new(),
        &TrustStore::new(),
        s.at,
    );
    let sig = r.check("sod.signature").unwrap();
    assert_eq!(sig.status, CheckStatus::Pass);
    assert!(sig.reason.contains("ECDSA with SHA-1"), "{}", sig.reason);
    assert!(
        r.document_signer
            .as_ref()
            .unwrap()
            .key
            .contains("brainpoolP224r1"),
        "{:?}",
        r.document_signer
    );
    assert_eq!(status(&r, "algorithm.policy"), CheckStatus::Warn); // SHA-1
}

#[test]
fn a_dg_read_but_not_in_the_sod_fails() {
    let s = &SPECIMENS[0];
    let mut dgs = common::data_groups(s.dir, s.dgs);
    dgs.insert(
        DgNumber::new(15).unwrap(),
        common::read(&format!("{}/Datagroup15.bin", s.dir)),
    );
    let r = pa(
        &common::read(&format!("{}/EF_SOD.bin", s.dir)),
        &dgs,
        &TrustStore::new(),
        s.at,
    );
    assert_eq!(status(&r, "dg.unlisted.DG15"), CheckStatus::Fail);
    assert_eq!(r.verdict, Verdict::Invalid);
}

#[test]
fn a_dg_in_the_sod_but_not_read_is_reported() {
    let s = &SPECIMENS[0];
    let dgs = common::data_groups(s.dir, &s.dgs[..2]);
    let r = pa(
        &common::read(&format!("{}/EF_SOD.bin", s.dir)),
        &dgs,
        &TrustStore::new(),
        s.at,
    );
    assert_eq!(status(&r, "dg.not-read.DG3"), CheckStatus::NotChecked);
    assert_eq!(status(&r, "dg.not-read.DG14"), CheckStatus::Warn);
    assert_eq!(r.verdict, Verdict::Unknown);
}

#[test]
fn every_negative_sod_fails_with_the_right_check() {
    let tr = "lds/bsi-tr03105-5-reference-dataset";
    let etsi = "lds/etsi-eacaa-prototype";
    let cases: [(&str, &Specimen, &str); 15] = [
        (
            "EF_SOD_contenttype_1.2.840.113549.1.7.4.bin",
            &SPECIMENS[0],
            "sod.structure",
        ),
        (
            "EF_SOD_contenttype_1.2.840.113549.1.8.2.bin",
            &SPECIMENS[0],
            "sod.structure",
        ),
        (
            "EF_SOD_econtenttype_1.2.840.113549.1.7.5.bin",
            &SPECIMENS[0],
            "sod.structure",
        ),
        (
            "EF_SOD_econtenttype_id-data.bin",
            &SPECIMENS[0],
            "sod.structure",
        ),
        ("EF_SOD_lds_version_2.bin", &SPECIMENS[0], "sod.structure"),
        (
            "EF_SOD_lds_version_minus1.bin",
            &SPECIMENS[0],
            "sod.structure",
        ),
        ("EF_SOD_signeddata_v1.bin", &SPECIMENS[0], "sod.structure"),
        ("EF_SOD_signeddata_v2.bin", &SPECIMENS[0], "sod.structure"),
        ("EF_SOD_signeddata_v4.bin", &SPECIMENS[0], "sod.structure"),
        ("EF_SOD_trailing_byte.bin", &SPECIMENS[0], "sod.structure"),
        (
            "EF_SOD_dg1_hash_modified.bin",
            &SPECIMENS[3],
            "sod.message-digest",
        ),
        (
            "EF_SOD_dg14_hash_modified.bin",
            &SPECIMENS[3],
            "sod.message-digest",
        ),
        (
            "EF_SOD_signature_last_byte_modified.bin",
            &SPECIMENS[3],
            "sod.signature",
        ),
        // Altered data groups against the genuine ETSI SOD.
        ("DG1_country_modified.bin", &SPECIMENS[3], "dg.hash.DG1"),
        ("DG15_exponent_modified.bin", &SPECIMENS[3], "dg.hash.DG15"),
    ];
    let store = TrustStore::new();
    for (file, s, expected) in cases {
        let dir = if s.dir == etsi { etsi } else { tr };
        let mut dgs = common::data_groups(s.dir, s.dgs);
        let sod = if file.starts_with("EF_SOD") {
            common::read(&format!("{dir}/negative/{file}"))
        } else {
            let n: u8 = file[2..file.find('_').unwrap()].parse().unwrap();
            dgs.insert(
                DgNumber::new(n).unwrap(),
                common::read(&format!("{dir}/negative/{file}")),
            );
            common::read(&format!("{dir}/EF_SOD.bin"))
        };
        let r = pa(&sod, &dgs, &store, s.at);
        assert_eq!(status(&r, expected), CheckStatus::Fail, "{file}: {r:#?}");
        assert_eq!(r.verdict, Verdict::Invalid, "{file}");
    }
}

#[test]
fn the_dg1_hash_modified_sod_also_breaks_the_dg1_comparison() {
    let s = &SPECIMENS[3];
    let dgs = common::data_groups(s.dir, s.dgs);
    let sod = common::read(&format!("{}/negative/EF_SOD_dg1_hash_modified.bin", s.dir));
    let r = pa(&sod, &dgs, &TrustStore::new(), s.at);
    assert_eq!(status(&r, "dg.hash.DG1"), CheckStatus::Fail);
    assert_eq!(
        status(&r, "sod.signature"),
        CheckStatus::Pass,
        "the signed attributes are untouched"
    );
}

#[test]
fn a_sod_without_its_ds_is_verified_with_the_dsc_from_the_store() {
    // The TR-03105 SOD with the DS certificate available from the store only.
    let s = &SPECIMENS[0];
    let mut store = TrustStore::new();
    let r = store.import(
        &common::read("pki/dsc/HJP_PB_DS_0142fd5cf927.cer"),
        "HJP DS",
    );
    assert_eq!(r.items[0].kind, "ds");
    let found = store.certificates().next().unwrap();
    assert_eq!(found.role, CertRole::DocumentSigner);
    // The embedded one is found first; the store copy is identical.
    let rep = pa(
        &common::read(&format!("{}/EF_SOD.bin", s.dir)),
        &BTreeMap::new(),
        &store,
        s.at,
    );
    assert_eq!(status(&rep, "sod.signature"), CheckStatus::Pass);
}

#[test]
fn the_report_serialises_with_stable_field_names() {
    let s = &SPECIMENS[0];
    let r = pa(
        &common::read(&format!("{}/EF_SOD.bin", s.dir)),
        &BTreeMap::new(),
        &TrustStore::new(),
        s.at,
    );
    let v = serde_json::to_value(&r).unwrap();
    assert_eq!(v["schema"], "mrtd-pa/1");
    assert_eq!(v["verdict"], "unknown");
    assert_eq!(v["verification_time"], "2014-06-01T00:00:00Z");
    assert_eq!(v["checks"][0]["id"], "sod.structure");
    assert_eq!(v["checks"][0]["status"], "pass");
    assert!(
        v["checks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["status"] == "not-checked")
    );
    assert_eq!(
        v["document_signer"]["subject"],
        "CN=HJP PB DS, OU=Document Signer, O=HJP Consulting, C=DE"
    );
}
