//! From a Document Signer certificate to a trust anchor (Doc 9303-12 §5,
//! §7.1; Doc 9303-11 §5.1 step 3): the DS signature with the CSCA key,
//! name and key-identifier chaining, validity at verification and signing
//! time, key usage, basic constraints, link certificates and revocation.

use crate::algorithm::SignatureScheme;
use crate::cert::{CertificateInfo, KeyUsage};
use crate::crl::CrlInfo;
use crate::policy::Policy;
use crate::report::Checks;
use crate::signed::report_verify_error;
use crate::store::{CertRole, CrlStatus, StoredCertificate, TrustStore};
use crate::time::Timestamp;
use crate::verifier::SignatureVerifier;

/// Longest link-certificate path followed (a CSCA renews its key every 3–5
/// years; eight links cover decades).
const MAX_LINKS: usize = 8;

/// What the chain checks found.
pub(crate) struct ChainOutcome<'s> {
    /// The certificates from the one whose key issued the DS up to the
    /// trust anchor.
    pub(crate) path: Vec<&'s CertificateInfo>,
    /// A trust anchor was reached.
    pub(crate) anchored: bool,
}

fn short(c: &CertificateInfo) -> String {
    format!(
        "\"{}\" (serial {}, id {})",
        c.subject,
        hex::encode_upper(&c.serial),
        &c.id()[..16]
    )
}

fn fmt_validity(c: &CertificateInfo) -> String {
    format!("{} – {}", c.not_before, c.not_after)
}

/// Runs `ds.*` and `csca.*` for `ds`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn check_chain<'s>(
    ds: &CertificateInfo,
    store: &'s TrustStore,
    at: Timestamp,
    signing_time: Option<Timestamp>,
    document_code: Option<&str>,
    policy: &Policy,
    verifier: &dyn SignatureVerifier,
    checks: &mut Checks,
) -> ChainOutcome<'s> {
    let mut out = ChainOutcome {
        path: Vec::new(),
        anchored: false,
    };

    // The DS on its own: validity and key usage.
    ds_validity(ds, at, signing_time, policy, checks);
    ds_key_usage(ds, document_code, checks);

    // Which CSCA key issued the DS.
    let candidates = store.issuer_candidates(ds);
    if candidates.is_empty() {
        let hint = ds
            .issuer
            .country()
            .map(|c| format!(" (country {c}: import its CSCA master list or CSCA certificate)"))
            .unwrap_or_default();
        checks.not_checked(
            "csca.trust",
            format!(
                "no CSCA for the DS issuer \"{}\"{} is in the trust store{hint}",
                ds.issuer,
                ds.aki
                    .as_ref()
                    .map(|a| format!(", key id {}", hex::encode_upper(a)))
                    .unwrap_or_default()
            ),
        );
        for id in [
            "ds.signature",
            "ds.chain",
            "csca.validity",
            "csca.constraints",
            "csca.link",
            "ds.revocation",
        ] {
            checks.not_checked(id, "no CSCA for the DS issuer in the trust store");
        }
        return out;
    }
    let mut issuer: Option<&StoredCertificate> = None;
    let mut last_err = None;
    for c in &candidates {
        match verifier.verify(
            &c.cert.spki,
            &ds.signature_algorithm,
            ds.tbs_der(),
            &ds.signature,
        ) {
            Ok(()) => {
                issuer = Some(c);
                break;
            }
            Err(e) => last_err = Some(e),
        }
    }
    let Some(issuer) = issuer else {
        let e = last_err.unwrap_or(crate::VerifyError::BadSignature);
        report_verify_error(
            checks,
            "ds.signature",
            &e,
            &format!(
                "the DS certificate's signature, checked with the {} CSCA key(s) in the store for \"{}\",",
                candidates.len(),
                ds.issuer
            ),
        );
        if matches!(e, crate::VerifyError::BadSignature)
            && let Some(c) = checks.0.last_mut()
        {
            c.reason.push_str(": the DS was not issued by a CSCA in the trust store (forged DS, or a CSCA key missing from the store)");
        }
        checks.not_checked(
            "csca.trust",
            "no CSCA in the store verifies the DS certificate",
        );
        for id in [
            "ds.chain",
            "csca.validity",
            "csca.constraints",
            "csca.link",
            "ds.revocation",
        ] {
            checks.not_checked(id, "the DS issuer could not be established");
        }
        return out;
    };
    let scheme = SignatureScheme::from_algorithm_identifier(&ds.signature_algorithm).map_or_else(
        |_| ds.signature_algorithm.oid.to_string(),
        |s| s.to_string(),
    );
    checks.pass(
        "ds.signature",
        format!(
            "the DS certificate's {scheme} signature verifies with the key of {}",
            short(&issuer.cert)
        ),
    );

    // Name and key-identifier chaining.
    let csca = &issuer.cert;
    let mut problems = Vec::new();
    let mut notes = Vec::new();
    if !csca.subject.matches(&ds.issuer) {
        problems.push(format!(
            "the DS issuer name \"{}\" differs from the CSCA subject \"{}\"",
            ds.issuer, csca.subject
        ));
    } else if !csca.subject.same_der(&ds.issuer) {
        notes.push("issuer and CSCA subject are equal only after normalisation (string types or case differ)".to_owned());
    }
    match (&ds.aki, &csca.ski) {
        (Some(a), Some(s)) if a != s => problems.push(format!(
            "the DS authority key identifier {} differs from the CSCA subject key identifier {}",
            hex::encode_upper(a),
            hex::encode_upper(s)
        )),
        (None, _) => notes.push(
            "the DS has no authority key identifier (Doc 9303-12 Table 6 requires one)".into(),
        ),
        _ => {}
    }
    if !problems.is_empty() {
        checks.fail("ds.chain", problems.join("; "));
    } else if notes.is_empty() {
        checks.pass(
            "ds.chain",
            format!(
                "issuer name and key identifier chain the DS to {}",
                short(csca)
            ),
        );
    } else {
        checks.warn(
            "ds.chain",
            format!("chained to {}, but {}", short(csca), notes.join("; ")),
        );
    }

    // The path to a trust anchor (link certificates).
    out.path.push(csca);
    let mut current = issuer;
    // A link certificate whose key also has a self-signed certificate in
    // the store is anchored by that one directly.
    if current.role == CertRole::Link
        && let Some(anchor) = store.certificates().find(|c| {
            c.is_anchor()
                && c.cert.spki == current.cert.spki
                && c.cert.subject.matches(&current.cert.subject)
        })
    {
        out.path[0] = &anchor.cert;
        current = anchor;
    }
    let walk = walk_links(current, &out.path, store, at, verifier);
    out.path.extend(walk.path.iter().skip(1).copied());
    let link_problems = walk.problems;
    let link_steps = walk.steps;
    if let Some(link) = walk.missing_parent {
        checks.not_checked(
            "csca.trust",
            format!(
                "the DS was issued by the key of link certificate {}, but the CSCA that signed it (\"{}\") is not in the trust store",
                short(link),
                link.issuer
            ),
        );
        checks.not_checked(
            "csca.link",
            "the older CSCA of the link certificate is not in the store",
        );
        csca_checks(&out.path, at, checks);
        revocation(ds, csca, store, at, verifier, checks);
        return out;
    }
    if !link_problems.is_empty() {
        checks.fail(
            "csca.link",
            format!(
                "{}: the CSCA key that issued the DS is not linked to a trusted CSCA",
                link_problems.join("; ")
            ),
        );
        checks.not_checked("csca.trust", "the link-certificate path is broken");
    } else {
        if link_steps.is_empty() {
            checks.not_checked(
                "csca.link",
                "no link certificate needed: the DS was issued by a trust anchor's key",
            );
        } else {
            checks.pass(
                "csca.link",
                format!("link path verified: {}", link_steps.join("; ")),
            );
        }
        out.anchored = true;
        let anchor = out.path.last().copied().unwrap_or(csca);
        let sources = store
            .by_fingerprint(&anchor.fingerprint)
            .map(|c| c.sources.join(", "))
            .unwrap_or_default();
        checks.pass(
            "csca.trust",
            format!("trust anchor {} (from {sources})", short(anchor)),
        );
    }
    csca_checks(&out.path, at, checks);
    revocation(ds, csca, store, at, verifier, checks);
    out
}

fn ds_validity(
    ds: &CertificateInfo,
    at: Timestamp,
    signing_time: Option<Timestamp>,
    policy: &Policy,
    checks: &mut Checks,
) {
    let bad = |checks: &mut Checks, id: &str, why: String| {
        if policy.lenient_ds_validity {
            checks.warn(id, why);
        } else {
            checks.fail(id, why);
        }
    };
    if ds.valid_at(at) {
        checks.pass(
            "ds.validity",
            format!("the DS certificate is valid at {at} ({})", fmt_validity(ds)),
        );
    } else if at < ds.not_before {
        bad(
            checks,
            "ds.validity",
            format!(
                "the DS certificate is not yet valid at {at} (valid {}): check the verification time or the document",
                fmt_validity(ds)
            ),
        );
    } else {
        bad(
            checks,
            "ds.validity",
            format!(
                "the DS certificate expired before {at} (valid {}): documents it signed are past their validity",
                fmt_validity(ds)
            ),
        );
    }
    match signing_time {
        None => checks.not_checked(
            "ds.validity-at-signing",
            "the SOD has no signingTime attribute",
        ),
        Some(t) if ds.valid_at(t) => {
            let kp = ds
                .private_key_usage_period
                .and_then(|(_, end)| end)
                .filter(|end| t > *end);
            match kp {
                Some(end) => checks.warn(
                    "ds.validity-at-signing",
                    format!("signed at {t}, after the DS private key usage period ended ({end})"),
                ),
                None => checks.pass(
                    "ds.validity-at-signing",
                    format!(
                        "signed at {t}, within the DS validity ({})",
                        fmt_validity(ds)
                    ),
                ),
            }
        }
        Some(t) => bad(
            checks,
            "ds.validity-at-signing",
            format!(
                "signed at {t}, outside the DS validity ({}): the DS key was not allowed to sign then",
                fmt_validity(ds)
            ),
        ),
    }
}

fn ds_key_usage(ds: &CertificateInfo, document_code: Option<&str>, checks: &mut Checks) {
    let mut fails = Vec::new();
    let mut warns = Vec::new();
    match ds.key_usage {
        None => warns.push("no keyUsage extension (Doc 9303-12 Table 6 requires it; RFC 5280 reads its absence as unrestricted)".to_owned()),
        Some((ku, critical)) => {
            if !ku.has(KeyUsage::DIGITAL_SIGNATURE) {
                fails.push(format!("keyUsage ({ku}) lacks digitalSignature"));
            }
            if ku.has(KeyUsage::KEY_CERT_SIGN) {
                fails.push(format!("keyUsage ({ku}) includes keyCertSign: a DS must not issue certificates"));
            }
            if !critical {
                warns.push("keyUsage is not marked critical".to_owned());
            }
        }
    }
    if ds.is_ca() {
        fails.push("basicConstraints cA is TRUE: a DS is not a CA".into());
    }
    if let Some(eku) = &ds.ext_key_usage {
        warns.push(format!(
            "extended key usage present ({}), which the Doc 9303-12 DS profile does not use",
            eku.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if !ds.unknown_critical_extensions.is_empty() {
        fails.push(format!(
            "unknown critical extension(s) {}",
            ds.unknown_critical_extensions
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if let (Some(types), Some(code)) = (&ds.document_types, document_code) {
        let code = code.trim_end_matches('<');
        let allowed = types.iter().any(|t| {
            let t = t.trim_end_matches('<');
            !t.is_empty() && code.starts_with(t)
        });
        if !allowed {
            fails.push(format!(
                "the DS Document Type List {types:?} does not include the document code \"{code}\""
            ));
        }
    }
    if !fails.is_empty() {
        checks.fail("ds.key-usage", fails.join("; "));
    } else if !warns.is_empty() {
        checks.warn(
            "ds.key-usage",
            format!("usable for signing, but {}", warns.join("; ")),
        );
    } else {
        checks.pass(
            "ds.key-usage",
            format!(
                "keyUsage digitalSignature (critical){}",
                ds.document_types
                    .as_ref()
                    .map(|t| format!("; Document Type List {t:?}"))
                    .unwrap_or_default()
            ),
        );
    }
}

fn csca_checks(path: &[&CertificateInfo], at: Timestamp, checks: &mut Checks) {
    let Some(csca) = path.first() else { return };
    if csca.valid_at(at) {
        checks.pass(
            "csca.validity",
            format!(
                "the CSCA certificate {} is valid at {at} ({})",
                short(csca),
                fmt_validity(csca)
            ),
        );
    } else {
        checks.fail(
            "csca.validity",
            format!(
                "the CSCA certificate {} is not valid at {at} (valid {}): it may not be used to validate documents now",
                short(csca),
                fmt_validity(csca)
            ),
        );
    }
    let mut fails = Vec::new();
    let mut warns = Vec::new();
    for c in path {
        match c.basic_constraints {
            None => fails.push(format!(
                "{}: no basicConstraints (cA TRUE required)",
                short(c)
            )),
            Some(bc) if !bc.ca => fails.push(format!("{}: basicConstraints cA is FALSE", short(c))),
            Some(bc) if !bc.critical => {
                warns.push(format!("{}: basicConstraints not critical", short(c)))
            }
            Some(_) => {}
        }
        match c.key_usage {
            None => fails.push(format!("{}: no keyUsage (keyCertSign required)", short(c))),
            Some((ku, _)) if !ku.has(KeyUsage::KEY_CERT_SIGN) => {
                fails.push(format!("{}: keyUsage ({ku}) lacks keyCertSign", short(c)));
            }
            Some(_) => {}
        }
        if !c.unknown_critical_extensions.is_empty() {
            fails.push(format!("{}: unknown critical extension(s)", short(c)));
        }
    }
    if !fails.is_empty() {
        checks.fail("csca.constraints", fails.join("; "));
    } else if !warns.is_empty() {
        checks.warn("csca.constraints", warns.join("; "));
    } else {
        checks.pass(
            "csca.constraints",
            "basicConstraints cA TRUE (critical) and keyUsage keyCertSign",
        );
    }
}

fn revocation(
    ds: &CertificateInfo,
    csca: &CertificateInfo,
    store: &TrustStore,
    at: Timestamp,
    verifier: &dyn SignatureVerifier,
    checks: &mut Checks,
) {
    let crls: Vec<_> = store.crls_of(&csca.subject).collect();
    if crls.is_empty() {
        checks.not_checked(
            "ds.revocation",
            format!(
                "no CRL of \"{}\" in the trust store: import the CSCA's CRL to check revocation",
                csca.subject
            ),
        );
        return;
    }
    let mut valid: Vec<&CrlInfo> = Vec::new();
    let mut forged = Vec::new();
    for c in &crls {
        let status = match &c.status {
            CrlStatus::Unverified => store.verify_crl(&c.crl, verifier),
            s => s.clone(),
        };
        match status {
            CrlStatus::Verified { .. } => valid.push(&c.crl),
            CrlStatus::Invalid { reason } => {
                forged.push(format!("CRL {} ({reason})", &c.crl.id()[..16]))
            }
            CrlStatus::Unverified => {
                forged.push(format!("CRL {} (no key to verify it)", &c.crl.id()[..16]))
            }
        }
    }
    if let Some((crl, entry)) = valid
        .iter()
        .find_map(|c| c.revocation_of(&ds.serial).map(|e| (c, e)))
    {
        checks.fail(
            "ds.revocation",
            format!(
                "the DS certificate (serial {}) is revoked since {} by the CRL of \"{}\" issued {}",
                hex::encode_upper(&ds.serial),
                entry.revocation_date,
                crl.issuer,
                crl.this_update
            ),
        );
        return;
    }
    if !forged.is_empty() {
        checks.fail(
            "ds.revocation",
            format!(
                "the store holds a CRL in the name of \"{}\" whose signature does not verify with the CSCA key: {}; revocation status cannot be trusted — remove it and import the genuine CRL",
                csca.subject,
                forged.join("; ")
            ),
        );
        return;
    }
    let newest = valid.iter().max_by_key(|c| c.this_update).copied();
    match newest {
        Some(c) if c.next_update.is_some_and(|n| n < at) => checks.warn(
            "ds.revocation",
            format!(
                "not revoked according to the CRL issued {}, but that CRL is stale (nextUpdate {} is before {at}): import a current CRL",
                c.this_update,
                c.next_update.map(|n| n.to_string()).unwrap_or_default()
            ),
        ),
        Some(c) if c.this_update > at => checks.warn(
            "ds.revocation",
            format!("not revoked, but the newest CRL was issued {} — after the verification time {at}", c.this_update),
        ),
        Some(c) => checks.pass(
            "ds.revocation",
            format!(
                "not revoked according to the CRL of \"{}\" issued {} (nextUpdate {})",
                c.issuer,
                c.this_update,
                c.next_update.map_or_else(|| "none".into(), |n| n.to_string())
            ),
        ),
        None => checks.not_checked("ds.revocation", "no usable CRL"),
    }
}

/// The result of following link certificates up to a trust anchor.
pub(crate) struct LinkWalk<'s> {
    /// From the start certificate to the anchor (or as far as it went).
    pub(crate) path: Vec<&'s CertificateInfo>,
    /// One line per verified link.
    pub(crate) steps: Vec<String>,
    /// What is wrong with the links.
    pub(crate) problems: Vec<String>,
    /// A link whose issuer the store does not have.
    pub(crate) missing_parent: Option<&'s CertificateInfo>,
}

/// Follows link certificates from `start` to a self-signed CSCA, verifying
/// each link's signature with the older key and its validity at `at`.
pub(crate) fn walk_links<'s>(
    start: &'s StoredCertificate,
    seen: &[&CertificateInfo],
    store: &'s TrustStore,
    at: Timestamp,
    verifier: &dyn SignatureVerifier,
) -> LinkWalk<'s> {
    let mut walk = LinkWalk {
        path: vec![&start.cert],
        steps: Vec::new(),
        problems: Vec::new(),
        missing_parent: None,
    };
    let mut current = start;
    while current.role != CertRole::Csca {
        if walk.steps.len() >= MAX_LINKS {
            walk.problems
                .push(format!("more than {MAX_LINKS} link certificates"));
            break;
        }
        let link = &current.cert;
        if !link.valid_at(at) {
            walk.problems.push(format!(
                "link certificate {} is not valid at {at} (valid {})",
                short(link),
                fmt_validity(link)
            ));
        }
        let parents = store.issuer_candidates(link);
        let parent = parents
            .iter()
            .filter(|p| {
                !walk
                    .path
                    .iter()
                    .chain(seen)
                    .any(|q| q.fingerprint == p.cert.fingerprint)
            })
            .find(|p| {
                verifier
                    .verify(
                        &p.cert.spki,
                        &link.signature_algorithm,
                        link.tbs_der(),
                        &link.signature,
                    )
                    .is_ok()
            });
        match parent {
            Some(p) => {
                walk.steps
                    .push(format!("{} is signed by {}", short(link), short(&p.cert)));
                walk.path.push(&p.cert);
                current = p;
            }
            None if parents.is_empty() => {
                walk.missing_parent = Some(link);
                break;
            }
            None => {
                walk.problems.push(format!(
                    "link certificate {} does not verify with any of the {} key(s) of \"{}\" in the store",
                    short(link),
                    parents.len(),
                    link.issuer
                ));
                break;
            }
        }
    }
    walk
}

/// Validates a CSCA or link certificate against the trust anchors of the
/// store: finds the key that signed it, then follows link certificates
/// (Doc 9303-12 §5.2) to a self-signed CSCA. Returns the path from the
/// issuer of `cert` to the anchor, or what is wrong.
///
/// # Errors
/// A message naming the broken or missing link.
pub fn certificate_path<'s>(
    cert: &CertificateInfo,
    store: &'s TrustStore,
    at: Timestamp,
    verifier: &dyn SignatureVerifier,
) -> Result<Vec<&'s CertificateInfo>, String> {
    let candidates = store.issuer_candidates(cert);
    if candidates.is_empty() {
        return Err(format!(
            "no certificate of the issuer \"{}\" in the store",
            cert.issuer
        ));
    }
    let issuer = candidates
        .iter()
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
        .ok_or_else(|| {
            format!(
                "{} does not verify with any of the {} key(s) of its issuer",
                short(cert),
                candidates.len()
            )
        })?;
    let walk = walk_links(issuer, &[cert], store, at, verifier);
    if let Some(m) = walk.missing_parent {
        return Err(format!(
            "the issuer of link certificate {} is not in the store",
            short(m)
        ));
    }
    if !walk.problems.is_empty() {
        return Err(walk.problems.join("; "));
    }
    Ok(walk.path)
}
