//! The committed passive-authentication matrix (`test-vectors/pa-matrix/`):
//! it is exactly what the generator produces, it covers what issue 6 asks,
//! and — checked with verification code independent of the generator —
//! each negative case breaks the rule its `failing_check` names while the
//! other signatures and hashes stay intact.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::verify;
use const_oid::db::{rfc5911, rfc5912};
use der::asn1::ObjectIdentifier;
use der::{Decode, Encode, Reader};
use mrtd_pki::DigestAlgorithm;
use mrtd_pki::matrix::{self, Expected, KeyPool, MATRIX_SEED, RSA_KEYS, Verdict};
use x509_cert::Certificate;
use x509_cert::crl::CertificateList;
use x509_cert::ext::pkix::{AuthorityKeyIdentifier, BasicConstraints, KeyUsage, KeyUsages};

fn matrix_dir() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../test-vectors/pa-matrix"
    ))
}

fn keys_dir() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../test-vectors/pki/keys"
    ))
}

fn committed_files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    assert!(
        dir.is_dir(),
        "{} is missing: run `cargo run -p mrtd-pki --example gen_pa_matrix`",
        dir.display()
    );
    walk(dir, dir, &mut out);
    out.remove("README.md");
    out
}

fn generate() -> Vec<matrix::MatrixCase> {
    let mut pool = KeyPool::new(MATRIX_SEED, false);
    for (label, _) in RSA_KEYS {
        let path = keys_dir().join(format!("{label}.pk8"));
        let der = std::fs::read(&path).unwrap_or_else(|e| {
            panic!(
                "committed RSA key {} missing ({e}); the matrix needs it",
                path.display()
            )
        });
        pool.insert_pkcs8(label, &der).unwrap();
    }
    matrix::generate(&mut pool).unwrap()
}

#[test]
fn committed_matrix_is_reproducible() {
    let cases = generate();
    let mut expected = BTreeMap::new();
    for case in &cases {
        for (rel, bytes) in case.files().unwrap() {
            expected.insert(format!("{}/{rel}", case.name), bytes);
        }
    }
    expected.insert("index.json".to_owned(), matrix::index_json(&cases).unwrap());
    let committed = committed_files(&matrix_dir());
    let missing: Vec<_> = expected
        .keys()
        .filter(|k| !committed.contains_key(*k))
        .collect();
    let extra: Vec<_> = committed
        .keys()
        .filter(|k| !expected.contains_key(*k))
        .collect();
    let differing: Vec<_> = expected
        .iter()
        .filter(|(k, v)| committed.get(*k).is_some_and(|c| c != *v))
        .map(|(k, _)| k)
        .collect();
    assert!(
        missing.is_empty() && extra.is_empty() && differing.is_empty(),
        "test-vectors/pa-matrix differs from the generator (regenerate with \
         `cargo run -p mrtd-pki --example gen_pa_matrix` and commit deliberately):\n\
         missing: {missing:?}\nextra: {extra:?}\ndiffering: {differing:?}"
    );
}

/// Check ids of `notes/pa-checks.md`.
fn known_check(id: &str) -> bool {
    const FIXED: [&str; 16] = [
        "sod.structure",
        "sod.signer",
        "sod.signed-attributes",
        "sod.message-digest",
        "sod.signature",
        "ds.signature",
        "ds.chain",
        "ds.validity",
        "ds.validity-at-signing",
        "ds.key-usage",
        "ds.revocation",
        "csca.trust",
        "csca.validity",
        "csca.constraints",
        "csca.link",
        "issuer.country",
    ];
    if FIXED.contains(&id) || id == "algorithm.policy" {
        return true;
    }
    ["dg.hash.DG", "dg.unlisted.DG", "dg.not-read.DG"]
        .iter()
        .any(|p| {
            id.strip_prefix(p)
                .and_then(|n| n.parse::<u8>().ok())
                .is_some_and(|n| (1..=16).contains(&n))
        })
}

#[test]
fn matrix_covers_issue_6() {
    let cases = generate();
    let invalid = cases
        .iter()
        .filter(|c| c.expected.verdict == Verdict::Invalid)
        .count();
    let unknown = cases
        .iter()
        .filter(|c| c.expected.verdict == Verdict::Unknown)
        .count();
    assert!(invalid >= 40, "only {invalid} negative cases");
    assert!(unknown >= 2);
    for case in &cases {
        assert!(
            case.name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
            "{}",
            case.name
        );
        let e = &case.expected;
        assert_eq!(e.at, matrix::VERIFICATION_TIME);
        assert_eq!(
            e.failing_check.is_some(),
            e.verdict == Verdict::Invalid,
            "{}",
            case.name
        );
        for id in e.failing_check.iter().chain(e.status.keys()) {
            assert!(known_check(id), "{}: unknown check id {id}", case.name);
        }
        for status in e.status.values() {
            assert!(["pass", "fail", "warn", "not-checked"].contains(&status.as_str()));
        }
        let json = serde_json::to_string(e).unwrap();
        assert_eq!(&serde_json::from_str::<Expected>(&json).unwrap(), e);
    }
    let has = |name: &str| {
        cases
            .iter()
            .any(|c| c.name == name && c.expected.verdict == Verdict::Valid)
    };
    for curve in [
        "p224", "p256", "p384", "p521", "bp224", "bp256", "bp320", "bp384", "bp512",
    ] {
        for form in ["named", "explicit"] {
            assert!(
                has(&format!("valid-ecdsa-{curve}-{form}")),
                "{curve} {form}"
            );
        }
    }
    for rsa in [
        "rsa2048-pkcs1",
        "rsa3072-pkcs1-sha384",
        "rsa4096-pkcs1-sha512",
        "rsa2048-pss",
        "rsa3072-pss-sha384",
        "rsa4096-pss-sha512",
    ] {
        assert!(has(&format!("valid-{rsa}")), "{rsa}");
    }
    // The defects issue 6 lists by name, each with its check.
    for (name, check) in [
        ("dg1-modified", "dg.hash.DG1"),
        ("dg11-not-in-sod", "dg.unlisted.DG11"),
        ("sod-signature-corrupted", "sod.signature"),
        ("sod-signed-attributes-absent", "sod.signed-attributes"),
        ("sod-message-digest-wrong", "sod.message-digest"),
        ("ds-signed-by-other-key", "ds.signature"),
        ("ds-expired", "ds.validity"),
        ("ds-not-yet-valid", "ds.validity"),
        ("ds-not-valid-at-signing-time", "ds.validity-at-signing"),
        ("csca-expired", "csca.validity"),
        ("ds-revoked", "ds.revocation"),
        ("crl-forged", "ds.revocation"),
        ("issuer-country-mrz-d-csca-kr", "issuer.country"),
        ("link-signed-by-other-key", "csca.link"),
        (
            "sod-pss-hash-differs-from-digest-algorithm",
            "sod.signature",
        ),
        (
            "algorithm-explicit-curve-other-generator",
            "algorithm.policy",
        ),
        ("algorithm-rsa-768-ds", "algorithm.policy"),
        ("sod-trailing-bytes", "sod.structure"),
        ("sod-ber-indefinite-length", "sod.structure"),
        ("sod-signed-data-version-1", "sod.structure"),
        ("sod-lds-object-version-2", "sod.structure"),
        ("sod-econtent-type-id-data", "sod.structure"),
        ("ds-key-usage-adds-key-cert-sign", "ds.key-usage"),
        ("csca-not-ca", "csca.constraints"),
        ("ds-authority-key-identifier-mismatch", "ds.chain"),
    ] {
        let case = cases
            .iter()
            .find(|c| c.name == name)
            .unwrap_or_else(|| panic!("{name}"));
        assert_eq!(
            case.expected.failing_check.as_deref(),
            Some(check),
            "{name}"
        );
    }
    for name in ["unknown-empty-store", "unknown-other-country-csca"] {
        assert!(
            cases
                .iter()
                .any(|c| c.name == name && c.expected.verdict == Verdict::Unknown)
        );
    }
    assert!(cases.iter().any(|c| {
        c.name == "warn-sha1"
            && c.expected
                .status
                .get("algorithm.policy")
                .map(String::as_str)
                == Some("warn")
    }));
}

// --- independent facts about a committed case ------------------------------

struct Case {
    name: String,
    expected: Expected,
    dump: BTreeMap<String, Vec<u8>>,
    store: Vec<(String, Vec<u8>)>,
}

fn load_cases() -> Vec<Case> {
    let files = committed_files(&matrix_dir());
    let mut by_case: BTreeMap<String, Case> = BTreeMap::new();
    for (rel, bytes) in files {
        let mut parts = rel.splitn(3, '/');
        let (Some(name), Some(kind)) = (parts.next(), parts.next()) else {
            continue;
        };
        let case = by_case.entry(name.to_owned()).or_insert_with(|| Case {
            name: name.to_owned(),
            expected: Expected {
                description: String::new(),
                verdict: Verdict::Valid,
                failing_check: None,
                other_failing_checks: vec![],
                status: BTreeMap::new(),
                at: String::new(),
                issuing_state: None,
                import_may_reject: false,
            },
            dump: BTreeMap::new(),
            store: Vec::new(),
        });
        match (kind, parts.next()) {
            ("expected.json", None) => case.expected = serde_json::from_slice(&bytes).unwrap(),
            ("dump", Some(file)) => {
                case.dump.insert(file.to_owned(), bytes);
            }
            ("store", Some(file)) => case.store.push((file.to_owned(), bytes)),
            _ => panic!("unexpected file {rel}"),
        }
    }
    by_case.into_values().collect()
}

/// What independent code concludes about a case.
#[derive(Debug, Default)]
struct Facts {
    /// EF.SOD parses strictly (mrtd-lds, structure rules included).
    sod_strict: bool,
    /// The SignerInfo signature verifies with the embedded/stored DS key
    /// under the declared algorithm.
    sod_signature: bool,
    /// digestAlgorithm equals the PSS hash (or the scheme is not PSS).
    pss_consistent: bool,
    /// Signed attributes: present, one content-type equal to eContentType,
    /// one message-digest.
    signed_attrs_ok: bool,
    /// messageDigest = hash(eContent).
    message_digest: bool,
    /// DGs whose hash differs from the LDSSecurityObject.
    dg_mismatch: Vec<u8>,
    /// DGs in the dump but not in the LDSSecurityObject.
    dg_unlisted: Vec<u8>,
    /// DS certificate found for the sid.
    ds_found: bool,
    /// DS signature verifies with a store CSCA (or link) key.
    ds_signature: bool,
    /// DS issuer = that CSCA's subject and AKI = its SKI.
    ds_chain: bool,
    ds_valid_at: bool,
    ds_valid_at_signing: Option<bool>,
    ds_key_usage_ok: bool,
    /// A CRL of the store lists the DS serial / a CRL's signature fails.
    ds_listed_in_crl: bool,
    crl_signature_bad: bool,
    csca_valid_at: bool,
    csca_constraints_ok: bool,
    link_ok: bool,
    country_ok: bool,
    policy_ok: bool,
    anchor: bool,
}

const AT: (u16, u8, u8) = (2026, 6, 1);

fn at() -> der::DateTime {
    der::DateTime::new(AT.0, AT.1, AT.2, 0, 0, 0).unwrap()
}

fn valid_at(cert: &Certificate, t: der::DateTime) -> bool {
    let v = cert.tbs_certificate().validity();
    v.not_before.to_date_time() <= t && t <= v.not_after.to_date_time()
}

fn strip_77(sod: &[u8]) -> Option<&[u8]> {
    if sod.first() != Some(&0x77) {
        return None;
    }
    let mut r = der::SliceReader::new(sod).ok()?;
    let header = der::Header::decode(&mut r).ok()?;

    let value = r.read_slice(header.length()).ok()?;
    r.is_finished().then_some(value)
}

fn facts(case: &Case) -> Facts {
    let mut f = Facts::default();
    let sod = &case.dump["EF.SOD.bin"];
    f.sod_strict = mrtd_lds::sod::Sod::parse(sod).is_ok();
    // Trailing bytes / BER: decode what a lenient reader would.
    let content_info = match strip_77(sod) {
        Some(ci) => ci.to_vec(),
        None => {
            let mut r = der::SliceReader::new(sod).unwrap();
            let header = der::Header::decode(&mut r).unwrap();
            let start = sod.len() - usize::try_from(r.remaining_len()).unwrap();
            let len = usize::try_from(header.length()).unwrap();
            sod[start..start + len].to_vec()
        }
    };
    let Ok(ci) = cms::content_info::ContentInfo::from_der(&content_info) else {
        // BER: nothing more to learn here (the structure case says why).
        return f;
    };
    let parts = common::cms_parts(&ci.to_der().unwrap());
    let sd = &parts.signed_data;
    let si = sd.signer_infos.0.get(0).unwrap();

    // Store contents.
    let mut store_certs = Vec::new();
    let mut crls = Vec::new();
    for (name, bytes) in &case.store {
        if name.ends_with(".crl") {
            crls.push(CertificateList::from_der(bytes).unwrap());
        } else if name.ends_with(".ml") {
            let ml = common::cms_parts(bytes);
            let list = mrtd_pki::master_list::CscaMasterList::from_der(&ml.econtent).unwrap();
            let signer = &common::embedded_certificates(&ml)[0];
            let ml_ok = verify::verify(
                signer.tbs_certificate().subject_public_key_info(),
                &ml.signature_algorithm,
                ml.signed_attrs.as_ref().unwrap(),
                &ml.signature,
            )
            .is_ok()
                && list
                    .cert_list
                    .iter()
                    .any(|c| common::verify_signed(&signer.to_der().unwrap(), c).is_ok());
            if ml_ok {
                store_certs.extend(list.cert_list.iter().cloned());
            }
        } else {
            store_certs.push(Certificate::from_der(bytes).unwrap());
        }
    }

    // The DS: by sid among embedded and stored certificates.
    let embedded = common::embedded_certificates(&parts);
    let ds = embedded.iter().chain(store_certs.iter()).find(|c| {
        let tbs = c.tbs_certificate();
        match &si.sid {
            cms::signed_data::SignerIdentifier::IssuerAndSerialNumber(isn) => {
                isn.issuer == *tbs.issuer() && isn.serial_number == *tbs.serial_number()
            }
            cms::signed_data::SignerIdentifier::SubjectKeyIdentifier(ski) => {
                mrtd_pki::profile::subject_key_id(c).ok().as_deref() == Some(ski.0.as_bytes())
            }
        }
    });
    f.ds_found = ds.is_some() && sd.signer_infos.0.len() == 1;

    // Signed attributes.
    let econtent_type = sd.encap_content_info.econtent_type;
    let count = |oid| {
        si.signed_attrs
            .as_ref()
            .map_or(0, |a| a.iter().filter(|x| x.oid == oid).count())
    };
    let content_type_value = si.signed_attrs.as_ref().and_then(|a| {
        a.iter()
            .find(|x| x.oid == rfc5911::ID_CONTENT_TYPE)
            .and_then(|x| {
                x.values
                    .get(0)
                    .unwrap()
                    .decode_as::<ObjectIdentifier>()
                    .ok()
            })
    });
    f.signed_attrs_ok = si.signed_attrs.is_some()
        && count(rfc5911::ID_CONTENT_TYPE) == 1
        && count(rfc5911::ID_MESSAGE_DIGEST) == 1
        && content_type_value == Some(econtent_type);
    let digest = DigestAlgorithm::from_oid(&parts.digest_algorithm.oid).unwrap();
    f.message_digest = count(rfc5911::ID_MESSAGE_DIGEST) >= 1
        && common::message_digest(&parts) == digest.digest(&parts.econtent);
    f.pss_consistent = parts.signature_algorithm.oid != rfc5912::ID_RSASSA_PSS
        || parts
            .signature_algorithm
            .parameters
            .as_ref()
            .is_some_and(|p| {
                pkcs1::RsaPssParams::<der::Any>::from_der(&p.to_der().unwrap())
                    .is_ok_and(|pss| pss.hash.oid == parts.digest_algorithm.oid)
            });

    // DG hashes (LDSSecurityObject decoded leniently: version may be odd).
    if let Ok(lso) = mrtd_lds::sod::LdsSecurityObject::from_der(&parts.econtent) {
        let lso_digest = DigestAlgorithm::from_oid(&lso.hash_algorithm.oid).unwrap();
        for (file, bytes) in &case.dump {
            let Some(n) = file
                .strip_prefix("EF.DG")
                .and_then(|s| s.strip_suffix(".bin"))
            else {
                continue;
            };
            let n: u8 = n.parse().unwrap();
            match lso
                .data_group_hash_values
                .iter()
                .find(|h| h.data_group_number == i64::from(n))
            {
                None => f.dg_unlisted.push(n),
                Some(h) if h.data_group_hash_value.as_bytes() != lso_digest.digest(bytes) => {
                    f.dg_mismatch.push(n)
                }
                Some(_) => {}
            }
        }
    }

    let Some(ds) = ds else { return f };
    let ds_spki = ds.tbs_certificate().subject_public_key_info();
    let signed = parts
        .signed_attrs
        .clone()
        .unwrap_or_else(|| parts.econtent.clone());
    f.sod_signature = verify::verify(
        ds_spki,
        &parts.signature_algorithm,
        &signed,
        &parts.signature,
    )
    .is_ok();

    // Policy: EC parameters must identify a whitelisted curve; RSA >= 1024.
    f.policy_ok = if ds_spki.algorithm.oid == rfc5912::RSA_ENCRYPTION {
        verify::rsa_bits(ds_spki) >= 1024
    } else {
        mrtd_groups::ec_public_key_from_spki(&der::referenced::OwnedToRef::owned_to_ref(ds_spki))
            .is_ok()
    };

    // DS validity, at signing time.
    f.ds_valid_at = valid_at(ds, at());
    f.ds_valid_at_signing = si.signed_attrs.as_ref().and_then(|a| {
        a.iter()
            .find(|x| x.oid == ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.5"))
            .map(|x| {
                let t = x
                    .values
                    .get(0)
                    .unwrap()
                    .decode_as::<x509_cert::time::Time>()
                    .unwrap();
                valid_at(ds, t.to_date_time())
            })
    });
    let tbs = ds.tbs_certificate();
    let ku = tbs.get_extension::<KeyUsage>().unwrap().map(|(_, k)| k.0);
    let ca = tbs
        .get_extension::<BasicConstraints>()
        .unwrap()
        .is_some_and(|(_, bc)| bc.ca);
    let types_ok = tbs
        .get_extension::<mrtd_pki::profile::DocumentTypeList>()
        .unwrap()
        .is_none_or(|(_, t)| t.doc_type_list.iter().any(|d| d.as_str() == "P"));
    f.ds_key_usage_ok = ku.is_some_and(|k| {
        k.contains(KeyUsages::DigitalSignature) && !k.contains(KeyUsages::KeyCertSign)
    }) && !ca
        && types_ok;

    // The CSCA: a store certificate that is self-issued; links lead from
    // it to the DS issuer.
    let ds_der = ds.to_der().unwrap();
    let aki = tbs
        .get_extension::<AuthorityKeyIdentifier>()
        .unwrap()
        .and_then(|(_, a)| a.key_identifier.map(|k| k.as_bytes().to_vec()));
    let anchors: Vec<&Certificate> = store_certs
        .iter()
        .filter(|c| common::is_self_signed(c))
        .collect();
    let links: Vec<&Certificate> = store_certs
        .iter()
        .filter(|c| {
            !common::is_self_signed(c)
                && c.tbs_certificate()
                    .get_extension::<BasicConstraints>()
                    .unwrap()
                    .is_some_and(|(_, bc)| bc.ca)
        })
        .collect();
    // Same-country anchors only count as the issuer's trust anchor.
    let csca = anchors.iter().find(|c| {
        c.tbs_certificate().subject().country().unwrap() == tbs.issuer().country().unwrap()
    });
    f.anchor = csca.is_some();
    let Some(csca) = csca else { return f };
    f.csca_valid_at = valid_at(csca, at());
    let ctbs = csca.tbs_certificate();
    f.csca_constraints_ok = ctbs
        .get_extension::<BasicConstraints>()
        .unwrap()
        .is_some_and(|(_, bc)| bc.ca)
        && ctbs
            .get_extension::<KeyUsage>()
            .unwrap()
            .is_some_and(|(_, k)| k.0.contains(KeyUsages::KeyCertSign));
    // Walk links from the anchor.
    let mut issuer: Certificate = (*csca).clone();
    f.link_ok = true;
    for link in &links {
        let link_aki = link
            .tbs_certificate()
            .get_extension::<AuthorityKeyIdentifier>()
            .unwrap()
            .and_then(|(_, a)| a.key_identifier.map(|k| k.as_bytes().to_vec()));
        if link_aki == mrtd_pki::profile::subject_key_id(&issuer).ok() {
            f.link_ok &= common::verify_signed(&link.to_der().unwrap(), &issuer).is_ok()
                && valid_at(link, at());
            issuer = (*link).clone();
        }
    }
    f.ds_signature = common::verify_signed(&ds_der, &issuer).is_ok();
    f.ds_chain = tbs.issuer() == issuer.tbs_certificate().subject()
        && aki == mrtd_pki::profile::subject_key_id(&issuer).ok();

    for crl in &crls {
        let crl_der = crl.to_der().unwrap();
        if common::verify_signed(&crl_der, &issuer).is_err() {
            f.crl_signature_bad = true;
            continue;
        }
        f.ds_listed_in_crl |= crl
            .tbs_cert_list
            .revoked_certificates
            .iter()
            .flatten()
            .any(|r| r.serial_number == *tbs.serial_number());
    }

    // Country: the MRZ issuing state (TD3 line 1, characters 3..6).
    let dg1 = &case.dump["EF.DG1.bin"];
    let mrz = mrtd_lds::Dg1::parse(dg1).unwrap().mrz;
    let iso = match mrz.issuing_state() {
        "KOR" => "KR",
        "D" => "DE",
        "JPN" => "JP",
        other => panic!("unmapped issuing state {other}"),
    };
    let country = |c: &Certificate| {
        c.tbs_certificate()
            .subject()
            .country()
            .unwrap()
            .map(|p| p.as_str().to_owned())
    };
    f.country_ok = country(&issuer).as_deref() == Some(iso) && country(ds).as_deref() == Some(iso);
    f
}

#[test]
fn every_case_breaks_exactly_what_it_says() {
    let cases = load_cases();
    assert!(cases.len() >= 60, "{} cases", cases.len());
    for case in &cases {
        let f = facts(case);
        let name = &case.name;
        let e = &case.expected;
        // Everything a valid document needs, as independent code sees it.
        let all_good = |f: &Facts| {
            f.sod_strict
                && f.sod_signature
                && f.pss_consistent
                && f.signed_attrs_ok
                && f.message_digest
                && f.dg_mismatch.is_empty()
                && f.dg_unlisted.is_empty()
                && f.ds_found
                && f.ds_signature
                && f.ds_chain
                && f.ds_valid_at
                && f.ds_valid_at_signing != Some(false)
                && f.ds_key_usage_ok
                && !f.ds_listed_in_crl
                && !f.crl_signature_bad
                && f.csca_valid_at
                && f.csca_constraints_ok
                && f.link_ok
                && f.country_ok
        };
        match (e.verdict, e.failing_check.as_deref()) {
            (Verdict::Valid, _) => {
                assert!(all_good(&f) && f.anchor, "{name}: {f:?}");
                if !name.starts_with("warn-rsa") {
                    assert!(f.policy_ok, "{name}");
                }
            }
            (Verdict::Unknown, _) => {
                assert!(!f.anchor, "{name}: a trust anchor is present: {f:?}");
                assert!(
                    f.sod_signature && f.message_digest && f.dg_mismatch.is_empty(),
                    "{name}"
                );
            }
            (Verdict::Invalid, Some(check)) => {
                let broken = match check {
                    "sod.structure" => !f.sod_strict,
                    "sod.signer" => !f.ds_found,
                    "sod.signed-attributes" => !f.signed_attrs_ok,
                    "sod.message-digest" => {
                        f.signed_attrs_ok && !f.message_digest && f.sod_signature
                    }
                    "sod.signature" => !(f.sod_signature && f.pss_consistent),
                    "ds.signature" => !f.ds_signature && f.sod_signature,
                    "ds.chain" => !f.ds_chain && f.ds_signature,
                    "ds.validity" => !f.ds_valid_at,
                    "ds.validity-at-signing" => {
                        f.ds_valid_at_signing == Some(false) && f.ds_valid_at
                    }
                    "ds.key-usage" => !f.ds_key_usage_ok,
                    "ds.revocation" => f.ds_listed_in_crl || f.crl_signature_bad,
                    "csca.validity" => !f.csca_valid_at && f.ds_valid_at,
                    "csca.constraints" => !f.csca_constraints_ok,
                    "csca.link" => !f.link_ok,
                    "issuer.country" => !f.country_ok,
                    "algorithm.policy" => !f.policy_ok,
                    c if c.starts_with("dg.hash.DG") => {
                        let n: u8 = c["dg.hash.DG".len()..].parse().unwrap();
                        f.dg_mismatch == [n] && f.sod_signature && f.message_digest
                    }
                    c if c.starts_with("dg.unlisted.DG") => {
                        let n: u8 = c["dg.unlisted.DG".len()..].parse().unwrap();
                        f.dg_unlisted == [n] && f.sod_signature && f.message_digest
                    }
                    other => panic!("{name}: no independent check for {other}"),
                };
                assert!(broken, "{name}: {check} is not broken: {f:?}");
                // The rest of the chain stays intact wherever it can be
                // evaluated, so the case fails for its own reason.
                if !check.starts_with("sod.") && !check.starts_with("algorithm") {
                    assert!(
                        f.sod_strict && f.signed_attrs_ok && f.message_digest,
                        "{name}: {f:?}"
                    );
                }
                if check.starts_with("dg.")
                    || check.starts_with("csca.")
                    || check == "issuer.country"
                {
                    assert!(f.ds_signature || check == "csca.link", "{name}: {f:?}");
                }
            }
            (Verdict::Invalid, None) => panic!("{name}: invalid without failing_check"),
        }
    }
}
