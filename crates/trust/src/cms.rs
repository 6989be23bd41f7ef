//! A view of a CMS `SignedData` (RFC 5652 §5) that keeps the original
//! bytes of everything a signature or digest covers: the eContent, the
//! certificates, each SignerInfo and its signed attributes. Used for
//! EF.SOD, EF.CardSecurity, CSCA master lists and deviation lists.
//!
//! The input must be DER framing (convert BER first with
//! [`der_walk::to_der`](crate::der_walk::to_der)). Each part is decoded on
//! its own, so one odd certificate does not make the whole object
//! unreadable.

use der::Decode;
use der::asn1::ObjectIdentifier;
use spki::AlgorithmIdentifierOwned;

use crate::der_walk::{self, Tlv};
use crate::error::ParseError;
use crate::name::DistinguishedName;
use crate::oid;

/// How a SignerInfo names its certificate (RFC 5652 §5.3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignerId {
    /// `issuerAndSerialNumber` (SignerInfo version 1).
    IssuerSerial {
        /// The issuer of the signer's certificate.
        issuer: DistinguishedName,
        /// Its serial number (INTEGER content octets).
        serial: Vec<u8>,
    },
    /// `subjectKeyIdentifier` (SignerInfo version 3).
    SubjectKeyId(Vec<u8>),
}

impl core::fmt::Display for SignerId {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::IssuerSerial { issuer, serial } => {
                write!(
                    f,
                    "issuer \"{issuer}\", serial {}",
                    hex::encode_upper(serial)
                )
            }
            Self::SubjectKeyId(k) => write!(f, "subject key identifier {}", hex::encode_upper(k)),
        }
    }
}

/// One attribute: its type and the encodings of its values.
#[derive(Clone, Debug)]
pub struct AttributeView<'a> {
    /// attrType.
    pub oid: ObjectIdentifier,
    /// attrValues, each as encoded (tag, length, value).
    pub values: Vec<&'a [u8]>,
}

/// One SignerInfo as it is in the file.
#[derive(Clone, Debug)]
pub struct SignerInfoView<'a> {
    /// The whole SignerInfo encoding.
    pub der: &'a [u8],
    /// version.
    pub version: i64,
    /// sid.
    pub sid: SignerId,
    /// digestAlgorithm.
    pub digest_algorithm: AlgorithmIdentifierOwned,
    /// signedAttrs exactly as encoded, with their `[0] IMPLICIT` tag `A0`.
    pub signed_attributes: Option<&'a [u8]>,
    /// signatureAlgorithm.
    pub signature_algorithm: AlgorithmIdentifierOwned,
    /// signature (OCTET STRING contents).
    pub signature: &'a [u8],
    /// Whether unsignedAttrs are present.
    pub has_unsigned_attributes: bool,
}

impl<'a> SignerInfoView<'a> {
    fn parse(t: &Tlv<'a>) -> Result<Self, ParseError> {
        let walk = |e: der_walk::TlvError| ParseError::new("SignerInfo", e);
        if t.tag != [0x30] {
            return Err(ParseError::new("SignerInfo", "not a SEQUENCE"));
        }
        let parts = t.children().map_err(walk)?;
        let mut it = parts.iter().peekable();
        let mut next = |what: &'static str| {
            it.next()
                .copied()
                .ok_or_else(|| ParseError::new("SignerInfo", format!("{what} missing")))
        };
        let version = next("version")?;
        let version =
            i64::from_der(version.raw).map_err(|e| ParseError::new("SignerInfo version", e))?;
        let sid = next("sid")?;
        let sid = match sid.tag {
            [0x30] => {
                let kids = sid.children().map_err(walk)?;
                let issuer = kids
                    .first()
                    .ok_or_else(|| ParseError::new("issuerAndSerialNumber", "issuer missing"))?;
                let serial = der_walk::expect(kids.get(1), 0x02, "serialNumber", sid.offset)
                    .map_err(walk)?;
                SignerId::IssuerSerial {
                    issuer: DistinguishedName::from_der(issuer.raw)?,
                    serial: serial.value.to_vec(),
                }
            }
            [0x80] => SignerId::SubjectKeyId(sid.value.to_vec()),
            _ => {
                return Err(ParseError::new(
                    "SignerInfo",
                    "sid is neither issuerAndSerialNumber nor [0]",
                ));
            }
        };
        let digest_algorithm = AlgorithmIdentifierOwned::from_der(next("digestAlgorithm")?.raw)
            .map_err(|e| ParseError::new("SignerInfo digestAlgorithm", e))?;
        let mut signed_attributes = None;
        let mut sig_alg = next("signatureAlgorithm")?;
        if sig_alg.tag == [0xA0] {
            signed_attributes = Some(sig_alg.raw);
            sig_alg = next("signatureAlgorithm")?;
        }
        let signature_algorithm = AlgorithmIdentifierOwned::from_der(sig_alg.raw)
            .map_err(|e| ParseError::new("SignerInfo signatureAlgorithm", e))?;
        let signature = der_walk::expect(
            Some(&next("signature")?),
            0x04,
            "signature OCTET STRING",
            t.offset,
        )
        .map_err(walk)?
        .value;
        let mut has_unsigned_attributes = false;
        for rest in it {
            if rest.tag == [0xA1] && !has_unsigned_attributes {
                has_unsigned_attributes = true;
            } else {
                return Err(ParseError::new(
                    "SignerInfo",
                    "unexpected element after the signature",
                ));
            }
        }
        Ok(Self {
            der: t.raw,
            version,
            sid,
            digest_algorithm,
            signed_attributes,
            signature_algorithm,
            signature,
            has_unsigned_attributes,
        })
    }

    /// The signed attributes in file order.
    ///
    /// # Errors
    /// [`ParseError`] if an attribute is not `SEQUENCE { OID, SET }`.
    pub fn attributes(&self) -> Result<Vec<AttributeView<'a>>, ParseError> {
        let Some(raw) = self.signed_attributes else {
            return Ok(Vec::new());
        };
        let walk = |e: der_walk::TlvError| ParseError::new("signedAttrs", e);
        let set = der_walk::read_single(raw, 0).map_err(walk)?;
        let mut out = Vec::new();
        for attr in set.children().map_err(walk)? {
            let kids = attr.children().map_err(walk)?;
            let oid_tlv =
                der_walk::expect(kids.first(), 0x06, "attrType", attr.offset).map_err(walk)?;
            let values =
                der_walk::expect(kids.get(1), 0x31, "attrValues", attr.offset).map_err(walk)?;
            if kids.len() != 2 {
                return Err(ParseError::new(
                    "signedAttrs",
                    "Attribute with extra elements",
                ));
            }
            out.push(AttributeView {
                oid: ObjectIdentifier::from_der(oid_tlv.raw)
                    .map_err(|e| ParseError::new("attrType", e))?,
                values: values
                    .children()
                    .map_err(walk)?
                    .iter()
                    .map(|v| v.raw)
                    .collect(),
            });
        }
        Ok(out)
    }

    /// What the signature covers when signed attributes are present: their
    /// encoding with the `[0] IMPLICIT` tag replaced by `SET OF` (`31`),
    /// RFC 5652 §5.4 — built from the file's bytes, not re-encoded.
    #[must_use]
    pub fn signed_attributes_message(&self) -> Option<Vec<u8>> {
        let raw = self.signed_attributes?;
        let mut m = raw.to_vec();
        *m.first_mut()? = 0x31;
        Some(m)
    }

    /// Whether the attributes are in DER `SET OF` order (ascending by
    /// encoding). Verifiers sign over the bytes as they are, but DER
    /// requires the order (X.690 §11.6).
    #[must_use]
    pub fn attributes_sorted(&self) -> bool {
        let Some(raw) = self.signed_attributes else {
            return true;
        };
        let Ok(set) = der_walk::read_single(raw, 0) else {
            return false;
        };
        let Ok(kids) = set.children() else {
            return false;
        };
        kids.windows(2).all(|w| w[0].raw <= w[1].raw)
    }
}

/// A CMS ContentInfo holding SignedData.
#[derive(Clone, Debug)]
pub struct SignedObject<'a> {
    /// ContentInfo.contentType (id-signedData when well formed).
    pub content_type: ObjectIdentifier,
    /// SignedData.version.
    pub version: i64,
    /// digestAlgorithms.
    pub digest_algorithms: Vec<AlgorithmIdentifierOwned>,
    /// encapContentInfo.eContentType.
    pub econtent_type: ObjectIdentifier,
    /// The eContent octets (the OCTET STRING contents), if present.
    pub econtent: Option<&'a [u8]>,
    /// `certificates` entries that are X.509 certificates, as encoded.
    pub certificates: Vec<&'a [u8]>,
    /// `certificates` entries of the other CHOICEs (attribute
    /// certificates, other formats), counted only.
    pub other_certificates: usize,
    /// `crls` entries, as encoded.
    pub crls: Vec<&'a [u8]>,
    /// The SignerInfos in file order.
    pub signers: Vec<SignerInfoView<'a>>,
    /// The whole SignedData encoding.
    pub signed_data: &'a [u8],
    /// Bytes after the ContentInfo.
    pub trailing: usize,
}

impl<'a> SignedObject<'a> {
    /// Reads a ContentInfo (plus possible trailing bytes, counted in
    /// [`Self::trailing`]).
    ///
    /// # Errors
    /// [`ParseError`] naming the part that does not decode.
    pub fn parse(input: &'a [u8]) -> Result<Self, ParseError> {
        let walk = |e: der_walk::TlvError| ParseError::new("ContentInfo", e);
        let (ci, rest) = der_walk::read(input, 0).map_err(walk)?;
        if ci.tag != [0x30] {
            return Err(ParseError::new("ContentInfo", "not a SEQUENCE"));
        }
        let parts = ci.children().map_err(walk)?;
        let ct = der_walk::expect(parts.first(), 0x06, "contentType", ci.offset).map_err(walk)?;
        let content_type =
            ObjectIdentifier::from_der(ct.raw).map_err(|e| ParseError::new("contentType", e))?;
        let explicit =
            der_walk::expect(parts.get(1), 0xA0, "[0] content", ct.offset).map_err(walk)?;
        if parts.len() != 2 {
            return Err(ParseError::new(
                "ContentInfo",
                "more than contentType and content",
            ));
        }
        let sd = der_walk::read_single(explicit.value, explicit.value_offset()).map_err(walk)?;
        if sd.tag != [0x30] {
            return Err(ParseError::new("SignedData", "not a SEQUENCE"));
        }
        let walk = |e: der_walk::TlvError| ParseError::new("SignedData", e);
        let fields = sd.children().map_err(walk)?;
        let version = der_walk::expect(fields.first(), 0x02, "version", sd.offset).map_err(walk)?;
        let version =
            i64::from_der(version.raw).map_err(|e| ParseError::new("SignedData version", e))?;
        let algs =
            der_walk::expect(fields.get(1), 0x31, "digestAlgorithms", sd.offset).map_err(walk)?;
        let digest_algorithms = algs
            .children()
            .map_err(walk)?
            .iter()
            .map(|a| {
                AlgorithmIdentifierOwned::from_der(a.raw)
                    .map_err(|e| ParseError::new("digestAlgorithms", e))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let encap =
            der_walk::expect(fields.get(2), 0x30, "encapContentInfo", sd.offset).map_err(walk)?;
        let encap_parts = encap.children().map_err(walk)?;
        let et = der_walk::expect(encap_parts.first(), 0x06, "eContentType", encap.offset)
            .map_err(walk)?;
        let econtent_type =
            ObjectIdentifier::from_der(et.raw).map_err(|e| ParseError::new("eContentType", e))?;
        let econtent = match encap_parts.get(1) {
            None => None,
            Some(e) if e.tag == [0xA0] => {
                let octets = der_walk::read_single(e.value, e.value_offset()).map_err(walk)?;
                if octets.tag != [0x04] {
                    return Err(ParseError::new("eContent", "not an OCTET STRING"));
                }
                Some(octets.value)
            }
            Some(_) => return Err(ParseError::new("encapContentInfo", "eContent is not [0]")),
        };
        if encap_parts.len() > 2 {
            return Err(ParseError::new("encapContentInfo", "extra elements"));
        }
        let mut certificates = Vec::new();
        let mut other_certificates = 0;
        let mut crls = Vec::new();
        let mut rest_fields = fields.get(3..).unwrap_or_default();
        if let Some((f, tail)) = rest_fields.split_first()
            && f.tag == [0xA0]
        {
            for c in f.children().map_err(walk)? {
                if c.tag == [0x30] {
                    certificates.push(c.raw);
                } else {
                    other_certificates += 1;
                }
            }
            rest_fields = tail;
        }
        if let Some((f, tail)) = rest_fields.split_first()
            && f.tag == [0xA1]
        {
            crls = f.children().map_err(walk)?.iter().map(|c| c.raw).collect();
            rest_fields = tail;
        }
        let signer_set = match rest_fields {
            [s] if s.tag == [0x31] => s,
            [] => return Err(ParseError::new("SignedData", "signerInfos missing")),
            _ => {
                return Err(ParseError::new(
                    "SignedData",
                    "unexpected element before or after signerInfos",
                ));
            }
        };
        let signers = signer_set
            .children()
            .map_err(walk)?
            .iter()
            .map(SignerInfoView::parse)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            content_type,
            version,
            digest_algorithms,
            econtent_type,
            econtent,
            certificates,
            other_certificates,
            crls,
            signers,
            signed_data: sd.raw,
            trailing: rest.len(),
        })
    }

    /// Whether this is SignedData at all.
    #[must_use]
    pub fn is_signed_data(&self) -> bool {
        self.content_type == oid::ID_SIGNED_DATA
    }
}
