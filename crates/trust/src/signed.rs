//! The SignerInfo checks shared by EF.SOD, EF.CardSecurity and the ICAO
//! lists (RFC 5652 §5.3–§5.6, Doc 9303-10 §4.6.2): signer identification,
//! signed attributes, message digest and signature over the original
//! signed-attribute bytes.

use der::Decode;
use der::asn1::{ObjectIdentifier, OctetString};

use crate::algorithm::{DigestAlgorithm, SignatureScheme, cms_signature_algorithm};
use crate::cert::CertificateInfo;
use crate::cms::{SignedObject, SignerId, SignerInfoView};
use crate::error::VerifyError;
use crate::oid;
use crate::report::Checks;
use crate::store::TrustStore;
use crate::time::Timestamp;
use crate::verifier::SignatureVerifier;

/// Where the signer's certificate was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SignerSource {
    /// In the object's `certificates`.
    Embedded,
    /// In the trust store.
    Store,
}

impl SignerSource {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Embedded => "sod",
            Self::Store => "store",
        }
    }
}

/// What the signer checks established.
pub(crate) struct SignerOutcome {
    pub(crate) signer: Option<(CertificateInfo, SignerSource)>,
    pub(crate) signing_time: Option<Timestamp>,
    pub(crate) digest: Option<DigestAlgorithm>,
    pub(crate) scheme: Option<SignatureScheme>,
    /// The signature verified.
    pub(crate) signature_ok: bool,
}

/// Whether `cert` is the one `sid` names.
pub(crate) fn sid_matches(sid: &SignerId, cert: &CertificateInfo) -> bool {
    match sid {
        SignerId::IssuerSerial { issuer, serial } => {
            same_integer(serial, &cert.serial) && issuer.matches(&cert.issuer)
        }
        SignerId::SubjectKeyId(k) => cert.ski.as_deref() == Some(k.as_slice()),
    }
}

/// INTEGER contents equal, ignoring redundant leading zero octets.
pub(crate) fn same_integer(a: &[u8], b: &[u8]) -> bool {
    let strip = |s: &[u8]| {
        let n = s
            .iter()
            .take_while(|x| **x == 0)
            .count()
            .min(s.len().saturating_sub(1));
        s[n..].to_vec()
    };
    strip(a) == strip(b)
}

/// Runs `{prefix}.signer`, `{prefix}.signed-attributes`,
/// `{prefix}.message-digest` and `{prefix}.signature`.
pub(crate) fn check_signer(
    obj: &SignedObject<'_>,
    prefix: &str,
    store: Option<&TrustStore>,
    verifier: &dyn SignatureVerifier,
    checks: &mut Checks,
) -> SignerOutcome {
    let id = |s: &str| format!("{prefix}.{s}");
    let mut out = SignerOutcome {
        signer: None,
        signing_time: None,
        digest: None,
        scheme: None,
        signature_ok: false,
    };
    let Some(si) = obj.signers.first() else {
        checks.fail(
            id("signer"),
            "SignedData has no SignerInfo: nobody signed this object",
        );
        for s in ["signed-attributes", "message-digest", "signature"] {
            checks.not_checked(id(s), "no SignerInfo");
        }
        return out;
    };
    let several = (obj.signers.len() > 1).then_some(obj.signers.len());

    // Signer identification.
    let mut undecodable = 0;
    let embedded = obj
        .certificates
        .iter()
        .find_map(|der| match CertificateInfo::from_der(der) {
            Ok(c) if sid_matches(&si.sid, &c) => Some(c),
            Ok(_) => None,
            Err(_) => {
                undecodable += 1;
                None
            }
        });
    let signer = match embedded {
        Some(c) => Some((c, SignerSource::Embedded)),
        None => store
            .and_then(|s| s.find_signer(&si.sid))
            .map(|c| (c.clone(), SignerSource::Store)),
    };
    match (&signer, several) {
        (_, Some(n)) => checks.fail(
            id("signer"),
            format!("{n} SignerInfos; Doc 9303-10 §4.6.2 allows exactly one (the first was checked)"),
        ),
        (Some((c, src)), None) => checks.pass(
            id("signer"),
            format!(
                "the SignerInfo ({}) identifies the certificate \"{}\" ({})",
                si.sid,
                c.subject,
                match src {
                    SignerSource::Embedded => "carried in the object",
                    SignerSource::Store => "found in the trust store",
                }
            ),
        ),
        (None, None) if obj.certificates.is_empty() => checks.fail(
            id("signer"),
            format!(
                "the object carries no certificate and the trust store has none for {}: the signer cannot be identified; import the Document Signer certificate (e.g. from the ICAO PKD LDIF) and verify again",
                si.sid
            ),
        ),
        (None, None) => checks.fail(
            id("signer"),
            format!(
                "the SignerInfo names {}, which matches none of the {} certificate(s) in the object{} nor any in the trust store",
                si.sid,
                obj.certificates.len(),
                if undecodable > 0 { format!(" ({undecodable} undecodable)") } else { String::new() }
            ),
        ),
    }

    // Signed attributes.
    let attrs_ok = signed_attributes(obj, si, prefix, checks, &mut out);

    // Message digest.
    match DigestAlgorithm::from_algorithm_identifier(&si.digest_algorithm) {
        Err(e) => checks.not_checked(id("message-digest"), format!("digest algorithm: {e}")),
        Ok(d) => {
            out.digest = Some(d);
            let attr = si.attributes().ok().and_then(|a| {
                let mut md = a.into_iter().filter(|a| a.oid == oid::ID_MESSAGE_DIGEST);
                let first = md.next()?;
                if md.next().is_some() || first.values.len() != 1 {
                    return None;
                }
                OctetString::from_der(first.values[0]).ok()
            });
            match (obj.econtent, attr) {
                (None, _) => checks.fail(
                    id("message-digest"),
                    "the eContent is absent: nothing to compare the digest with",
                ),
                (_, None) => checks.not_checked(
                    id("message-digest"),
                    "no usable message-digest attribute (see signed-attributes)",
                ),
                (Some(content), Some(md)) => {
                    let h = d.digest(content);
                    if h == md.as_bytes() {
                        checks.pass(
                            id("message-digest"),
                            format!("{d} of the eContent equals the message-digest attribute"),
                        );
                    } else {
                        checks.fail(
                            id("message-digest"),
                            format!(
                                "{d} of the eContent ({}) differs from the signed message-digest ({}): the content was changed after signing",
                                hex::encode_upper(&h),
                                hex::encode_upper(md.as_bytes())
                            ),
                        );
                    }
                }
            }
        }
    }

    // Signature.
    let sig_id = id("signature");
    match (&signer, si.signed_attributes_message()) {
        (None, _) => checks.not_checked(sig_id, "no signer certificate to verify with"),
        (Some(_), None) => checks.fail(sig_id, "no signed attributes: Doc 9303-10 §4.6.2 requires them, and the signature cannot bind the content without them"),
        (Some((cert, _)), Some(message)) => {
            let _ = attrs_ok;
            match cms_signature_algorithm(&si.digest_algorithm, &si.signature_algorithm) {
                Err(e) => report_verify_error(checks, &sig_id, &e, "the SignerInfo algorithms"),
                Ok(alg) => {
                    out.scheme = SignatureScheme::from_algorithm_identifier(&alg).ok();
                    match verifier.verify(&cert.spki, &alg, &message, si.signature) {
                        Ok(()) => {
                            out.signature_ok = true;
                            checks.pass(
                                sig_id,
                                format!(
                                    "{} signature over the signed attributes verifies with the key of \"{}\"",
                                    out.scheme.map_or_else(|| alg.oid.to_string(), |s| s.to_string()),
                                    cert.subject
                                ),
                            );
                        }
                        Err(e) => report_verify_error(checks, &sig_id, &e, "the signature"),
                    }
                }
            }
        }
    }
    out.signer = signer;
    out
}

/// Maps a verification error onto a check: unsupported → not-checked,
/// everything else → fail.
pub(crate) fn report_verify_error(checks: &mut Checks, id: &str, e: &VerifyError, what: &str) {
    match e {
        VerifyError::Unsupported(_) | VerifyError::UnsupportedAlgorithm(_) => checks.not_checked(
            id,
            format!("{what} cannot be checked: {e}; the document may be genuine, but this verifier cannot tell"),
        ),
        VerifyError::BadSignature => checks.fail(
            id,
            format!("{what} does not verify: the data was altered or signed with another key"),
        ),
        _ => checks.fail(id, format!("{what}: {e}")),
    }
}

fn signed_attributes(
    obj: &SignedObject<'_>,
    si: &SignerInfoView<'_>,
    prefix: &str,
    checks: &mut Checks,
    out: &mut SignerOutcome,
) -> bool {
    let id = format!("{prefix}.signed-attributes");
    if si.signed_attributes.is_none() {
        checks.fail(id, "the SignerInfo has no signed attributes (content-type and message-digest are mandatory, RFC 5652 §5.3)");
        return false;
    }
    let attrs = match si.attributes() {
        Ok(a) => a,
        Err(e) => {
            checks.fail(id, format!("the signed attributes do not decode: {e}"));
            return false;
        }
    };
    let mut problems = Vec::new();
    let count = |o: ObjectIdentifier| attrs.iter().filter(|a| a.oid == o).count();
    let mut types: Vec<_> = attrs.iter().map(|a| a.oid).collect();
    types.sort();
    if types.windows(2).any(|w| w[0] == w[1]) {
        problems
            .push("an attribute type occurs more than once (RFC 5652 §5.3 forbids it)".to_owned());
    }
    match attrs.iter().find(|a| a.oid == oid::ID_CONTENT_TYPE) {
        None => problems.push("the content-type attribute is missing".into()),
        Some(a) => match a.values.as_slice() {
            [v] => match ObjectIdentifier::from_der(v) {
                Ok(ct) if ct == obj.econtent_type => {}
                Ok(ct) => problems.push(format!(
                    "the signed content-type {ct} differs from the eContentType {}",
                    obj.econtent_type
                )),
                Err(e) => problems.push(format!("the content-type value is not an OID: {e}")),
            },
            _ => problems.push("the content-type attribute must have exactly one value".into()),
        },
    }
    match count(oid::ID_MESSAGE_DIGEST) {
        0 => problems.push("the message-digest attribute is missing".into()),
        1 => {
            let a = attrs.iter().find(|a| a.oid == oid::ID_MESSAGE_DIGEST);
            if a.is_none_or(|a| a.values.len() != 1 || OctetString::from_der(a.values[0]).is_err())
            {
                problems
                    .push("the message-digest attribute must be exactly one OCTET STRING".into());
            }
        }
        _ => {}
    }
    if let Some(a) = attrs.iter().find(|a| a.oid == oid::ID_SIGNING_TIME) {
        match a.values.as_slice() {
            [v] => match x509_cert::time::Time::from_der(v) {
                Ok(t) => out.signing_time = Some(Timestamp::from_x509(&t)),
                Err(e) => problems.push(format!("the signingTime value does not decode: {e}")),
            },
            _ => problems.push("the signingTime attribute must have exactly one value".into()),
        }
    }
    if !problems.is_empty() {
        checks.fail(id, problems.join("; "));
        return false;
    }
    let names: Vec<&str> = attrs
        .iter()
        .map(|a| match a.oid {
            oid::ID_CONTENT_TYPE => "content-type",
            oid::ID_MESSAGE_DIGEST => "message-digest",
            oid::ID_SIGNING_TIME => "signing-time",
            _ => "other",
        })
        .collect();
    if si.attributes_sorted() {
        checks.pass(id, format!("present and consistent: {}", names.join(", ")));
    } else {
        checks.warn(
            id,
            format!(
                "present and consistent ({}), but not in DER SET OF order; verified over the bytes as they are",
                names.join(", ")
            ),
        );
    }
    true
}
