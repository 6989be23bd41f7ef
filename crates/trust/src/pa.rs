//! Passive authentication (Doc 9303-11 §5.1, Doc 9303-12): EF.SOD
//! structure, signer, signed attributes, message digest, signature, the DS
//! chain to a trusted CSCA, the issuing state against the CSCA country and
//! every data group hash — each as a [`Check`](crate::Check) of a
//! [`PaReport`].

use std::collections::BTreeMap;

use der::asn1::ObjectIdentifier;
use der::{Decode, Encode};
use mrtd_lds::{DgNumber, EfId, LdsSecurityObject, Sod};

use crate::algorithm::{DigestAlgorithm, PublicKeyKind, SignatureScheme};
use crate::cert::CertificateInfo;
use crate::chain::check_chain;
use crate::cms::SignedObject;
use crate::country::{IssuerCountry, icao_to_iso};
use crate::der_walk;
use crate::oid;
use crate::policy::Policy;
use crate::report::{CheckStatus, Checks, PaReport, Verdict};
use crate::signed::check_signer;
use crate::store::TrustStore;
use crate::time::Timestamp;
use crate::verifier::{RustCryptoVerifier, SignatureVerifier};

/// Everything passive authentication needs.
#[derive(Clone, Copy)]
pub struct PaInputs<'a> {
    /// EF.SOD as read from the chip.
    pub sod: &'a [u8],
    /// The data groups read (whole files, as read).
    pub data_groups: &'a BTreeMap<DgNumber, Vec<u8>>,
    /// The MRZ issuing state (e.g. `D`, `KOR`). `None`: taken from DG1 in
    /// `data_groups` when present.
    pub issuing_state: Option<&'a str>,
    /// The trust anchors, CRLs and DSCs.
    pub store: &'a TrustStore,
    /// The time to validate for (never the clock inside the library).
    pub at: Timestamp,
    /// What to tolerate.
    pub policy: &'a Policy,
}

/// Where a signed object's checks end up and what they use.
#[derive(Clone, Copy)]
pub struct VerifyContext<'a> {
    /// The trust store.
    pub store: &'a TrustStore,
    /// The verification time.
    pub at: Timestamp,
    /// The policy.
    pub policy: &'a Policy,
    /// The signature backend.
    pub verifier: &'a dyn SignatureVerifier,
}

/// Passive authentication with the default signature backend.
#[must_use]
pub fn passive_authentication(inputs: &PaInputs<'_>) -> PaReport {
    passive_authentication_with(inputs, &RustCryptoVerifier)
}

/// Passive authentication of the files of a read (`mrtd read` output):
/// EF.SOD, the data groups, and the issuing state from DG1.
#[must_use]
pub fn verify_files(
    files: &BTreeMap<EfId, Vec<u8>>,
    store: &TrustStore,
    at: Timestamp,
    policy: &Policy,
) -> PaReport {
    crate::authenticity::verify_files_outcome(files, None, store, at, policy).report
}

/// The report when EF.SOD was not read.
pub(crate) fn sod_missing_report(at: Timestamp) -> PaReport {
    let mut checks = Checks::default();
    checks.not_checked(
        "sod.structure",
        "EF.SOD was not read: nothing can be authenticated (read it and verify again)",
    );
    report(
        checks,
        at,
        None,
        None,
        None,
        None,
        Vec::new(),
        RustCryptoVerifier.name(),
        false,
    )
}

/// Passive authentication with a chosen signature backend.
#[must_use]
pub fn passive_authentication_with(
    inputs: &PaInputs<'_>,
    verifier: &dyn SignatureVerifier,
) -> PaReport {
    let policy = inputs.policy;
    let mut checks = Checks::default();
    let mut algorithms = AlgorithmUse::default();

    // The MRZ: issuing state and document code.
    let dg1 = DgNumber::new(1).and_then(|n| inputs.data_groups.get(&n));
    let mrz = dg1
        .and_then(|b| mrtd_lds::Dg1::parse(b).ok())
        .map(|d| d.mrz);
    let issuing_state = inputs.issuing_state.map(str::to_owned).or_else(|| {
        mrz.as_ref()
            .map(|m| m.issuing_state().trim_end_matches('<').to_owned())
    });
    let document_code = mrz.as_ref().map(|m| m.document_code().to_owned());

    // 1. Framing and DER.
    let (der, ber) = match der_walk::to_der(inputs.sod) {
        Ok(x) => x,
        Err(e) => {
            checks.fail(
                "sod.structure",
                format!("EF.SOD is not a readable TLV structure: {e}"),
            );
            return finish_unreadable(checks, inputs, issuing_state, verifier);
        }
    };
    let mut structure = Vec::new();
    let mut structure_warn = Vec::new();
    if !ber.is_empty() {
        let what = format!(
            "BER encoding where DER is required ({})",
            ber.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        );
        if policy.allow_ber {
            structure_warn.push(format!(
                "{what}; accepted by policy and verified in DER form"
            ));
        } else {
            structure.push(what);
        }
    }
    let (outer, trailing) = match der_walk::read(&der, 0) {
        Ok(x) => x,
        Err(e) => {
            checks.fail("sod.structure", format!("EF.SOD framing: {e}"));
            return finish_unreadable(checks, inputs, issuing_state, verifier);
        }
    };
    if outer.tag != [0x77] {
        checks.fail(
            "sod.structure",
            format!(
                "EF.SOD starts with tag {} instead of 77 ([APPLICATION 23])",
                hex::encode_upper(outer.tag)
            ),
        );
        return finish_unreadable(checks, inputs, issuing_state, verifier);
    }
    let obj = match SignedObject::parse(outer.value) {
        Ok(o) => o,
        Err(e) => {
            structure.push(format!("the CMS structure does not decode: {e}"));
            checks.fail("sod.structure", structure.join("; "));
            return finish_unreadable(checks, inputs, issuing_state, verifier);
        }
    };

    // 2. The structural rules of mrtd-lds, plus those it leaves out.
    let lso = match Sod::parse_unchecked(&der) {
        Ok(sod) => {
            structure.extend(sod.structure_defects().iter().map(ToString::to_string));
            Some(sod.lds_security_object().clone())
        }
        Err(e) => {
            structure.push(format!("EF.SOD does not decode: {e}"));
            obj.econtent
                .and_then(|c| LdsSecurityObject::from_der(c).ok())
        }
    };
    if !trailing.is_empty() && !structure.iter().any(|s| s.contains("after the end")) {
        structure.push(format!("{} bytes after the EF.SOD object", trailing.len()));
    }
    structure_extra(&obj, lso.as_ref(), &mut structure, &mut structure_warn);
    if !structure.is_empty() {
        checks.fail("sod.structure", structure.join("; "));
    } else if !structure_warn.is_empty() {
        checks.warn("sod.structure", structure_warn.join("; "));
    } else {
        checks.pass(
            "sod.structure",
            format!(
                "DER; ContentInfo signedData, SignedData v3, eContentType ldsSecurityObject, LDSSecurityObject v{} with {} data group hashes",
                lso.as_ref().map_or(0, |l| l.version),
                lso.as_ref().map_or(0, |l| l.data_group_hash_values.len())
            ),
        );
    }

    // 3. Signer, attributes, digest, signature; 4. the chain.
    let ctx = VerifyContext {
        store: inputs.store,
        at: inputs.at,
        policy,
        verifier,
    };
    let signed = verify_object(
        &obj,
        "sod",
        &ctx,
        document_code.as_deref(),
        &mut checks,
        &mut algorithms,
    );

    // 5. Issuing state ↔ CSCA / DS country.
    issuer_country(
        issuing_state.as_deref(),
        signed.ds.as_ref(),
        signed.csca_country.as_deref(),
        &mut checks,
    );

    // 6. Algorithm policy.
    if let Some(l) = &lso {
        algorithms.digest(
            "LDSSecurityObject hashAlgorithm",
            DigestAlgorithm::from_algorithm_identifier(&l.hash_algorithm).ok(),
        );
    }
    algorithms.evaluate(policy, &mut checks);

    // 7. Data group hashes.
    data_groups(lso.as_ref(), inputs.data_groups, policy, &mut checks);

    report(
        checks,
        inputs.at,
        signed.signing_time,
        issuing_state,
        signed.ds.as_ref(),
        signed.ds_source,
        signed.path,
        verifier.name(),
        signed.anchored,
    )
}

/// Verifies any CMS SignedData the way EF.SOD is verified (signer, signed
/// attributes, message digest, signature, DS chain, algorithm policy),
/// with check ids `{prefix}.signer`, …, `ds.*`, `csca.*`. For
/// EF.CardSecurity (PACE-CAM, Doc 9303-11 §4.4.3.5 / TR-03110) use
/// [`verify_card_security`].
#[must_use]
pub fn verify_signed_data(
    content_info: &[u8],
    expected_econtent_type: ObjectIdentifier,
    prefix: &str,
    ctx: &VerifyContext<'_>,
) -> PaReport {
    let mut checks = Checks::default();
    let mut algorithms = AlgorithmUse::default();
    let structure_id = format!("{prefix}.structure");
    let (der, ber) = match der_walk::to_der(content_info) {
        Ok(x) => x,
        Err(e) => {
            checks.fail(structure_id, format!("not a readable TLV structure: {e}"));
            return report(
                checks,
                ctx.at,
                None,
                None,
                None,
                None,
                Vec::new(),
                ctx.verifier.name(),
                false,
            );
        }
    };
    let obj = match SignedObject::parse(&der) {
        Ok(o) => o,
        Err(e) => {
            checks.fail(
                structure_id,
                format!("the CMS structure does not decode: {e}"),
            );
            return report(
                checks,
                ctx.at,
                None,
                None,
                None,
                None,
                Vec::new(),
                ctx.verifier.name(),
                false,
            );
        }
    };
    let mut problems = Vec::new();
    if !ber.is_empty() && !ctx.policy.allow_ber {
        problems.push("BER encoding where DER is required".to_owned());
    }
    if !obj.is_signed_data() {
        problems.push(format!(
            "content type {} is not id-signedData",
            obj.content_type
        ));
    }
    if obj.version != 3 {
        problems.push(format!("SignedData version {} (3 required)", obj.version));
    }
    if obj.econtent_type != expected_econtent_type {
        problems.push(format!(
            "eContentType {} is not {expected_econtent_type}",
            obj.econtent_type
        ));
    }
    if obj.trailing > 0 {
        problems.push(format!("{} bytes after the ContentInfo", obj.trailing));
    }
    if problems.is_empty() {
        checks.pass(
            structure_id,
            "SignedData v3 with the expected eContentType, DER",
        );
    } else {
        checks.fail(structure_id, problems.join("; "));
    }
    let signed = verify_object(&obj, prefix, ctx, None, &mut checks, &mut algorithms);
    algorithms.evaluate(ctx.policy, &mut checks);
    report(
        checks,
        ctx.at,
        signed.signing_time,
        None,
        signed.ds.as_ref(),
        signed.ds_source,
        signed.path,
        ctx.verifier.name(),
        signed.anchored,
    )
}

/// [`verify_signed_data`] for EF.CardSecurity (eContentType
/// `id-SecurityObject`, checks `card-security.*`).
#[must_use]
pub fn verify_card_security(bytes: &[u8], ctx: &VerifyContext<'_>) -> PaReport {
    verify_signed_data(bytes, oid::ID_SECURITY_OBJECT, "card-security", ctx)
}

struct SignedOutcome {
    ds: Option<CertificateInfo>,
    ds_source: Option<&'static str>,
    signing_time: Option<Timestamp>,
    path: Vec<crate::cert::CertificateSummary>,
    csca_country: Option<String>,
    anchored: bool,
}

fn verify_object(
    obj: &SignedObject<'_>,
    prefix: &str,
    ctx: &VerifyContext<'_>,
    document_code: Option<&str>,
    checks: &mut Checks,
    algorithms: &mut AlgorithmUse,
) -> SignedOutcome {
    let signer = check_signer(obj, prefix, Some(ctx.store), ctx.verifier, checks);
    algorithms.digest("SignerInfo digestAlgorithm", signer.digest);
    if let Some(s) = signer.scheme {
        algorithms.scheme("SignerInfo signature", s);
    }
    let mut out = SignedOutcome {
        ds: None,
        ds_source: None,
        signing_time: signer.signing_time,
        path: Vec::new(),
        csca_country: None,
        anchored: false,
    };
    let Some((ds, source)) = signer.signer else {
        for id in [
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
        ] {
            checks.not_checked(id, "no Document Signer certificate");
        }
        return out;
    };
    algorithms.key("DS key", &ds);
    if let Ok(s) = SignatureScheme::from_algorithm_identifier(&ds.signature_algorithm) {
        algorithms.scheme("DS certificate signature", s);
    }
    if ds.signature_algorithm != ds.tbs_signature_algorithm {
        checks.warn(
            "ds.chain",
            "the DS certificate's signatureAlgorithm differs from TBSCertificate.signature (RFC 5280 §4.1.1.2)",
        );
    }
    let chain = check_chain(
        &ds,
        ctx.store,
        ctx.at,
        signer.signing_time,
        document_code,
        ctx.policy,
        ctx.verifier,
        checks,
    );
    for c in &chain.path {
        algorithms.key("CSCA key", c);
    }
    out.csca_country = chain
        .path
        .first()
        .and_then(|c| c.subject.country().map(str::to_owned));
    out.path = chain.path.iter().map(|c| c.summary()).collect();
    out.anchored = chain.anchored;
    out.ds_source = Some(source.name());
    out.ds = Some(ds);
    out
}

/// What `sod.structure` adds to mrtd-lds's rules: one SignerInfo's digest
/// algorithm among digestAlgorithms, no CRLs or other certificate formats,
/// LDSSecurityObject in DER with hashes of the digest's length.
fn structure_extra(
    obj: &SignedObject<'_>,
    lso: Option<&LdsSecurityObject>,
    fails: &mut Vec<String>,
    warns: &mut Vec<String>,
) {
    for si in &obj.signers {
        if !obj
            .digest_algorithms
            .iter()
            .any(|a| a.oid == si.digest_algorithm.oid)
        {
            fails.push(format!(
                "the SignerInfo digest algorithm {} is not listed in SignedData.digestAlgorithms",
                si.digest_algorithm.oid
            ));
        }
    }
    if !obj.crls.is_empty() {
        warns.push(format!(
            "{} CRL(s) inside EF.SOD (not used by Doc 9303)",
            obj.crls.len()
        ));
    }
    if obj.other_certificates > 0 {
        warns.push(format!(
            "{} non-X.509 certificate(s) in EF.SOD",
            obj.other_certificates
        ));
    }
    let Some(lso) = lso else { return };
    if let (Some(content), Ok(reencoded)) = (obj.econtent, lso.to_der())
        && content != reencoded.as_slice()
    {
        fails
            .push("the LDSSecurityObject is not in DER (its canonical re-encoding differs)".into());
    }
    match DigestAlgorithm::from_algorithm_identifier(&lso.hash_algorithm) {
        Err(e) => fails.push(format!("LDSSecurityObject hashAlgorithm: {e}")),
        Ok(d) => {
            for h in &lso.data_group_hash_values {
                if h.data_group_hash_value.as_bytes().len() != d.output_len() {
                    fails.push(format!(
                        "the hash of data group {} has {} bytes, but {d} gives {}",
                        h.data_group_number,
                        h.data_group_hash_value.as_bytes().len(),
                        d.output_len()
                    ));
                }
            }
        }
    }
}

fn issuer_country(
    state: Option<&str>,
    ds: Option<&CertificateInfo>,
    csca_country: Option<&str>,
    checks: &mut Checks,
) {
    let Some(state) = state.filter(|s| !s.is_empty()) else {
        checks.not_checked(
            "issuer.country",
            "no MRZ issuing state (DG1 not read): the issuer cannot be bound to the document",
        );
        return;
    };
    let ds_country = ds.and_then(|d| d.subject.country());
    let ds_issuer_country = ds.and_then(|d| d.issuer.country());
    let expected = match icao_to_iso(state) {
        IssuerCountry::Iso(c) => c,
        IssuerCountry::Organisation(name) => {
            checks.warn(
                "issuer.country",
                format!("issuing state {state} is {name}, which has no ISO 3166 country code; certificate country {} not compared", csca_country.or(ds_country).unwrap_or("?")),
            );
            return;
        }
        IssuerCountry::Unknown => {
            checks.fail(
                "issuer.country",
                format!("issuing state \"{state}\" is not an ICAO Doc 9303-3 code"),
            );
            return;
        }
    };
    let mut mismatches = Vec::new();
    for (what, c) in [
        ("CSCA", csca_country),
        ("DS", ds_country),
        ("DS issuer", ds_issuer_country),
    ] {
        if let Some(c) = c
            && !c.eq_ignore_ascii_case(expected)
        {
            mismatches.push(format!("{what} country {c}"));
        }
    }
    if !mismatches.is_empty() {
        checks.fail(
            "issuer.country",
            format!(
                "the MRZ issuing state {state} ({expected}) does not match the {}: the document was signed by another state's PKI",
                mismatches.join(", ")
            ),
        );
    } else if let Some(c) = csca_country {
        checks.pass(
            "issuer.country",
            format!("MRZ issuing state {state} = {expected} = CSCA country {c}"),
        );
    } else if let Some(c) = ds_country {
        checks.pass(
            "issuer.country",
            format!(
                "MRZ issuing state {state} = {expected} = DS country {c} (CSCA not in the store)"
            ),
        );
    } else {
        checks.not_checked(
            "issuer.country",
            format!("no certificate country to compare the issuing state {state} with"),
        );
    }
}

fn data_groups(
    lso: Option<&LdsSecurityObject>,
    read: &BTreeMap<DgNumber, Vec<u8>>,
    policy: &Policy,
    checks: &mut Checks,
) {
    let Some(lso) = lso else {
        for dg in read.keys() {
            checks.not_checked(
                format!("dg.hash.{dg}"),
                "the LDSSecurityObject could not be read",
            );
        }
        return;
    };
    let digest = DigestAlgorithm::from_algorithm_identifier(&lso.hash_algorithm).ok();
    let listed: BTreeMap<DgNumber, &[u8]> = lso.data_group_hashes().collect();
    for (dg, bytes) in read {
        match (listed.get(dg), digest) {
            (None, _) => checks.fail(
                format!("dg.unlisted.{dg}"),
                format!("{dg} was read but the SOD has no hash for it: its content is not authenticated — do not use it"),
            ),
            (Some(_), None) => checks.not_checked(format!("dg.hash.{dg}"), "unsupported hash algorithm in the SOD"),
            (Some(expected), Some(d)) => {
                let got = d.digest(bytes);
                if got == *expected {
                    checks.pass(format!("dg.hash.{dg}"), format!("{d} of {dg} ({} bytes) matches the SOD", bytes.len()));
                } else {
                    checks.fail(
                        format!("dg.hash.{dg}"),
                        format!(
                            "{d} of {dg} is {}, the SOD says {}: the data group was altered (or read incompletely)",
                            hex::encode_upper(&got),
                            hex::encode_upper(expected)
                        ),
                    );
                }
            }
        }
    }
    for dg in listed.keys() {
        if read.contains_key(dg) {
            continue;
        }
        if policy.expected_unread.contains(&dg.get()) {
            checks.not_checked(
                format!("dg.not-read.{dg}"),
                format!("{dg} is in the SOD but was not read (it needs Extended Access Control)"),
            );
        } else {
            checks.warn(
                format!("dg.not-read.{dg}"),
                format!("{dg} is in the SOD but was not read: read it to authenticate its content"),
            );
        }
    }
}

/// The algorithms and keys met, for `algorithm.policy`.
#[derive(Default)]
struct AlgorithmUse {
    fails: Vec<String>,
    warns: Vec<String>,
    seen: Vec<String>,
    sha1: Vec<&'static str>,
    keys: Vec<(&'static str, PublicKeyKind)>,
}

impl AlgorithmUse {
    fn digest(&mut self, what: &'static str, d: Option<DigestAlgorithm>) {
        if let Some(d) = d {
            if d == DigestAlgorithm::Sha1 {
                self.sha1.push(what);
            }
            self.seen.push(format!("{what} {d}"));
        }
    }

    fn scheme(&mut self, what: &'static str, s: SignatureScheme) {
        if s.hash() == DigestAlgorithm::Sha1 {
            self.sha1.push(what);
        }
        self.seen.push(format!("{what} {s}"));
    }

    fn key(&mut self, what: &'static str, cert: &CertificateInfo) {
        match cert.key_kind() {
            Ok(k) => {
                self.keys.push((what, k));
                self.seen.push(format!("{what} {k}"));
            }
            Err(crate::VerifyError::UnknownCurve(why)) => {
                self.fails.push(format!(
                    "{what} of \"{}\" uses an elliptic curve outside the whitelist ({why})",
                    cert.subject
                ));
            }
            Err(e) => self
                .fails
                .push(format!("{what} of \"{}\": {e}", cert.subject)),
        }
    }

    fn evaluate(mut self, policy: &Policy, checks: &mut Checks) {
        for (what, k) in &self.keys {
            match *k {
                PublicKeyKind::Rsa { bits } if bits < policy.rsa_min_bits => {
                    self.fails.push(format!(
                        "{what} RSA-{bits} is below the minimum of {} bits",
                        policy.rsa_min_bits
                    ))
                }
                PublicKeyKind::Rsa { bits } if bits < policy.rsa_warn_bits => {
                    self.warns.push(format!(
                        "{what} RSA-{bits} is below the recommended {} bits",
                        policy.rsa_warn_bits
                    ))
                }
                PublicKeyKind::Ec { curve, .. } if curve.order_bits() < 224 => {
                    self.warns
                        .push(format!("{what} on {curve} (below 112-bit security)"));
                }
                _ => {}
            }
        }
        if policy.warn_sha1 && !self.sha1.is_empty() {
            self.sha1.dedup();
            self.warns.push(format!(
                "SHA-1 used for {} (deprecated)",
                self.sha1.join(", ")
            ));
        }
        self.fails.dedup();
        self.warns.dedup();
        if !self.fails.is_empty() {
            checks.fail("algorithm.policy", self.fails.join("; "));
        } else if !self.warns.is_empty() {
            checks.warn("algorithm.policy", self.warns.join("; "));
        } else if self.seen.is_empty() {
            checks.not_checked("algorithm.policy", "no algorithm could be identified");
        } else {
            self.seen.dedup();
            checks.pass("algorithm.policy", self.seen.join("; "));
        }
    }
}

fn finish_unreadable(
    checks: Checks,
    inputs: &PaInputs<'_>,
    issuing_state: Option<String>,
    verifier: &dyn SignatureVerifier,
) -> PaReport {
    let mut checks = checks;
    for dg in inputs.data_groups.keys() {
        checks.not_checked(format!("dg.hash.{dg}"), "EF.SOD could not be read");
    }
    report(
        checks,
        inputs.at,
        None,
        issuing_state,
        None,
        None,
        Vec::new(),
        verifier.name(),
        false,
    )
}

/// The ids whose pass (or warn) is required for `valid`.
const ESSENTIAL: [&str; 8] = [
    "sod.signer",
    "sod.signed-attributes",
    "sod.message-digest",
    "sod.signature",
    "ds.signature",
    "ds.validity",
    "csca.trust",
    "csca.validity",
];

/// The order checks are listed in (ids not named keep their place after
/// the named ones of their family).
const ORDER: [&str; 17] = [
    "structure",
    "signer",
    "signed-attributes",
    "message-digest",
    "signature",
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
    "algorithm.policy",
];

fn rank(id: &str) -> usize {
    if let Some(i) = ORDER.iter().position(|o| *o == id) {
        return i;
    }
    if id.starts_with("dg.") {
        return ORDER.len() + 1;
    }
    // `{prefix}.signer` and friends.
    id.split_once('.')
        .and_then(|(_, rest)| ORDER.iter().take(5).position(|o| *o == rest))
        .unwrap_or(ORDER.len())
}

#[allow(clippy::too_many_arguments)]
fn report(
    mut checks: Checks,
    at: Timestamp,
    signing_time: Option<Timestamp>,
    issuing_state: Option<String>,
    ds: Option<&CertificateInfo>,
    ds_source: Option<&'static str>,
    path: Vec<crate::cert::CertificateSummary>,
    backend: &'static str,
    anchored: bool,
) -> PaReport {
    checks.0.sort_by_key(|c| rank(&c.id));
    let verdict = if checks.any_failed() {
        Verdict::Invalid
    } else {
        // Essential checks under whatever prefix the object has.
        let essential_ok = ESSENTIAL.iter().all(|id| {
            let suffix = id.split_once('.').map_or(*id, |(_, s)| s);
            let family = id.split_once('.').map_or("", |(f, _)| f);
            if family == "sod" {
                checks
                    .0
                    .iter()
                    .filter(|c| {
                        c.id.ends_with(&format!(".{suffix}"))
                            && !c.id.starts_with("ds.")
                            && !c.id.starts_with("csca.")
                    })
                    .any(|c| matches!(c.status, CheckStatus::Pass | CheckStatus::Warn))
            } else {
                checks.ok(id)
            }
        });
        let dgs_ok = checks
            .0
            .iter()
            .filter(|c| c.id.starts_with("dg.hash."))
            .all(|c| c.status == CheckStatus::Pass);
        if essential_ok && dgs_ok && anchored {
            Verdict::Valid
        } else {
            Verdict::Unknown
        }
    };
    PaReport {
        schema: PaReport::SCHEMA,
        verdict,
        verification_time: at,
        signing_time,
        issuing_state,
        document_signer: ds.map(CertificateInfo::summary),
        document_signer_source: ds_source,
        csca_path: path,
        backend,
        checks,
    }
}

/// The EF id of a dump-folder name, for tools that read a folder
/// (`EF.SOD.bin`, `EF_SOD.bin`, `SOD.bin`, `DG1.bin`, `Datagroup1.bin`,
/// `EF_DG1.bin`, `EF.DG1.bin`, `EF.CardSecurity.bin`, `EF.COM.bin`, any
/// case; `.bin`, `.dat` or no extension).
#[must_use]
pub fn ef_from_dump_name(name: &str) -> Option<EfId> {
    let lower = name.to_ascii_lowercase();
    let stem = lower
        .strip_suffix(".bin")
        .or_else(|| lower.strip_suffix(".dat"))
        .unwrap_or(&lower);
    let bare = stem
        .strip_prefix("ef.")
        .or_else(|| stem.strip_prefix("ef_"))
        .unwrap_or(stem);
    if let Some(n) = bare.strip_prefix("datagroup") {
        return n.parse::<u8>().ok().and_then(DgNumber::new).map(EfId::Dg);
    }
    // EF.ATR/INFO never holds anything verification needs.
    bare.parse().ok().filter(|ef| *ef != EfId::AtrInfo)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dump_names() {
        let dg = |n| Some(EfId::Dg(DgNumber::new(n).unwrap()));
        assert_eq!(ef_from_dump_name("EF.SOD.bin"), Some(EfId::Sod));
        assert_eq!(ef_from_dump_name("EF_SOD.bin"), Some(EfId::Sod));
        assert_eq!(ef_from_dump_name("SOD.bin"), Some(EfId::Sod));
        assert_eq!(ef_from_dump_name("EF.DG1.bin"), dg(1));
        assert_eq!(ef_from_dump_name("DG15.bin"), dg(15));
        assert_eq!(ef_from_dump_name("Datagroup2.bin"), dg(2));
        assert_eq!(ef_from_dump_name("EF_DG14.bin"), dg(14));
        assert_eq!(ef_from_dump_name("DG17.bin"), None);
        assert_eq!(ef_from_dump_name("EF.COM.bin"), Some(EfId::Com));
        assert_eq!(
            ef_from_dump_name("EF.CardSecurity.bin"),
            Some(EfId::CardSecurity)
        );
        assert_eq!(
            ef_from_dump_name("EF_CardAccess.bin"),
            Some(EfId::CardAccess)
        );
        assert_eq!(ef_from_dump_name("EF.DG2.bin.incomplete"), None);
        assert_eq!(ef_from_dump_name("read-report.json"), None);
        assert_eq!(ef_from_dump_name("DG0.bin"), None);
    }
}
