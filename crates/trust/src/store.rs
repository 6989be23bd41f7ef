//! The trust store, in memory: CSCA certificates (the trust anchors),
//! link certificates, Document Signer certificates, CRLs, and what was
//! learnt from master and deviation lists — indexed by subject name,
//! subject key identifier and country.
//!
//! Everything enters through [`TrustStore::import`], which recognises the
//! format (DER or PEM certificate or CRL, CMS master list or deviation
//! list, ICAO PKD LDIF), verifies what it can (master-list signatures and
//! their signer's certificate, CRL signatures, self-signatures of single
//! CSCA certificates) and says in an [`ImportReport`] what was imported,
//! merged, skipped and why. The self-signatures of the hundreds of CSCAs
//! in a master list are *not* verified at import (the list's signature
//! covers them; a trust anchor's self-signature proves nothing more);
//! [`TrustStore::audit`] does it on request.
//!
//! No I/O: bytes in, reports out. `mrtd-truststore` persists a store in a
//! directory.

use std::collections::{BTreeMap, HashMap};

use der::asn1::ObjectIdentifier;
use serde::Serialize;

use crate::cert::{CertificateInfo, CertificateSummary};
use crate::cms::{SignedObject, SignerId};
use crate::crl::CrlInfo;
use crate::der_walk;
use crate::ldif::{self, LdifObjectKind};
use crate::masterlist::{CscaMasterList, DeviationList};
use crate::oid;
use crate::report::{CheckStatus, Checks};
use crate::signed::{check_signer, same_integer};
use crate::time::Timestamp;
use crate::verifier::{RustCryptoVerifier, SignatureVerifier};

/// What a certificate is in the eMRTD PKI.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CertRole {
    /// A self-signed Country Signing CA certificate: a trust anchor.
    Csca,
    /// A CSCA link certificate (a new CSCA key certified by an older one,
    /// Doc 9303-12 §5.2).
    Link,
    /// A Document Signer certificate (from the PKD).
    DocumentSigner,
    /// A master-list signer certificate.
    MasterListSigner,
    /// A deviation-list signer certificate.
    DeviationListSigner,
}

impl core::fmt::Display for CertRole {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::Csca => "csca",
            Self::Link => "link",
            Self::DocumentSigner => "ds",
            Self::MasterListSigner => "master-list-signer",
            Self::DeviationListSigner => "deviation-list-signer",
        })
    }
}

/// A certificate in the store.
#[derive(Clone, Debug)]
pub struct StoredCertificate {
    /// The certificate.
    pub cert: CertificateInfo,
    /// Its role.
    pub role: CertRole,
    /// Where it came from (file names, master lists, LDIF entries).
    pub sources: Vec<String>,
}

impl StoredCertificate {
    /// Whether it is a trust anchor (a self-signed CSCA).
    #[must_use]
    pub fn is_anchor(&self) -> bool {
        self.role == CertRole::Csca
    }
}

/// Whether a CRL's signature was verified against its CSCA.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum CrlStatus {
    /// Verified with the key of the CSCA certificate `by`.
    Verified {
        /// Id of the CSCA (or link) certificate whose key verified it.
        by: String,
    },
    /// The store has CSCA keys for the issuer but none verifies the CRL.
    Invalid {
        /// Why.
        reason: String,
    },
    /// No CSCA of the issuer is in the store yet.
    Unverified,
}

/// A CRL in the store.
#[derive(Clone, Debug)]
pub struct StoredCrl {
    /// The CRL.
    pub crl: CrlInfo,
    /// Its signature status.
    pub status: CrlStatus,
    /// Where it came from.
    pub sources: Vec<String>,
}

/// Which ICAO list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ListKind {
    /// CSCA master list.
    MasterList,
    /// Deviation list.
    DeviationList,
}

/// What is kept of an imported master or deviation list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct ListRecord {
    /// SHA-256 of the file.
    pub id: String,
    /// Which list.
    pub kind: ListKind,
    /// Country of the signer.
    pub country: Option<String>,
    /// Signer subject.
    pub signer: Option<String>,
    /// signingTime, if present.
    pub signing_time: Option<Timestamp>,
    /// How the signature and the signer's certificate were verified.
    pub verification: String,
    /// Number of entries (certificates or deviations).
    pub entries: usize,
    /// Where it came from.
    pub source: String,
}

/// What happened to one object of an import.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
pub enum ImportOutcome {
    /// Added to the store.
    Imported,
    /// Already in the store; the source was added to it.
    Merged,
    /// Not added, harmlessly (e.g. an object the store does not keep).
    Skipped {
        /// Why.
        reason: String,
    },
    /// Not added because it is defective or does not verify.
    Rejected {
        /// Why.
        reason: String,
    },
}

/// One object of an import.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ImportItem {
    /// `csca`, `link`, `ds`, `master-list-signer`, `crl`, `master-list`,
    /// `deviation-list`, `file`.
    pub kind: String,
    /// Store id (SHA-256 fingerprint), when the object was parsed.
    pub id: Option<String>,
    /// Subject or issuer, for people.
    pub description: String,
    /// What happened.
    #[serde(flatten)]
    pub outcome: ImportOutcome,
    /// Remarks (legacy encoding, signature verified by …).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    /// The source name given.
    pub source: String,
    /// The format recognised.
    pub format: String,
    /// Notes about the whole file (master-list signature verified by …).
    pub notes: Vec<String>,
    /// Each object.
    pub items: Vec<ImportItem>,
}

impl ImportReport {
    /// Number of items with outcome `Imported`.
    #[must_use]
    pub fn imported(&self) -> usize {
        self.count(|o| matches!(o, ImportOutcome::Imported))
    }

    /// Number of items with outcome `Merged`.
    #[must_use]
    pub fn merged(&self) -> usize {
        self.count(|o| matches!(o, ImportOutcome::Merged))
    }

    /// Number of items skipped or rejected.
    #[must_use]
    pub fn not_imported(&self) -> usize {
        self.count(|o| {
            matches!(
                o,
                ImportOutcome::Skipped { .. } | ImportOutcome::Rejected { .. }
            )
        })
    }

    /// Number of items rejected.
    #[must_use]
    pub fn rejected(&self) -> usize {
        self.count(|o| matches!(o, ImportOutcome::Rejected { .. }))
    }

    fn count(&self, f: impl Fn(&ImportOutcome) -> bool) -> usize {
        self.items.iter().filter(|i| f(&i.outcome)).count()
    }

    fn push(
        &mut self,
        kind: &str,
        id: Option<String>,
        description: impl Into<String>,
        outcome: ImportOutcome,
    ) -> &mut ImportItem {
        self.items.push(ImportItem {
            kind: kind.to_owned(),
            id,
            description: description.into(),
            outcome,
            notes: Vec::new(),
        });
        self.items.last_mut().expect("just pushed")
    }

    fn reject(&mut self, kind: &str, reason: impl Into<String>) {
        self.push(
            kind,
            None,
            "",
            ImportOutcome::Rejected {
                reason: reason.into(),
            },
        );
    }
}

/// Options of an import.
#[derive(Clone, Debug, Default)]
pub struct ImportOptions {
    /// Certificates trusted to have signed master-list signer certificates
    /// (e.g. the publishing state's CSCA, given with `--root`). Without
    /// them, a master-list signer is verified against the anchors already
    /// in the store, then against a CSCA inside the list (which proves the
    /// list is self-consistent, not who published it).
    pub roots: Vec<CertificateInfo>,
}

/// The in-memory trust store.
#[derive(Clone, Debug, Default)]
pub struct TrustStore {
    certs: Vec<StoredCertificate>,
    crls: Vec<StoredCrl>,
    lists: Vec<ListRecord>,
    by_id: HashMap<[u8; 32], usize>,
    by_subject: HashMap<String, Vec<usize>>,
    by_ski: HashMap<Vec<u8>, Vec<usize>>,
    by_country: BTreeMap<String, Vec<usize>>,
    crl_by_id: HashMap<[u8; 32], usize>,
    crl_by_issuer: HashMap<String, Vec<usize>>,
}

/// The format [`TrustStore::import`] recognised.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Certificate,
    Crl,
    Cms,
}

impl TrustStore {
    /// An empty store.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Imports a file of any supported format with the default verifier
    /// and options. `source` names it in reports and in the store.
    pub fn import(&mut self, bytes: &[u8], source: &str) -> ImportReport {
        self.import_with(
            bytes,
            source,
            &ImportOptions::default(),
            &RustCryptoVerifier,
        )
    }

    /// Imports a file of any supported format.
    pub fn import_with(
        &mut self,
        bytes: &[u8],
        source: &str,
        options: &ImportOptions,
        verifier: &dyn SignatureVerifier,
    ) -> ImportReport {
        let mut report = ImportReport {
            source: source.to_owned(),
            ..ImportReport::default()
        };
        if ldif::looks_like_ldif(bytes) {
            report.format = "ICAO PKD LDIF".into();
            match ldif::parse(bytes) {
                Err(e) => report.reject("file", e.to_string()),
                Ok(objects) => {
                    if objects.is_empty() {
                        report
                            .notes
                            .push("no certificate, CRL or list in the LDIF file".into());
                    }
                    for o in objects {
                        let src = format!("{source}: {}", o.dn);
                        match o.kind {
                            LdifObjectKind::Certificate => {
                                self.import_certificate(&o.bytes, &src, None, verifier, &mut report)
                            }
                            LdifObjectKind::Crl => {
                                self.import_crl(&o.bytes, &src, verifier, &mut report)
                            }
                            LdifObjectKind::MasterList | LdifObjectKind::DeviationList => {
                                self.import_cms(&o.bytes, &src, options, verifier, &mut report)
                            }
                        }
                    }
                }
            }
            self.revalidate_crls(verifier);
            return report;
        }
        if let Some(blocks) = pem_blocks(bytes) {
            report.format = "PEM".into();
            if blocks.is_empty() {
                report.reject("file", "PEM text without a decodable block");
            }
            for (label, der) in blocks {
                match label.as_str() {
                    "CERTIFICATE" | "X509 CERTIFICATE" | "TRUSTED CERTIFICATE" => {
                        self.import_certificate(&der, source, None, verifier, &mut report)
                    }
                    "X509 CRL" => self.import_crl(&der, source, verifier, &mut report),
                    "CMS" | "PKCS7" => {
                        self.import_cms(&der, source, options, verifier, &mut report)
                    }
                    other => {
                        report.push(
                            "file",
                            None,
                            other,
                            ImportOutcome::Skipped {
                                reason: format!("PEM block \"{other}\" holds no trust material"),
                            },
                        );
                    }
                }
            }
            self.revalidate_crls(verifier);
            return report;
        }
        match sniff(bytes) {
            Some(Format::Certificate) => {
                report.format = "X.509 certificate (DER)".into();
                self.import_certificate(bytes, source, None, verifier, &mut report);
            }
            Some(Format::Crl) => {
                report.format = "CRL (DER)".into();
                self.import_crl(bytes, source, verifier, &mut report);
            }
            Some(Format::Cms) => {
                report.format = "CMS SignedData".into();
                self.import_cms(bytes, source, options, verifier, &mut report);
            }
            None => {
                report.format = "unknown".into();
                report.reject(
                    "file",
                    "not a certificate, CRL, CMS master or deviation list, or LDIF file (DER, PEM or LDIF expected)",
                );
            }
        }
        self.revalidate_crls(verifier);
        report
    }

    /// Adds one certificate. `role` forces the role; `None` classifies it
    /// (self-signed CA → CSCA, other CA → link, otherwise by extended key
    /// usage or as a Document Signer).
    fn import_certificate(
        &mut self,
        der: &[u8],
        source: &str,
        role: Option<CertRole>,
        verifier: &dyn SignatureVerifier,
        report: &mut ImportReport,
    ) {
        let cert = match parse_certificate(der) {
            Ok(c) => c,
            Err(e) => {
                report.reject("certificate", e);
                return;
            }
        };
        let role = role.unwrap_or_else(|| classify(&cert));
        let mut notes = Vec::new();
        if cert.profile == crate::cert::CertProfile::Raw {
            notes.push(
                "legacy encoding: decoded with the lenient Raw profile (not RFC 5280 conformant)"
                    .to_owned(),
            );
        }
        if role == CertRole::Csca && !self.by_id.contains_key(&cert.fingerprint) {
            // A single CSCA is the user's own trust decision; its
            // self-signature at least proves the file is intact.
            if let Err(e) = verifier.verify(
                &cert.spki,
                &cert.signature_algorithm,
                cert.tbs_der(),
                &cert.signature,
            ) {
                report.push(
                    "csca",
                    Some(cert.id()),
                    cert.subject.to_string(),
                    ImportOutcome::Rejected {
                        reason: format!("its self-signature does not verify ({e}): the certificate is corrupt or not self-signed"),
                    },
                );
                return;
            }
            notes.push("self-signature verified".into());
        }
        if role == CertRole::Link {
            match self.verify_issued(&cert, verifier) {
                Some(by) => notes.push(format!("signature verified with the key of {by}")),
                None => notes.push(
                    "issuing CSCA not in the store (yet): verified during passive authentication"
                        .into(),
                ),
            }
        }
        let (outcome, id) = self.insert_certificate(cert.clone(), role, source);
        let item = report.push(
            &role.to_string(),
            Some(id),
            cert.subject.to_string(),
            outcome,
        );
        item.notes = notes;
    }

    /// Finds a CA certificate in the store whose key verifies `cert`'s
    /// signature; returns its subject.
    fn verify_issued(
        &self,
        cert: &CertificateInfo,
        verifier: &dyn SignatureVerifier,
    ) -> Option<String> {
        self.issuer_candidates(cert)
            .into_iter()
            .find(|c| {
                verifier
                    .verify(
                        &c.cert.spki,
                        &cert.signature_algorithm,
                        cert.tbs_der(),
                        &cert.signature,
                    )
                    .is_ok()
            })
            .map(|c| format!("\"{}\" ({})", c.cert.subject, &c.cert.id()[..16]))
    }

    /// Inserts (or merges) a parsed certificate with a role.
    fn insert_certificate(
        &mut self,
        cert: CertificateInfo,
        role: CertRole,
        source: &str,
    ) -> (ImportOutcome, String) {
        let id = cert.id();
        if let Some(&i) = self.by_id.get(&cert.fingerprint) {
            let entry = &mut self.certs[i];
            if !entry.sources.iter().any(|s| s == source) {
                entry.sources.push(source.to_owned());
            }
            // A certificate seen as DS first and as CSCA later (or the
            // reverse) keeps the more trusted role only if it is a CSCA.
            if role == CertRole::Csca
                && entry.role != CertRole::Csca
                && cert.is_self_signed_candidate()
            {
                entry.role = CertRole::Csca;
            }
            return (ImportOutcome::Merged, id);
        }
        let i = self.certs.len();
        self.by_id.insert(cert.fingerprint, i);
        self.by_subject
            .entry(cert.subject.key().to_owned())
            .or_default()
            .push(i);
        if let Some(ski) = &cert.ski {
            self.by_ski.entry(ski.clone()).or_default().push(i);
        }
        if let Some(c) = cert.subject.country() {
            self.by_country.entry(c.to_owned()).or_default().push(i);
        }
        self.certs.push(StoredCertificate {
            cert,
            role,
            sources: vec![source.to_owned()],
        });
        (ImportOutcome::Imported, id)
    }

    fn import_crl(
        &mut self,
        der: &[u8],
        source: &str,
        verifier: &dyn SignatureVerifier,
        report: &mut ImportReport,
    ) {
        let crl = match CrlInfo::from_der(der) {
            Ok(c) => c,
            Err(e) => {
                report.reject("crl", e.to_string());
                return;
            }
        };
        let id = crl.id();
        let desc = format!("CRL of \"{}\", thisUpdate {}", crl.issuer, crl.this_update);
        if let Some(&i) = self.crl_by_id.get(&crl.fingerprint) {
            let e = &mut self.crls[i];
            if !e.sources.iter().any(|s| s == source) {
                e.sources.push(source.to_owned());
            }
            report.push("crl", Some(id), desc, ImportOutcome::Merged);
            return;
        }
        let status = self.verify_crl(&crl, verifier);
        let mut notes = vec![match &crl.next_update {
            Some(n) => format!(
                "nextUpdate {n}; {} revoked certificate(s)",
                crl.revoked.len()
            ),
            None => format!(
                "no nextUpdate (Doc 9303-12 requires one); {} revoked",
                crl.revoked.len()
            ),
        }];
        notes.push(match &status {
            CrlStatus::Verified { by } => format!("signature verified with CSCA {}", by.get(..16).unwrap_or(by)),
            CrlStatus::Invalid { reason } => format!(
                "SIGNATURE INVALID ({reason}); kept so that passive authentication fails ds.revocation for this CSCA until a genuine CRL replaces it"
            ),
            CrlStatus::Unverified => "CSCA not in the store yet: the signature is verified once it is imported".into(),
        });
        let i = self.crls.len();
        self.crl_by_id.insert(crl.fingerprint, i);
        self.crl_by_issuer
            .entry(crl.issuer.key().to_owned())
            .or_default()
            .push(i);
        self.crls.push(StoredCrl {
            crl,
            status,
            sources: vec![source.to_owned()],
        });
        report
            .push("crl", Some(id), desc, ImportOutcome::Imported)
            .notes = notes;
    }

    /// Verifies a CRL with the keys of the CSCA certificates of its issuer
    /// name (AKI-matching ones first).
    pub(crate) fn verify_crl(&self, crl: &CrlInfo, verifier: &dyn SignatureVerifier) -> CrlStatus {
        let mut candidates: Vec<&StoredCertificate> = self
            .by_subject
            .get(crl.issuer.key())
            .into_iter()
            .flatten()
            .map(|&i| &self.certs[i])
            .filter(|c| matches!(c.role, CertRole::Csca | CertRole::Link))
            .collect();
        if candidates.is_empty() {
            return CrlStatus::Unverified;
        }
        candidates.sort_by_key(|c| crl.aki.is_none() || c.cert.ski != crl.aki);
        for c in &candidates {
            if verifier
                .verify(
                    &c.cert.spki,
                    &crl.signature_algorithm,
                    crl.tbs_der(),
                    &crl.signature,
                )
                .is_ok()
            {
                return CrlStatus::Verified { by: c.cert.id() };
            }
        }
        CrlStatus::Invalid {
            reason: format!(
                "none of the {} key(s) of CSCA \"{}\" in the store verifies it",
                candidates.len(),
                crl.issuer
            ),
        }
    }

    /// Re-verifies CRLs whose CSCA was not in the store when they came.
    fn revalidate_crls(&mut self, verifier: &dyn SignatureVerifier) {
        for i in 0..self.crls.len() {
            if self.crls[i].status == CrlStatus::Unverified {
                let s = self.verify_crl(&self.crls[i].crl, verifier);
                self.crls[i].status = s;
            }
        }
    }

    fn import_cms(
        &mut self,
        bytes: &[u8],
        source: &str,
        options: &ImportOptions,
        verifier: &dyn SignatureVerifier,
        report: &mut ImportReport,
    ) {
        let (der, ber) = match der_walk::to_der(bytes) {
            Ok(x) => x,
            Err(e) => {
                report.reject("file", format!("CMS: {e}"));
                return;
            }
        };
        if !ber.is_empty() {
            report.notes.push(format!(
                "BER encoding ({}): converted to DER",
                ber.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        let obj = match SignedObject::parse(&der) {
            Ok(o) => o,
            Err(e) => {
                report.reject("file", e.to_string());
                return;
            }
        };
        let kind = match obj.econtent_type {
            oid::ID_ICAO_CSCA_MASTER_LIST => ListKind::MasterList,
            oid::ID_ICAO_DEVIATION_LIST => ListKind::DeviationList,
            oid::ID_ICAO_LDS_SECURITY_OBJECT => {
                report.push(
                    "file",
                    None,
                    "EF.SOD",
                    ImportOutcome::Skipped {
                        reason: "an EF.SOD is not trust material (use `mrtd verify`)".into(),
                    },
                );
                return;
            }
            other => {
                report.reject("file", format!("CMS content type {other} is neither a CSCA master list nor a deviation list"));
                return;
            }
        };
        let kind_name = match kind {
            ListKind::MasterList => "master-list",
            ListKind::DeviationList => "deviation-list",
        };
        let list_id = hex::encode(crate::cert::sha256(bytes));

        // 1. The CMS signature (same checks as for EF.SOD).
        let mut checks = Checks::default();
        let outcome = check_signer(&obj, "list", None, verifier, &mut checks);
        let failed: Vec<String> = checks
            .0
            .iter()
            .filter(|c| c.status != CheckStatus::Pass && c.status != CheckStatus::Warn)
            .map(|c| format!("{}: {}", c.id, c.reason))
            .collect();
        let Some((signer, _)) = outcome
            .signer
            .filter(|_| failed.is_empty() && outcome.signature_ok)
        else {
            report.push(
                kind_name,
                Some(list_id),
                source,
                ImportOutcome::Rejected {
                    reason: format!(
                        "the list's CMS signature is not valid: {}",
                        failed.join("; ")
                    ),
                },
            );
            return;
        };

        // 2. The list content.
        let Some(econtent) = obj.econtent else {
            report.reject(kind_name, "no eContent");
            return;
        };
        let entries: Vec<&[u8]> = match kind {
            ListKind::MasterList => match CscaMasterList::parse(econtent) {
                Ok(ml) => ml.certificates,
                Err(e) => {
                    report.reject(kind_name, e.to_string());
                    return;
                }
            },
            ListKind::DeviationList => match DeviationList::parse(econtent) {
                Ok(dl) => dl.deviations,
                Err(e) => {
                    report.reject(kind_name, e.to_string());
                    return;
                }
            },
        };

        // 3. The signer's certificate: issued by a given root, an anchor
        //    of the store, or a CSCA inside the list / the CMS certificates.
        // Each entry is decoded once, here, and inserted below.
        let parsed: Vec<Result<CertificateInfo, String>> = match kind {
            ListKind::MasterList => entries.iter().map(|d| parse_certificate(d)).collect(),
            ListKind::DeviationList => Vec::new(),
        };
        let carried: Vec<CertificateInfo> = obj
            .certificates
            .iter()
            .filter_map(|d| parse_certificate(d).ok())
            .collect();
        let in_list: Vec<&CertificateInfo> = parsed
            .iter()
            .filter_map(|c| c.as_ref().ok())
            .chain(carried.iter())
            .collect();
        let verifies = |issuer: &CertificateInfo| {
            (issuer.subject.matches(&signer.issuer)
                || (signer.aki.is_some() && issuer.ski == signer.aki))
                && verifier
                    .verify(
                        &issuer.spki,
                        &signer.signature_algorithm,
                        signer.tbs_der(),
                        &signer.signature,
                    )
                    .is_ok()
        };
        let signer_country = signer.subject.country().map(str::to_owned);
        let how = if let Some(root) = options.roots.iter().find(|r| verifies(r)) {
            format!(
                "signer certificate verified with the given root \"{}\" ({})",
                root.subject,
                &root.id()[..16]
            )
        } else if let Some(a) = self
            .certs
            .iter()
            .find(|c| c.is_anchor() && verifies(&c.cert))
        {
            format!(
                "signer certificate verified with trust anchor \"{}\" already in the store",
                a.cert.subject
            )
        } else if !options.roots.is_empty() {
            report.push(
                kind_name,
                Some(list_id),
                source,
                ImportOutcome::Rejected {
                    reason: format!(
                        "the signer \"{}\" is not issued by any of the {} given root(s)",
                        signer.subject,
                        options.roots.len()
                    ),
                },
            );
            return;
        } else if let Some(c) = in_list
            .iter()
            .find(|c| c.is_self_signed_candidate() && verifies(c))
        {
            format!(
                "signer certificate verified with \"{}\" carried in the list itself (self-consistent; pin the publisher with a root to prove who published it)",
                c.subject
            )
        } else {
            report.push(kind_name, Some(list_id), source, ImportOutcome::Rejected {
                reason: format!(
                    "the signer certificate \"{}\" (issuer \"{}\") is not issued by a CSCA in the list, in the store or given as root",
                    signer.subject, signer.issuer
                ),
            });
            return;
        };
        let eku_note = match (&signer.ext_key_usage, kind) {
            (Some(ekus), ListKind::MasterList) if ekus.contains(&oid::ID_ICAO_CSCA_MASTER_LIST_SIGNING_KEY) => None,
            (Some(ekus), ListKind::DeviationList) if ekus.contains(&oid::ID_ICAO_DEVIATION_LIST_SIGNING_KEY) => None,
            _ => Some("the signer certificate lacks the ICAO list-signing extended key usage (Doc 9303-12 §7.1.2)".to_owned()),
        };
        let verification = format!(
            "CMS signature verified ({}); {how}",
            outcome.scheme.map_or_else(String::new, |s| s.to_string())
        );
        report.notes.push(verification.clone());
        if let Some(n) = &eku_note {
            report.notes.push(n.clone());
        }
        let signer_summary = signer.subject.to_string();
        let signer_role = match kind {
            ListKind::MasterList => CertRole::MasterListSigner,
            ListKind::DeviationList => CertRole::DeviationListSigner,
        };
        let (o, id) = self.insert_certificate(signer, signer_role, source);
        report.push(
            &signer_role.to_string(),
            Some(id),
            signer_summary.clone(),
            o,
        );

        // 4. The entries.
        if kind == ListKind::MasterList {
            for cert in parsed {
                match cert {
                    Err(e) => report.reject("certificate", e),
                    Ok(cert) => {
                        let role = if cert.is_self_signed_candidate() {
                            CertRole::Csca
                        } else {
                            CertRole::Link
                        };
                        let legacy = cert.profile == crate::cert::CertProfile::Raw;
                        let subject = cert.subject.to_string();
                        let (o, id) = self.insert_certificate(cert, role, source);
                        let item = report.push(&role.to_string(), Some(id), subject, o);
                        if legacy {
                            item.notes.push(
                                "legacy encoding: decoded with the lenient Raw profile".into(),
                            );
                        }
                    }
                }
            }
        }
        if let Some(existing) = self.lists.iter().position(|l| l.id == list_id) {
            self.lists[existing].source = source.to_owned();
        } else {
            self.lists.push(ListRecord {
                id: list_id.clone(),
                kind,
                country: signer_country,
                signer: Some(signer_summary),
                signing_time: outcome.signing_time,
                verification,
                entries: entries.len(),
                source: source.to_owned(),
            });
        }
        let item = report.push(kind_name, Some(list_id), source, ImportOutcome::Imported);
        item.notes.push(format!("{} entries", entries.len()));
    }

    /// Restores a certificate with a known role (used by persistence; no
    /// verification).
    pub fn restore_certificate(
        &mut self,
        der: &[u8],
        role: CertRole,
        sources: Vec<String>,
    ) -> Result<(), crate::ParseError> {
        let cert = parse_certificate(der).map_err(|e| crate::ParseError::new("certificate", e))?;
        let id_source = sources.first().cloned().unwrap_or_default();
        self.insert_certificate(cert.clone(), role, &id_source);
        if let Some(&i) = self.by_id.get(&cert.fingerprint) {
            for s in sources {
                if !self.certs[i].sources.contains(&s) {
                    self.certs[i].sources.push(s);
                }
            }
            self.certs[i].role = role;
        }
        Ok(())
    }

    /// Restores a CRL (used by persistence); its signature is verified
    /// again with [`TrustStore::finish_restore`].
    pub fn restore_crl(
        &mut self,
        der: &[u8],
        sources: Vec<String>,
    ) -> Result<(), crate::ParseError> {
        let crl = CrlInfo::from_der(der)?;
        if self.crl_by_id.contains_key(&crl.fingerprint) {
            return Ok(());
        }
        let i = self.crls.len();
        self.crl_by_id.insert(crl.fingerprint, i);
        self.crl_by_issuer
            .entry(crl.issuer.key().to_owned())
            .or_default()
            .push(i);
        self.crls.push(StoredCrl {
            crl,
            status: CrlStatus::Unverified,
            sources,
        });
        Ok(())
    }

    /// Restores a list record (used by persistence).
    pub fn restore_list(&mut self, record: ListRecord) {
        if !self.lists.iter().any(|l| l.id == record.id) {
            self.lists.push(record);
        }
    }

    /// Verifies the CRL signatures after a restore.
    pub fn finish_restore(&mut self, verifier: &dyn SignatureVerifier) {
        self.revalidate_crls(verifier);
    }

    /// Every certificate.
    pub fn certificates(&self) -> impl Iterator<Item = &StoredCertificate> {
        self.certs.iter()
    }

    /// Every CRL.
    pub fn crls(&self) -> impl Iterator<Item = &StoredCrl> {
        self.crls.iter()
    }

    /// Every imported master or deviation list.
    pub fn lists(&self) -> impl Iterator<Item = &ListRecord> {
        self.lists.iter()
    }

    /// Number of trust anchors (self-signed CSCAs).
    #[must_use]
    pub fn anchor_count(&self) -> usize {
        self.certs.iter().filter(|c| c.is_anchor()).count()
    }

    /// The certificate with this SHA-256 fingerprint.
    #[must_use]
    pub fn by_fingerprint(&self, fp: &[u8; 32]) -> Option<&StoredCertificate> {
        self.by_id.get(fp).map(|&i| &self.certs[i])
    }

    /// Certificates and CRLs whose id starts with `prefix` (hex).
    #[must_use]
    pub fn find_id(&self, prefix: &str) -> (Vec<&StoredCertificate>, Vec<&StoredCrl>) {
        let p = prefix.to_ascii_lowercase();
        (
            self.certs
                .iter()
                .filter(|c| c.cert.id().starts_with(&p))
                .collect(),
            self.crls
                .iter()
                .filter(|c| c.crl.id().starts_with(&p))
                .collect(),
        )
    }

    /// Certificates whose subject matches `name` (normalised comparison).
    pub fn by_subject(
        &self,
        name: &crate::DistinguishedName,
    ) -> impl Iterator<Item = &StoredCertificate> {
        self.by_subject
            .get(name.key())
            .into_iter()
            .flatten()
            .map(|&i| &self.certs[i])
    }

    /// Certificates with subject key identifier `ski`.
    pub fn by_ski(&self, ski: &[u8]) -> impl Iterator<Item = &StoredCertificate> {
        self.by_ski
            .get(ski)
            .into_iter()
            .flatten()
            .map(|&i| &self.certs[i])
    }

    /// Certificates whose subject country is `country` (ISO alpha-2).
    pub fn by_country(&self, country: &str) -> impl Iterator<Item = &StoredCertificate> {
        self.by_country
            .get(&country.to_ascii_uppercase())
            .into_iter()
            .flatten()
            .map(|&i| &self.certs[i])
    }

    /// The countries with certificates, with counts.
    #[must_use]
    pub fn countries(&self) -> Vec<(String, usize)> {
        self.by_country
            .iter()
            .map(|(c, v)| (c.clone(), v.len()))
            .collect()
    }

    /// A certificate the store has for a CMS signer identifier (a DS from
    /// the PKD, for an EF.SOD without its certificate).
    #[must_use]
    pub fn find_signer(&self, sid: &SignerId) -> Option<&CertificateInfo> {
        match sid {
            SignerId::SubjectKeyId(k) => self.by_ski(k).next().map(|c| &c.cert),
            SignerId::IssuerSerial { issuer, serial } => self
                .certs
                .iter()
                .find(|c| same_integer(&c.cert.serial, serial) && c.cert.issuer.matches(issuer))
                .map(|c| &c.cert),
        }
    }

    /// The CA certificates (CSCAs and link certificates) that may have
    /// issued `cert`: those whose SKI equals its AKI, and those whose
    /// subject equals its issuer name; anchors first, then certificates
    /// matching both, deduplicated.
    #[must_use]
    pub fn issuer_candidates(&self, cert: &CertificateInfo) -> Vec<&StoredCertificate> {
        let mut idx: Vec<usize> = Vec::new();
        if let Some(aki) = &cert.aki {
            idx.extend(self.by_ski.get(aki).into_iter().flatten());
        }
        idx.extend(self.by_subject.get(cert.issuer.key()).into_iter().flatten());
        idx.sort_unstable();
        idx.dedup();
        let mut out: Vec<&StoredCertificate> = idx
            .into_iter()
            .map(|i| &self.certs[i])
            .filter(|c| matches!(c.role, CertRole::Csca | CertRole::Link))
            .filter(|c| c.cert.fingerprint != cert.fingerprint)
            .collect();
        out.sort_by_key(|c| {
            let both = c.cert.subject.matches(&cert.issuer)
                && cert.aki.is_some()
                && c.cert.ski == cert.aki;
            (!both, !c.is_anchor())
        });
        out
    }

    /// The CRLs issued in the name of `issuer`.
    pub fn crls_of(&self, issuer: &crate::DistinguishedName) -> impl Iterator<Item = &StoredCrl> {
        self.crl_by_issuer
            .get(issuer.key())
            .into_iter()
            .flatten()
            .map(|&i| &self.crls[i])
    }

    /// Verifies the signature of every certificate whose issuer is in the
    /// store (CSCA self-signatures, link certificates, DSCs): the check
    /// import leaves out for speed. Returns `(id, subject, problem)` for
    /// each certificate that does not verify.
    #[must_use]
    pub fn audit(&self, verifier: &dyn SignatureVerifier) -> Vec<(String, String, String)> {
        let mut bad = Vec::new();
        for c in &self.certs {
            let cert = &c.cert;
            let ok = if c.is_anchor() {
                verifier
                    .verify(
                        &cert.spki,
                        &cert.signature_algorithm,
                        cert.tbs_der(),
                        &cert.signature,
                    )
                    .map_err(|e| e.to_string())
            } else {
                let cands = self.issuer_candidates(cert);
                if cands.is_empty() {
                    continue;
                }
                if cands.iter().any(|i| {
                    verifier
                        .verify(
                            &i.cert.spki,
                            &cert.signature_algorithm,
                            cert.tbs_der(),
                            &cert.signature,
                        )
                        .is_ok()
                }) {
                    Ok(())
                } else {
                    Err(format!(
                        "no key of the {} candidate issuer(s) verifies it",
                        cands.len()
                    ))
                }
            };
            if let Err(e) = ok {
                bad.push((cert.id(), cert.subject.to_string(), e));
            }
        }
        bad
    }
}

/// Decodes a certificate, as a string error for reports.
fn parse_certificate(der: &[u8]) -> Result<CertificateInfo, String> {
    CertificateInfo::from_der(der).map_err(|e| e.to_string())
}

/// CSCA, link, list signer or DS, from the certificate alone.
fn classify(cert: &CertificateInfo) -> CertRole {
    let eku = cert.ext_key_usage.as_deref().unwrap_or_default();
    if eku.contains(&oid::ID_ICAO_CSCA_MASTER_LIST_SIGNING_KEY) {
        return CertRole::MasterListSigner;
    }
    if eku.contains(&oid::ID_ICAO_DEVIATION_LIST_SIGNING_KEY) {
        return CertRole::DeviationListSigner;
    }
    // A self-signed certificate is a CSCA even when its constraints are
    // wrong (cA FALSE, no keyCertSign): passive authentication reports
    // that as `csca.constraints` instead of not finding the CSCA at all.
    if cert.is_self_signed_candidate() {
        CertRole::Csca
    } else if cert.is_ca() {
        CertRole::Link
    } else {
        CertRole::DocumentSigner
    }
}

/// DER certificate, CRL or ContentInfo, told apart by structure.
fn sniff(bytes: &[u8]) -> Option<Format> {
    let (outer, _) = der_walk::read(bytes, 0).ok()?;
    if outer.tag != [0x30] {
        return None;
    }
    let kids = outer.children().ok()?;
    match (kids.first(), kids.get(1)) {
        (Some(a), Some(b)) if a.tag == [0x06] && b.tag == [0xA0] => Some(Format::Cms),
        (Some(tbs), Some(_)) if tbs.tag == [0x30] => {
            let fields = tbs.children().ok()?;
            // A CRL has thisUpdate (a Time) among its first four fields; a
            // certificate has none there.
            if fields
                .iter()
                .take(4)
                .any(|f| f.tag == [0x17] || f.tag == [0x18])
            {
                Some(Format::Crl)
            } else {
                Some(Format::Certificate)
            }
        }
        _ => None,
    }
}

/// The PEM blocks of a text file (`None` if it has none).
fn pem_blocks(bytes: &[u8]) -> Option<Vec<(String, Vec<u8>)>> {
    let text = core::str::from_utf8(bytes).ok()?;
    if !text.contains("-----BEGIN ") {
        return None;
    }
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("-----BEGIN ") {
        let after = &rest[start + 11..];
        let Some(label_end) = after.find("-----") else {
            break;
        };
        let label = after[..label_end].trim().to_owned();
        let end_marker = format!("-----END {label}-----");
        let Some(end) = after.find(&end_marker) else {
            break;
        };
        let body: String = after[label_end + 5..end]
            .lines()
            .filter(|l| !l.contains(':'))
            .flat_map(|l| l.chars())
            .filter(|c| !c.is_whitespace())
            .collect();
        if let Ok(der) = <base64ct::Base64 as base64ct::Encoding>::decode_vec(&body) {
            out.push((label, der));
        }
        rest = &after[end + end_marker.len()..];
    }
    Some(out)
}

/// For tests and tools: the OID of a CMS file's eContent, if it is one.
#[must_use]
pub fn cms_content_type(bytes: &[u8]) -> Option<ObjectIdentifier> {
    let (der, _) = der_walk::to_der(bytes).ok()?;
    SignedObject::parse(&der).ok().map(|o| o.econtent_type)
}

/// What `mrtd trust list` shows of a certificate.
#[derive(Clone, Debug, Serialize)]
pub struct CertificateListing {
    /// Role.
    pub role: CertRole,
    /// Summary.
    #[serde(flatten)]
    pub summary: CertificateSummary,
    /// Sources.
    pub sources: Vec<String>,
}

impl StoredCertificate {
    /// A listing entry.
    #[must_use]
    pub fn listing(&self) -> CertificateListing {
        CertificateListing {
            role: self.role,
            summary: self.cert.summary(),
            sources: self.sources.clone(),
        }
    }
}
