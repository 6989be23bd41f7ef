//! Certificate revocation lists of a CSCA (Doc 9303-12 §7.1.4, RFC 5280
//! §5), decoded with the original TBSCertList bytes kept for the
//! signature check.

use core::ops::Range;

use der::Decode;
use der::asn1::BitString;
use serde::Serialize;
use spki::AlgorithmIdentifierOwned;

use crate::der_walk;
use crate::error::ParseError;
use crate::name::DistinguishedName;
use crate::oid;
use crate::time::Timestamp;

/// One revoked certificate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RevokedEntry {
    /// Serial number (INTEGER content octets), hex in JSON.
    #[serde(serialize_with = "hex_upper")]
    pub serial: Vec<u8>,
    /// revocationDate.
    pub revocation_date: Timestamp,
}

fn hex_upper<S: serde::Serializer>(v: &[u8], s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&hex::encode_upper(v))
}

/// A decoded CRL.
#[derive(Clone, Debug)]
pub struct CrlInfo {
    der: Vec<u8>,
    tbs: Range<usize>,
    /// The signature algorithm.
    pub signature_algorithm: AlgorithmIdentifierOwned,
    /// The signature value.
    pub signature: Vec<u8>,
    /// The issuing CSCA's name.
    pub issuer: DistinguishedName,
    /// thisUpdate.
    pub this_update: Timestamp,
    /// nextUpdate (Doc 9303-12 requires it).
    pub next_update: Option<Timestamp>,
    /// The revoked certificates.
    pub revoked: Vec<RevokedEntry>,
    /// authorityKeyIdentifier.keyIdentifier.
    pub aki: Option<Vec<u8>>,
    /// cRLNumber, hex.
    pub crl_number: Option<String>,
    /// SHA-256 of the DER.
    pub fingerprint: [u8; 32],
}

impl CrlInfo {
    /// Decodes a DER `CertificateList`.
    ///
    /// # Errors
    /// [`ParseError`] naming the field.
    pub fn from_der(der: &[u8]) -> Result<Self, ParseError> {
        let walk = |e: der_walk::TlvError| ParseError::new("CertificateList", e);
        let list = der_walk::read_single(der, 0).map_err(walk)?;
        if list.tag != [0x30] {
            return Err(ParseError::new("CertificateList", "not a SEQUENCE"));
        }
        let parts = list.children().map_err(walk)?;
        let tbs = der_walk::expect(parts.first(), 0x30, "TBSCertList", 0).map_err(walk)?;
        let sig_alg =
            der_walk::expect(parts.get(1), 0x30, "signatureAlgorithm", tbs.offset).map_err(walk)?;
        let sig =
            der_walk::expect(parts.get(2), 0x03, "signatureValue", sig_alg.offset).map_err(walk)?;
        if parts.len() != 3 {
            return Err(ParseError::new(
                "CertificateList",
                "more than three elements",
            ));
        }
        let signature_algorithm = AlgorithmIdentifierOwned::from_der(sig_alg.raw)
            .map_err(|e| ParseError::new("CRL signatureAlgorithm", e))?;
        let signature = BitString::from_der(sig.raw)
            .map_err(|e| ParseError::new("CRL signatureValue", e))?
            .raw_bytes()
            .to_vec();

        let mut fields = tbs.children().map_err(walk)?.into_iter().peekable();
        if fields.peek().is_some_and(|f| f.tag == [0x02]) {
            fields.next(); // version v2
        }
        let mut next = |what: &'static str| {
            fields
                .next()
                .ok_or_else(|| ParseError::new("TBSCertList", format!("{what} missing")))
        };
        let inner_alg = next("signature")?;
        if inner_alg.tag != [0x30] {
            return Err(ParseError::new(
                "TBSCertList",
                "signature is not an AlgorithmIdentifier",
            ));
        }
        let issuer = DistinguishedName::from_der(next("issuer")?.raw)?;
        let time = |t: &der_walk::Tlv<'_>, what: &'static str| {
            x509_cert::time::Time::from_der(t.raw)
                .map(|t| Timestamp::from_x509(&t))
                .map_err(|e| ParseError::new("TBSCertList", format!("{what}: {e}")))
        };
        let this_update = time(&next("thisUpdate")?, "thisUpdate")?;
        let mut next_update = None;
        let mut revoked = Vec::new();
        let mut aki = None;
        let mut crl_number = None;
        for f in fields {
            match f.tag {
                [0x17] | [0x18] if next_update.is_none() && revoked.is_empty() => {
                    next_update = Some(time(&f, "nextUpdate")?);
                }
                [0x30] => {
                    for entry in f.children().map_err(walk)? {
                        let e = entry.children().map_err(walk)?;
                        let serial =
                            der_walk::expect(e.first(), 0x02, "userCertificate", entry.offset)
                                .map_err(walk)?;
                        let date = e.get(1).ok_or_else(|| {
                            ParseError::new("revokedCertificates", "revocationDate missing")
                        })?;
                        revoked.push(RevokedEntry {
                            serial: serial.value.to_vec(),
                            revocation_date: time(date, "revocationDate")?,
                        });
                    }
                }
                [0xA0] => {
                    let exts = der_walk::read_single(f.value, f.value_offset()).map_err(walk)?;
                    for ext in exts.children().map_err(walk)? {
                        let e = x509_cert::ext::Extension::from_der(ext.raw)
                            .map_err(|e| ParseError::new("CRL extension", e))?;
                        let v = e.extn_value.as_bytes();
                        if e.extn_id == oid::AUTHORITY_KEY_IDENTIFIER {
                            let seq = der_walk::read_single(v, 0).map_err(walk)?;
                            aki = seq
                                .children()
                                .map_err(walk)?
                                .iter()
                                .find(|k| k.tag == [0x80])
                                .map(|k| k.value.to_vec());
                        } else if e.extn_id == oid::CRL_NUMBER {
                            let n = der_walk::read_single(v, 0).map_err(walk)?;
                            crl_number = Some(hex::encode_upper(n.value));
                        }
                    }
                }
                _ => return Err(ParseError::new("TBSCertList", "unexpected element")),
            }
        }
        Ok(Self {
            der: der.to_vec(),
            tbs: tbs.offset..tbs.offset + tbs.raw.len(),
            signature_algorithm,
            signature,
            issuer,
            this_update,
            next_update,
            revoked,
            aki,
            crl_number,
            fingerprint: crate::cert::sha256(der),
        })
    }

    /// The CRL as encoded.
    #[must_use]
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The TBSCertList bytes the signature covers.
    #[must_use]
    pub fn tbs_der(&self) -> &[u8] {
        self.der.get(self.tbs.clone()).unwrap_or_default()
    }

    /// Hex SHA-256 fingerprint (the store identifier).
    #[must_use]
    pub fn id(&self) -> String {
        hex::encode(self.fingerprint)
    }

    /// The entry revoking serial number `serial`, if any (leading zero
    /// octets ignored).
    #[must_use]
    pub fn revocation_of(&self, serial: &[u8]) -> Option<&RevokedEntry> {
        let strip = |s: &[u8]| {
            let n = s
                .iter()
                .take_while(|b| **b == 0)
                .count()
                .min(s.len().saturating_sub(1));
            s[n..].to_vec()
        };
        let want = strip(serial);
        self.revoked.iter().find(|e| strip(&e.serial) == want)
    }
}
