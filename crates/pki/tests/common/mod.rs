//! Raw DER walking for tests: signatures must be checked over the bytes as
//! they are in the file, never over a re-encoding.

#![allow(dead_code)]

use der::{Decode, Header, Reader, SliceReader};

/// Splits one complete TLV into (header + value) and returns the value.
pub fn value(tlv: &[u8]) -> &[u8] {
    let mut r = SliceReader::new(tlv).unwrap();
    let header = Header::decode(&mut r).unwrap();
    let value = r.read_slice(header.length()).unwrap();
    assert!(r.is_finished(), "trailing bytes after TLV");
    value
}

/// The complete TLVs inside a constructed TLV, in order.
pub fn children(tlv: &[u8]) -> Vec<&[u8]> {
    let mut r = SliceReader::new(value(tlv)).unwrap();
    let mut out = Vec::new();
    while !r.is_finished() {
        out.push(r.tlv_bytes().unwrap());
    }
    out
}

/// Offset of `inner` inside `outer` (both slices of the same buffer).
pub fn offset_in(outer: &[u8], inner: &[u8]) -> usize {
    let start = inner.as_ptr() as usize - outer.as_ptr() as usize;
    assert!(start + inner.len() <= outer.len());
    start
}

pub mod verify;

use der::Encode;
use spki::AlgorithmIdentifierOwned;
use x509_cert::Certificate;

/// `(TBS as in the file, signatureAlgorithm, signature bits)` of a
/// certificate or CRL (both are `SEQUENCE { tbs, algorithm, BIT STRING }`).
pub fn signed_parts(der: &[u8]) -> (Vec<u8>, AlgorithmIdentifierOwned, Vec<u8>) {
    let parts = children(der);
    assert_eq!(parts.len(), 3, "SIGNED {{ tbs, algorithm, signature }}");
    let alg = AlgorithmIdentifierOwned::from_der(parts[1]).unwrap();
    let bits = der::asn1::BitString::from_der(parts[2]).unwrap();
    (parts[0].to_vec(), alg, bits.as_bytes().unwrap().to_vec())
}

/// Verifies a certificate's or CRL's signature with `issuer`'s key.
pub fn verify_signed(der: &[u8], issuer: &Certificate) -> Result<(), String> {
    let (tbs, alg, sig) = signed_parts(der);
    verify::verify(
        issuer.tbs_certificate().subject_public_key_info(),
        &alg,
        &tbs,
        &sig,
    )
}

/// The pieces of a CMS SignedData a verifier needs, from the raw bytes.
pub struct CmsParts {
    /// eContentType.
    pub econtent_type: der::asn1::ObjectIdentifier,
    /// Value of the eContent OCTET STRING.
    pub econtent: Vec<u8>,
    /// signedAttrs re-tagged as SET OF (0x31), i.e. what was signed.
    pub signed_attrs: Option<Vec<u8>>,
    /// SignerInfo digestAlgorithm.
    pub digest_algorithm: AlgorithmIdentifierOwned,
    /// SignerInfo signatureAlgorithm.
    pub signature_algorithm: AlgorithmIdentifierOwned,
    /// SignerInfo signature.
    pub signature: Vec<u8>,
    /// The parsed SignedData.
    pub signed_data: cms::signed_data::SignedData,
}

/// Walks a DER ContentInfo { signedData, SignedData } (one SignerInfo).
pub fn cms_parts(content_info: &[u8]) -> CmsParts {
    let ci = children(content_info);
    let sd_tlv = value(ci[1]); // [0] EXPLICIT
    let sd = children(sd_tlv);
    let encap = children(sd[2]);
    let econtent_type = der::asn1::ObjectIdentifier::from_der(encap[0]).unwrap();
    let econtent = value(value(encap[1])).to_vec();
    let signer_infos = children(sd.last().unwrap());
    let si = children(signer_infos[0]);
    let (signed_attrs, rest) = if si[3][0] == 0xA0 {
        let mut set = si[3].to_vec();
        set[0] = 0x31;
        (Some(set), &si[4..])
    } else {
        (None, &si[3..])
    };
    let parsed = cms::content_info::ContentInfo::from_der(content_info).unwrap();
    let signed_data = parsed
        .content
        .decode_as::<cms::signed_data::SignedData>()
        .unwrap();
    assert_eq!(
        parsed.to_der().unwrap(),
        content_info,
        "the ContentInfo re-encodes identically (DER)"
    );
    CmsParts {
        econtent_type,
        econtent,
        signed_attrs,
        digest_algorithm: AlgorithmIdentifierOwned::from_der(si[2]).unwrap(),
        signature_algorithm: AlgorithmIdentifierOwned::from_der(rest[0]).unwrap(),
        signature: value(rest[1]).to_vec(),
        signed_data,
    }
}

/// The messageDigest signed attribute.
pub fn message_digest(parts: &CmsParts) -> Vec<u8> {
    let si = parts.signed_data.signer_infos.0.get(0).unwrap();
    let attrs = si.signed_attrs.as_ref().unwrap();
    let md = attrs
        .iter()
        .find(|a| a.oid == const_oid::db::rfc5911::ID_MESSAGE_DIGEST)
        .unwrap();
    md.values
        .get(0)
        .unwrap()
        .decode_as::<der::asn1::OctetString>()
        .unwrap()
        .as_bytes()
        .to_vec()
}

/// The certificates embedded in a SignedData.
pub fn embedded_certificates(parts: &CmsParts) -> Vec<Certificate> {
    parts
        .signed_data
        .certificates
        .as_ref()
        .map(|set| {
            set.0
                .iter()
                .filter_map(|c| match c {
                    cms::cert::CertificateChoices::Certificate(c) => Some(c.clone()),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A self-signed certificate: self-issued and its AKI (if any) is its own
/// SKI. (A link certificate between CSCA generations with the same DN is
/// self-issued but not self-signed.)
pub fn is_self_signed(cert: &Certificate) -> bool {
    let tbs = cert.tbs_certificate();
    let aki = tbs
        .get_extension::<x509_cert::ext::pkix::AuthorityKeyIdentifier>()
        .unwrap()
        .and_then(|(_, a)| a.key_identifier);
    let ski = tbs
        .get_extension::<x509_cert::ext::pkix::SubjectKeyIdentifier>()
        .unwrap()
        .map(|(_, s)| s.0);
    tbs.issuer() == tbs.subject() && (aki.is_none() || aki == ski)
}
