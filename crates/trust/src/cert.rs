//! X.509 certificates of the eMRTD PKI (CSCA, link, Document Signer,
//! master-list signer), decoded once with everything the chain logic
//! needs and the original bytes kept for signature checks.
//!
//! Decoding is `x509-cert`'s RFC 5280 profile; legacy certificates it
//! refuses (negative or over-long serial numbers, odd time encodings) are
//! retried with its `Raw` profile and marked [`CertProfile::Raw`] so the
//! import report can say so. The TBSCertificate bytes the signature covers
//! are taken from the input, never re-encoded (shared/dependencies.md §3).

use core::fmt;
use core::ops::Range;

use der::asn1::{BitString, ObjectIdentifier, OctetString};
use der::{Decode, Encode};
use serde::Serialize;
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};

use crate::algorithm::{PublicKeyKind, public_key_kind};
use crate::der_walk;
use crate::error::ParseError;
use crate::name::DistinguishedName;
use crate::oid;
use crate::time::Timestamp;

/// Which `x509-cert` profile decoded the certificate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CertProfile {
    /// RFC 5280 conformant.
    Rfc5280,
    /// Only the lenient `Raw` profile decoded it (legacy encoding).
    Raw,
}

/// Key usage bits (RFC 5280 §4.2.1.3), bit `i` of the BIT STRING as
/// `1 << i`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct KeyUsage(pub u16);

impl KeyUsage {
    /// digitalSignature (0).
    pub const DIGITAL_SIGNATURE: u16 = 1 << 0;
    /// nonRepudiation (1).
    pub const NON_REPUDIATION: u16 = 1 << 1;
    /// keyCertSign (5).
    pub const KEY_CERT_SIGN: u16 = 1 << 5;
    /// cRLSign (6).
    pub const CRL_SIGN: u16 = 1 << 6;

    /// Whether every bit of `mask` is set.
    #[must_use]
    pub fn has(self, mask: u16) -> bool {
        self.0 & mask == mask
    }
}

impl fmt::Display for KeyUsage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const NAMES: [&str; 9] = [
            "digitalSignature",
            "nonRepudiation",
            "keyEncipherment",
            "dataEncipherment",
            "keyAgreement",
            "keyCertSign",
            "cRLSign",
            "encipherOnly",
            "decipherOnly",
        ];
        let set: Vec<&str> = NAMES
            .iter()
            .enumerate()
            .filter(|(i, _)| self.0 & (1 << i) != 0)
            .map(|(_, n)| *n)
            .collect();
        if set.is_empty() {
            f.write_str("(none)")
        } else {
            f.write_str(&set.join(", "))
        }
    }
}

/// basicConstraints (RFC 5280 §4.2.1.9).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct BasicConstraints {
    /// cA.
    pub ca: bool,
    /// pathLenConstraint.
    pub path_len: Option<u32>,
    /// Whether the extension is marked critical.
    pub critical: bool,
}

/// A decoded certificate with its original encoding.
#[derive(Clone)]
pub struct CertificateInfo {
    der: Vec<u8>,
    tbs: Range<usize>,
    /// Which profile decoded it.
    pub profile: CertProfile,
    /// X.509 version (0 = v1, 2 = v3).
    pub version: u8,
    /// Serial number, the INTEGER content octets as encoded.
    pub serial: Vec<u8>,
    /// `signatureAlgorithm` (outside the TBS).
    pub signature_algorithm: AlgorithmIdentifierOwned,
    /// `TBSCertificate.signature` (must equal `signature_algorithm`).
    pub tbs_signature_algorithm: AlgorithmIdentifierOwned,
    /// The signature value (BIT STRING contents).
    pub signature: Vec<u8>,
    /// Issuer.
    pub issuer: DistinguishedName,
    /// Subject.
    pub subject: DistinguishedName,
    /// notBefore.
    pub not_before: Timestamp,
    /// notAfter.
    pub not_after: Timestamp,
    /// The public key.
    pub spki: SubjectPublicKeyInfoOwned,
    /// subjectKeyIdentifier.
    pub ski: Option<Vec<u8>>,
    /// authorityKeyIdentifier.keyIdentifier.
    pub aki: Option<Vec<u8>>,
    /// keyUsage and whether it is critical.
    pub key_usage: Option<(KeyUsage, bool)>,
    /// basicConstraints.
    pub basic_constraints: Option<BasicConstraints>,
    /// extKeyUsage purposes.
    pub ext_key_usage: Option<Vec<ObjectIdentifier>>,
    /// ICAO Document Type List (Doc 9303-12 §7.1.1.6).
    pub document_types: Option<Vec<String>>,
    /// privateKeyUsagePeriod (notBefore, notAfter).
    pub private_key_usage_period: Option<(Option<Timestamp>, Option<Timestamp>)>,
    /// Critical extensions this crate does not know (RFC 5280 §4.2: a
    /// verifier must reject a certificate it cannot process them for).
    pub unknown_critical_extensions: Vec<ObjectIdentifier>,
    /// SHA-256 of the DER: the store's identifier.
    pub fingerprint: [u8; 32],
    /// The key kind, computed on first use (identifying explicit EC
    /// parameters costs a point validation).
    key_kind: std::sync::OnceLock<Result<PublicKeyKind, crate::VerifyError>>,
}

impl fmt::Debug for CertificateInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CertificateInfo")
            .field("subject", &self.subject)
            .field("issuer", &self.issuer)
            .field("serial", &hex::encode(&self.serial))
            .finish_non_exhaustive()
    }
}

impl CertificateInfo {
    /// Decodes one DER certificate (exactly one element, nothing after it).
    ///
    /// # Errors
    /// [`ParseError`] naming the field that does not decode.
    pub fn from_der(der: &[u8]) -> Result<Self, ParseError> {
        let profile = if x509_cert::Certificate::from_der(der).is_ok() {
            CertProfile::Rfc5280
        } else {
            let raw =
                x509_cert::certificate::CertificateInner::<x509_cert::certificate::Raw>::from_der(
                    der,
                );
            match raw {
                Ok(_) => CertProfile::Raw,
                Err(e) => {
                    // Report the strict profile's complaint: it is the
                    // more precise one.
                    let strict = x509_cert::Certificate::from_der(der).err().map_or(e, |s| s);
                    return Err(ParseError::new("Certificate", strict));
                }
            }
        };
        Self::extract(der, profile)
    }

    /// Decodes a certificate given as DER or as PEM (`-----BEGIN
    /// CERTIFICATE-----`).
    ///
    /// # Errors
    /// [`ParseError`] for PEM that does not decode or as [`Self::from_der`].
    pub fn from_der_or_pem(bytes: &[u8]) -> Result<Self, ParseError> {
        match core::str::from_utf8(bytes) {
            Ok(text) if text.contains("-----BEGIN") => {
                let (label, der) = der::pem::decode_vec(text.trim().as_bytes())
                    .map_err(|e| ParseError::new("PEM", e))?;
                if !label.ends_with("CERTIFICATE") {
                    return Err(ParseError::new(
                        "PEM",
                        format!("block {label}, not a certificate"),
                    ));
                }
                Self::from_der(&der)
            }
            _ => Self::from_der(bytes),
        }
    }

    fn extract(der: &[u8], profile: CertProfile) -> Result<Self, ParseError> {
        let walk = |e: der_walk::TlvError| ParseError::new("Certificate", e);
        let cert = der_walk::read_single(der, 0).map_err(walk)?;
        let parts = cert.children().map_err(walk)?;
        let tbs =
            der_walk::expect(parts.first(), 0x30, "TBSCertificate", cert.offset).map_err(walk)?;
        let sig_alg =
            der_walk::expect(parts.get(1), 0x30, "signatureAlgorithm", tbs.offset).map_err(walk)?;
        let sig =
            der_walk::expect(parts.get(2), 0x03, "signatureValue", sig_alg.offset).map_err(walk)?;
        let signature_algorithm = alg(sig_alg.raw, "signatureAlgorithm")?;
        let signature = BitString::from_der(sig.raw)
            .map_err(|e| ParseError::new("Certificate signatureValue", e))?
            .raw_bytes()
            .to_vec();

        let mut fields = tbs.children().map_err(walk)?.into_iter().peekable();
        let mut version = 0u8;
        if let Some(v) = fields.peek()
            && v.tag == [0xA0]
        {
            let inner = der_walk::read_single(v.value, v.value_offset()).map_err(walk)?;
            version =
                u8::from_der(inner.raw).map_err(|e| ParseError::new("Certificate version", e))?;
            fields.next();
        }
        let mut next = |what: &'static str| {
            fields
                .next()
                .ok_or_else(|| ParseError::new("TBSCertificate", format!("{what} missing")))
        };
        let serial = next("serialNumber")?;
        if serial.tag != [0x02] {
            return Err(ParseError::new(
                "TBSCertificate",
                "serialNumber is not an INTEGER",
            ));
        }
        let tbs_signature_algorithm = alg(next("signature")?.raw, "TBSCertificate.signature")?;
        let issuer = DistinguishedName::from_der(next("issuer")?.raw)?;
        let validity = next("validity")?;
        let times = validity.children().map_err(walk)?;
        let time =
            |t: Option<&der_walk::Tlv<'_>>, what: &'static str| -> Result<Timestamp, ParseError> {
                let t = t.ok_or_else(|| ParseError::new("Validity", format!("{what} missing")))?;
                x509_cert::time::Time::from_der(t.raw)
                    .map(|t| Timestamp::from_x509(&t))
                    .map_err(|e| ParseError::new("Validity", format!("{what}: {e}")))
            };
        let not_before = time(times.first(), "notBefore")?;
        let not_after = time(times.get(1), "notAfter")?;
        let subject = DistinguishedName::from_der(next("subject")?.raw)?;
        let spki = SubjectPublicKeyInfoOwned::from_der(next("subjectPublicKeyInfo")?.raw)
            .map_err(|e| ParseError::new("SubjectPublicKeyInfo", e))?;

        let mut info = Self {
            der: der.to_vec(),
            tbs: tbs.offset..tbs.offset + tbs.raw.len(),
            profile,
            version,
            serial: serial.value.to_vec(),
            signature_algorithm,
            tbs_signature_algorithm,
            signature,
            issuer,
            subject,
            not_before,
            not_after,
            spki,
            ski: None,
            aki: None,
            key_usage: None,
            basic_constraints: None,
            ext_key_usage: None,
            document_types: None,
            private_key_usage_period: None,
            unknown_critical_extensions: Vec::new(),
            fingerprint: sha256(der),
            key_kind: std::sync::OnceLock::new(),
        };
        for f in fields {
            if f.tag == [0xA3] {
                let exts = der_walk::read_single(f.value, f.value_offset()).map_err(walk)?;
                for ext in exts.children().map_err(walk)? {
                    info.extension(&ext)?;
                }
            }
        }
        Ok(info)
    }

    fn extension(&mut self, ext: &der_walk::Tlv<'_>) -> Result<(), ParseError> {
        let e = x509_cert::ext::Extension::from_der(ext.raw)
            .map_err(|e| ParseError::new("Extension", e))?;
        let v = e.extn_value.as_bytes();
        let bad = |what: &'static str| move |err: der::Error| ParseError::new(what, err);
        match e.extn_id {
            oid::SUBJECT_KEY_IDENTIFIER => {
                self.ski = Some(
                    OctetString::from_der(v)
                        .map_err(bad("subjectKeyIdentifier"))?
                        .into_bytes()
                        .into_vec(),
                );
            }
            oid::AUTHORITY_KEY_IDENTIFIER => {
                // SEQUENCE { keyIdentifier [0] IMPLICIT OCTET STRING OPTIONAL, … }
                let seq = der_walk::read_single(v, 0)
                    .map_err(|e| ParseError::new("authorityKeyIdentifier", e))?;
                let kids = seq
                    .children()
                    .map_err(|e| ParseError::new("authorityKeyIdentifier", e))?;
                self.aki = kids
                    .iter()
                    .find(|k| k.tag == [0x80])
                    .map(|k| k.value.to_vec());
            }
            oid::KEY_USAGE => {
                let bits = BitString::from_der(v).map_err(bad("keyUsage"))?;
                let mut mask = 0u16;
                for (i, byte) in bits.raw_bytes().iter().take(2).enumerate() {
                    for b in 0..8 {
                        if byte & (0x80 >> b) != 0 {
                            mask |= 1 << (i * 8 + b);
                        }
                    }
                }
                self.key_usage = Some((KeyUsage(mask), e.critical));
            }
            oid::BASIC_CONSTRAINTS => {
                // Decoded by hand: some CSCAs encode cA FALSE explicitly,
                // which strict DER (DEFAULT) refuses.
                let seq = der_walk::read_single(v, 0)
                    .map_err(|e| ParseError::new("basicConstraints", e))?;
                let mut ca = false;
                let mut path_len = None;
                for k in seq
                    .children()
                    .map_err(|e| ParseError::new("basicConstraints", e))?
                {
                    match k.tag {
                        [0x01] => ca = k.value.iter().any(|b| *b != 0),
                        [0x02] => {
                            path_len =
                                Some(u32::from_der(k.raw).map_err(bad("pathLenConstraint"))?);
                        }
                        _ => return Err(ParseError::new("basicConstraints", "unexpected element")),
                    }
                }
                self.basic_constraints = Some(BasicConstraints {
                    ca,
                    path_len,
                    critical: e.critical,
                });
            }
            oid::EXTENDED_KEY_USAGE => {
                self.ext_key_usage =
                    Some(Vec::<ObjectIdentifier>::from_der(v).map_err(bad("extKeyUsage"))?);
            }
            oid::ID_ICAO_DOCUMENT_TYPE_LIST => {
                let seq = der_walk::read_single(v, 0)
                    .map_err(|e| ParseError::new("documentTypeList", e))?;
                let kids = seq
                    .children()
                    .map_err(|e| ParseError::new("documentTypeList", e))?;
                let set = der_walk::expect(kids.get(1), 0x31, "SET OF DocumentType", 0)
                    .map_err(|e| ParseError::new("documentTypeList", e))?;
                let types = set
                    .children()
                    .map_err(|e| ParseError::new("documentTypeList", e))?
                    .iter()
                    .map(|t| String::from_utf8_lossy(t.value).into_owned())
                    .collect();
                self.document_types = Some(types);
            }
            oid::PRIVATE_KEY_USAGE_PERIOD => {
                let p = x509_cert::ext::pkix::PrivateKeyUsagePeriod::from_der(v)
                    .map_err(bad("privateKeyUsagePeriod"))?;
                let t = |g: Option<der::asn1::GeneralizedTime>| {
                    g.map(|g| Timestamp::from_der_datetime(g.to_date_time()))
                };
                self.private_key_usage_period = Some((t(p.not_before), t(p.not_after)));
            }
            other => {
                const KNOWN: [&str; 8] = [
                    "2.5.29.17",        // subjectAltName
                    "2.5.29.18",        // issuerAltName
                    "2.5.29.31",        // cRLDistributionPoints
                    "2.5.29.32",        // certificatePolicies
                    "2.5.29.30",        // nameConstraints
                    "2.5.29.36",        // policyConstraints
                    "2.5.29.54",        // inhibitAnyPolicy
                    "2.23.136.1.1.6.1", // ICAO nameChange
                ];
                if e.critical && !KNOWN.contains(&other.to_string().as_str()) {
                    self.unknown_critical_extensions.push(other);
                }
            }
        }
        Ok(())
    }

    /// The whole certificate as encoded.
    #[must_use]
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The TBSCertificate bytes the signature covers.
    #[must_use]
    pub fn tbs_der(&self) -> &[u8] {
        self.der.get(self.tbs.clone()).unwrap_or_default()
    }

    /// Lower-case hex of the SHA-256 fingerprint: the certificate's
    /// identifier in the store and in reports.
    #[must_use]
    pub fn id(&self) -> String {
        hex::encode(self.fingerprint)
    }

    /// Issuer and subject are the same name (byte-identical or
    /// normalised-equal).
    #[must_use]
    pub fn is_self_issued(&self) -> bool {
        self.issuer.matches(&self.subject)
    }

    /// Self-issued with the authority key identifier (if any) equal to the
    /// subject key identifier: a self-signed CSCA rather than a link
    /// certificate between two keys of one CSCA name.
    #[must_use]
    pub fn is_self_signed_candidate(&self) -> bool {
        self.is_self_issued()
            && match (&self.aki, &self.ski) {
                (Some(a), Some(s)) => a == s,
                _ => true,
            }
    }

    /// basicConstraints cA TRUE.
    #[must_use]
    pub fn is_ca(&self) -> bool {
        self.basic_constraints.is_some_and(|b| b.ca)
    }

    /// Whether `at` is within notBefore..=notAfter.
    #[must_use]
    pub fn valid_at(&self, at: Timestamp) -> bool {
        self.not_before <= at && at <= self.not_after
    }

    /// The kind of key (for policy and display).
    ///
    /// # Errors
    /// As [`public_key_kind`].
    pub fn key_kind(&self) -> Result<PublicKeyKind, crate::VerifyError> {
        self.key_kind
            .get_or_init(|| public_key_kind(&self.spki))
            .clone()
    }

    /// A serialisable summary for reports and listings.
    #[must_use]
    pub fn summary(&self) -> CertificateSummary {
        CertificateSummary {
            id: self.id(),
            subject: self.subject.to_string(),
            issuer: self.issuer.to_string(),
            serial: hex::encode_upper(&self.serial),
            not_before: self.not_before,
            not_after: self.not_after,
            country: self.subject.country().map(str::to_owned),
            key: self
                .key_kind()
                .map_or_else(|e| format!("unusable: {e}"), |k| k.to_string()),
            signature_algorithm: crate::algorithm::SignatureScheme::from_algorithm_identifier(
                &self.signature_algorithm,
            )
            .map_or_else(
                |_| self.signature_algorithm.oid.to_string(),
                |s| s.to_string(),
            ),
            ski: self.ski.as_ref().map(hex::encode_upper),
            aki: self.aki.as_ref().map(hex::encode_upper),
        }
    }

    /// Re-encodes `spki` to DER (for equality of keys across certificates).
    #[must_use]
    pub fn spki_der(&self) -> Vec<u8> {
        self.spki.to_der().unwrap_or_default()
    }
}

/// What a report or listing shows of a certificate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CertificateSummary {
    /// SHA-256 fingerprint, hex.
    pub id: String,
    /// Subject DN.
    pub subject: String,
    /// Issuer DN.
    pub issuer: String,
    /// Serial number, hex.
    pub serial: String,
    /// notBefore.
    pub not_before: Timestamp,
    /// notAfter.
    pub not_after: Timestamp,
    /// Subject countryName.
    pub country: Option<String>,
    /// Key type and size.
    pub key: String,
    /// Signature algorithm.
    pub signature_algorithm: String,
    /// subjectKeyIdentifier, hex.
    pub ski: Option<String>,
    /// authorityKeyIdentifier, hex.
    pub aki: Option<String>,
}

fn alg(raw: &[u8], what: &'static str) -> Result<AlgorithmIdentifierOwned, ParseError> {
    AlgorithmIdentifierOwned::from_der(raw).map_err(|e| ParseError::new(what, e))
}

/// SHA-256.
pub(crate) fn sha256(data: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(data).into()
}
