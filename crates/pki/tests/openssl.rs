//! Cross-checks of the generator with OpenSSL (`openssl` on PATH; the test
//! FAILS if it is missing): every valid case of the committed matrix
//! verifies — EF.SOD with `openssl cms -verify`, certificate chains with
//! `openssl verify` (named curves and RSA; OpenSSL 3 refuses explicit EC
//! parameters in chains, so those signatures are checked with `openssl
//! dgst -verify` over the TBS bytes), CRLs with `openssl crl -CAfile`,
//! master lists with `openssl cms -verify` — and the negative cases OpenSSL
//! can judge fail with it too.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use const_oid::db::rfc5912;
use der::{Decode, Encode};
use mrtd_pki::DigestAlgorithm;
use x509_cert::Certificate;

const AT: &str = "1780272000"; // 2026-06-01T00:00:00Z, the matrix verification time

fn matrix_dir() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../test-vectors/pa-matrix"
    ))
}

fn openssl(args: &[&str], dir: &Path) -> (bool, String) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run `openssl` ({e}): install OpenSSL, this test needs it")
        });
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

struct CaseFiles {
    dir: tempfile::TempDir,
    /// Self-issued CSCA certificates of the store.
    anchors: Vec<Certificate>,
    /// Other CA certificates of the store (links).
    links: Vec<Certificate>,
    /// Other store certificates (a DS).
    others: Vec<Certificate>,
    crls: Vec<String>,
    master_lists: Vec<String>,
    /// DS certificate (from EF.SOD or the store).
    ds: Option<Certificate>,
}

fn pem(cert: &Certificate) -> String {
    use der::EncodePem;
    cert.to_pem(der::pem::LineEnding::LF).unwrap()
}

fn prepare(case: &str) -> CaseFiles {
    let root = matrix_dir().join(case);
    assert!(root.is_dir(), "{} missing", root.display());
    let dir = tempfile::tempdir().unwrap();
    let sod = std::fs::read(root.join("dump/EF.SOD.bin")).unwrap();
    std::fs::write(dir.path().join("sod.der"), common::value(&sod)).unwrap();
    let mut files = CaseFiles {
        dir,
        anchors: vec![],
        links: vec![],
        others: vec![],
        crls: vec![],
        master_lists: vec![],
        ds: None,
    };
    let store = root.join("store");
    let mut names: Vec<_> = std::fs::read_dir(&store)
        .map(|d| {
            d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    for name in names {
        let bytes = std::fs::read(store.join(&name)).unwrap();
        std::fs::write(files.dir.path().join(&name), &bytes).unwrap();
        if name.ends_with(".crl") {
            files.crls.push(name);
        } else if name.ends_with(".ml") {
            // The listed CSCAs are anchors once the list verifies (checked
            // with OpenSSL in the test).
            let parts = common::cms_parts(&bytes);
            let list = mrtd_pki::master_list::CscaMasterList::from_der(&parts.econtent).unwrap();
            files.anchors.extend(list.cert_list.iter().cloned());
            files.master_lists.push(name);
        } else {
            let cert = Certificate::from_der(&bytes).unwrap();
            let tbs = cert.tbs_certificate();
            let is_ca = tbs
                .get_extension::<x509_cert::ext::pkix::BasicConstraints>()
                .unwrap()
                .is_some_and(|(_, bc)| bc.ca);
            if common::is_self_signed(&cert) {
                files.anchors.push(cert);
            } else if is_ca {
                files.links.push(cert);
            } else {
                files.others.push(cert);
            }
        }
    }
    let parts = common::cms_parts(common::value(&sod));
    files.ds = common::embedded_certificates(&parts)
        .into_iter()
        .next()
        .or_else(|| files.others.first().cloned());
    let write_pem = |name: &str, certs: &[Certificate]| {
        let text: String = certs.iter().map(pem).collect();
        std::fs::write(files.dir.path().join(name), text).unwrap();
    };
    write_pem("anchors.pem", &files.anchors);
    write_pem("links.pem", &files.links);
    write_pem("ds.pem", files.ds.as_slice());
    files
}

impl CaseFiles {
    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `openssl cms -verify` of EF.SOD: the signature only (`-noverify`)
    /// or with the chain to the store's anchors at the matrix time.
    fn sod(&self, chain: bool) -> (bool, String) {
        let mut args = vec![
            "cms",
            "-verify",
            "-inform",
            "DER",
            "-in",
            "sod.der",
            "-out",
            "econtent.der",
        ];
        if chain {
            args.extend([
                "-CAfile",
                "anchors.pem",
                "-purpose",
                "any",
                "-attime",
                AT,
                "-certfile",
                "ds.pem",
            ]);
        } else {
            args.extend(["-noverify", "-certfile", "ds.pem"]);
        }
        openssl(&args, self.path())
    }

    /// `openssl verify` of the DS at the matrix time.
    fn chain(&self) -> (bool, String) {
        let mut args = vec!["verify", "-CAfile", "anchors.pem", "-attime", AT];
        if !self.links.is_empty() {
            args.extend(["-untrusted", "links.pem"]);
        }
        args.push("ds.pem");
        openssl(&args, self.path())
    }

    /// `openssl dgst -verify` of `signed` (a certificate or CRL, DER) with
    /// `issuer`'s public key: works for explicit EC parameters too.
    fn signature(&self, signed: &[u8], issuer: &Certificate) -> (bool, String) {
        let (tbs, alg, sig) = common::signed_parts(signed);
        let dir = self.path();
        std::fs::write(dir.join("tbs.bin"), &tbs).unwrap();
        std::fs::write(dir.join("sig.bin"), &sig).unwrap();
        std::fs::write(dir.join("issuer.pem"), pem(issuer)).unwrap();
        let (ok, pubkey) = openssl(&["x509", "-in", "issuer.pem", "-pubkey", "-noout"], dir);
        assert!(ok, "{pubkey}");
        std::fs::write(dir.join("pub.pem"), pubkey).unwrap();
        let (digest, pss) = digest_of(&alg);
        let md = format!("-{}", digest.name());
        let mut args = vec!["dgst".to_owned(), md, "-verify".into(), "pub.pem".into()];
        if let Some(salt) = pss {
            for opt in [
                "rsa_padding_mode:pss".to_owned(),
                format!("rsa_pss_saltlen:{salt}"),
                format!("rsa_mgf1_md:{}", digest.name()),
            ] {
                args.push("-sigopt".into());
                args.push(opt);
            }
        }
        args.extend(["-signature".into(), "sig.bin".into(), "tbs.bin".into()]);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        openssl(&args, dir)
    }
}

/// The digest (and PSS salt) of a signature AlgorithmIdentifier.
fn digest_of(alg: &spki::AlgorithmIdentifierOwned) -> (DigestAlgorithm, Option<u8>) {
    if alg.oid == rfc5912::ID_RSASSA_PSS {
        let params = alg.parameters.as_ref().unwrap().to_der().unwrap();
        let params = pkcs1::RsaPssParams::<der::Any>::from_der(&params).unwrap();
        return (
            DigestAlgorithm::from_oid(&params.hash.oid).unwrap(),
            Some(params.salt_len),
        );
    }
    let table = [
        (rfc5912::ECDSA_WITH_SHA_224, DigestAlgorithm::Sha224),
        (rfc5912::ECDSA_WITH_SHA_256, DigestAlgorithm::Sha256),
        (rfc5912::ECDSA_WITH_SHA_384, DigestAlgorithm::Sha384),
        (rfc5912::ECDSA_WITH_SHA_512, DigestAlgorithm::Sha512),
        (
            rfc5912::SHA_224_WITH_RSA_ENCRYPTION,
            DigestAlgorithm::Sha224,
        ),
        (
            rfc5912::SHA_256_WITH_RSA_ENCRYPTION,
            DigestAlgorithm::Sha256,
        ),
        (
            rfc5912::SHA_384_WITH_RSA_ENCRYPTION,
            DigestAlgorithm::Sha384,
        ),
        (
            rfc5912::SHA_512_WITH_RSA_ENCRYPTION,
            DigestAlgorithm::Sha512,
        ),
    ];
    let digest = table
        .iter()
        .find(|(o, _)| *o == alg.oid)
        .map(|(_, d)| *d)
        .unwrap_or_else(|| panic!("algorithm {}", alg.oid));
    (digest, None)
}

fn valid_cases() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(matrix_dir())
        .unwrap()
        .filter_map(|e| {
            let path = e.unwrap().path();
            let expected = std::fs::read(path.join("expected.json")).ok()?;
            let json: BTreeMap<String, serde_json::Value> =
                serde_json::from_slice(&expected).unwrap();
            (json["verdict"] == "valid")
                .then(|| path.file_name().unwrap().to_string_lossy().into_owned())
        })
        .collect();
    names.sort();
    names
}

#[test]
fn valid_matrix_cases_verify_with_openssl() {
    let cases = valid_cases();
    assert!(cases.len() >= 30, "{} valid cases", cases.len());
    for case in &cases {
        let f = prepare(case);
        let explicit = case.contains("explicit");
        let (ok, out) = f.sod(false);
        assert!(ok, "{case}: openssl cms -verify -noverify: {out}");
        if !explicit {
            // `cms -verify` has no -untrusted for intermediates; link chains
            // are checked by `openssl verify -untrusted` below.
            if f.links.is_empty() {
                let (ok, out) = f.sod(true);
                assert!(ok, "{case}: openssl cms -verify with chain: {out}");
            }
            let (ok, out) = f.chain();
            assert!(ok && out.contains("OK"), "{case}: openssl verify: {out}");
        }
        // Every certificate signature with its issuer, via dgst.
        let ds = f.ds.clone().unwrap();
        let mut issuer = f.anchors[0].clone();
        assert!(
            f.signature(&issuer.to_der().unwrap(), &issuer).0,
            "{case}: CSCA self-signature"
        );
        for link in &f.links {
            let (ok, out) = f.signature(&link.to_der().unwrap(), &issuer);
            assert!(ok, "{case}: link: {out}");
            issuer = link.clone();
        }
        let (ok, out) = f.signature(&ds.to_der().unwrap(), &issuer);
        assert!(ok, "{case}: DS certificate: {out}");
        for crl in &f.crls {
            let (ok, out) = openssl(
                &[
                    "crl",
                    "-inform",
                    "DER",
                    "-in",
                    crl,
                    "-CAfile",
                    "anchors.pem",
                    "-noout",
                ],
                f.path(),
            );
            assert!(ok && out.contains("verify OK"), "{case}: {crl}: {out}");
        }
        for ml in &f.master_lists {
            let (ok, out) = openssl(
                &[
                    "cms",
                    "-verify",
                    "-inform",
                    "DER",
                    "-in",
                    ml,
                    "-purpose",
                    "any",
                    "-attime",
                    AT,
                    "-noverify",
                    "-out",
                    "ml.der",
                ],
                f.path(),
            );
            assert!(ok, "{case}: master list signature: {out}");
        }
    }
}

#[test]
fn master_list_verifies_against_the_csca_it_contains() {
    let f = prepare("valid-master-list");
    let (ok, out) = openssl(
        &[
            "cms",
            "-verify",
            "-inform",
            "DER",
            "-in",
            "01-masterlist.ml",
            "-out",
            "list.der",
            "-noverify",
        ],
        f.path(),
    );
    assert!(ok, "{out}");
    // Extract the listed CSCA and verify the signer chain against it.
    let list = std::fs::read(f.path().join("list.der")).unwrap();
    let list = mrtd_pki::master_list::CscaMasterList::from_der(&list).unwrap();
    let csca = list.cert_list.get(0).unwrap();
    std::fs::write(f.path().join("listed.pem"), pem(csca)).unwrap();
    let (ok, out) = openssl(
        &[
            "cms",
            "-verify",
            "-inform",
            "DER",
            "-in",
            "01-masterlist.ml",
            "-CAfile",
            "listed.pem",
            "-purpose",
            "any",
            "-attime",
            AT,
            "-out",
            "/dev/null",
        ],
        f.path(),
    );
    assert!(ok, "{out}");
    let f = prepare("unknown-master-list-signature-corrupted");
    let (ok, _) = openssl(
        &[
            "cms",
            "-verify",
            "-inform",
            "DER",
            "-in",
            "01-masterlist.ml",
            "-noverify",
            "-out",
            "/dev/null",
        ],
        f.path(),
    );
    assert!(!ok, "a corrupted master-list signature must fail");
}

#[test]
fn negative_cases_fail_with_openssl_too() {
    // EF.SOD signature failures (OpenSSL also rejects every inconsistent
    // RSASSA-PSS parameter set).
    for case in [
        "sod-signature-corrupted",
        "sod-signature-corrupted-rsa-pkcs1",
        "sod-signed-by-other-key",
        "sod-pss-hash-differs-from-digest-algorithm",
        "sod-pss-salt-length-mismatch",
        "sod-pss-salt-length-impossible",
        "sod-pss-trailer-field-2",
        "sod-pss-parameters-absent",
    ] {
        let f = prepare(case);
        let (ok, out) = f.sod(false);
        assert!(!ok, "{case}: openssl accepted the EF.SOD signature: {out}");
    }
    // (Not `sod-signature-algorithm-rsa-with-ec-key`: OpenSSL picks the
    // verification algorithm from the key and ignores the declared
    // sha256WithRSAEncryption — a leniency a strict verifier must not have.)
    // ... while the same documents' other defects leave the signature alone.
    for case in [
        "sod-signed-attributes-absent",
        "sod-signed-data-version-1",
        "dg1-modified",
        "sod-message-digest-wrong",
    ] {
        let f = prepare(case);
        let (ok, out) = f.sod(false);
        if case == "sod-message-digest-wrong" {
            // OpenSSL checks messageDigest against the content ("content verify error").
            assert!(!ok && out.contains("content verify error"), "{case}: {out}");
        } else {
            assert!(ok, "{case}: {out}");
        }
    }
    // Chain failures.
    for (case, reason) in [
        ("ds-signed-by-other-key", "signature failure"),
        ("ds-signature-corrupted", "signature failure"),
        ("ds-expired", "expired"),
        ("ds-not-yet-valid", "not yet valid"),
        ("csca-expired", "expired"),
        ("link-signed-by-other-key", "signature failure"),
        ("link-expired", "expired"),
        ("ds-authority-key-identifier-mismatch", ""),
    ] {
        let f = prepare(case);
        let (ok, out) = f.chain();
        assert!(
            !ok || !out.contains(": OK"),
            "{case}: openssl verify accepted it: {out}"
        );
        assert!(out.contains(reason), "{case}: expected {reason:?}: {out}");
    }
    let f = prepare("crl-forged");
    let (_, out) = openssl(
        &[
            "crl",
            "-inform",
            "DER",
            "-in",
            "02-crl.crl",
            "-CAfile",
            "anchors.pem",
            "-noout",
        ],
        f.path(),
    );
    assert!(out.contains("verify failure"), "forged CRL: {out}");
    // `openssl verify -CRLfile` reads PEM.
    let f = prepare("ds-revoked");
    let (ok, crl_pem) = openssl(&["crl", "-inform", "DER", "-in", "02-crl.crl"], f.path());
    assert!(ok);
    std::fs::write(f.path().join("crl.pem"), crl_pem).unwrap();
    let (ok, out) = openssl(
        &[
            "verify",
            "-CAfile",
            "anchors.pem",
            "-CRLfile",
            "crl.pem",
            "-crl_check",
            "-attime",
            AT,
            "ds.pem",
        ],
        f.path(),
    );
    assert!(!ok && out.contains("revoked"), "revoked DS: {out}");
}
