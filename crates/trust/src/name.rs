//! Distinguished names as the chain logic needs them: the original DER
//! (exact comparison), a normalised key (RFC 5280 §7.1 name matching,
//! simplified: case-insensitive, insignificant spaces removed, string type
//! ignored — real DS certificates re-encode their CSCA's name as
//! UTF8String where the CSCA has PrintableString), a display form and the
//! country.

use core::fmt;

use der::Decode;
use der::asn1::ObjectIdentifier;
use serde::Serialize;

use crate::der_walk::{self, Tlv};
use crate::error::ParseError;
use crate::oid;

/// A distinguished name.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct DistinguishedName {
    raw: Vec<u8>,
    key: String,
    display: String,
    country: Option<String>,
}

impl DistinguishedName {
    /// Reads a DER `Name` (the whole SEQUENCE).
    ///
    /// # Errors
    /// [`ParseError`] when it is not a sequence of RDNs of
    /// AttributeTypeAndValue.
    pub fn from_der(raw: &[u8]) -> Result<Self, ParseError> {
        let err = |e: der_walk::TlvError| ParseError::new("Name", e);
        let seq = der_walk::read_single(raw, 0).map_err(err)?;
        if seq.tag != [0x30] {
            return Err(ParseError::new("Name", "not a SEQUENCE"));
        }
        let mut key_parts = Vec::new();
        let mut display_parts = Vec::new();
        let mut country = None;
        for rdn in seq.children().map_err(err)? {
            if rdn.tag != [0x31] {
                return Err(ParseError::new("Name", "RDN is not a SET"));
            }
            let mut atvs = Vec::new();
            let mut shown = Vec::new();
            for atv in rdn.children().map_err(err)? {
                let parts = atv.children().map_err(err)?;
                let (Some(t), Some(v), None) = (parts.first(), parts.get(1), parts.get(2)) else {
                    return Err(ParseError::new(
                        "Name",
                        "AttributeTypeAndValue is not {type, value}",
                    ));
                };
                if t.tag != [0x06] {
                    return Err(ParseError::new("Name", "attribute type is not an OID"));
                }
                let oid =
                    ObjectIdentifier::from_der(t.raw).map_err(|e| ParseError::new("Name", e))?;
                let text = string_value(v);
                if oid == oid::COUNTRY_NAME && country.is_none() {
                    country = text.as_ref().map(|s| s.trim().to_ascii_uppercase());
                }
                let norm = match &text {
                    Some(s) => normalise(s),
                    None => format!("#{}", hex::encode(v.raw)),
                };
                atvs.push(match short_name(&oid) {
                    Some(n) => format!("{n}={norm}"),
                    None => format!("{oid}={norm}"),
                });
                shown.push(format!(
                    "{}={}",
                    short_name(&oid).map_or_else(|| oid.to_string(), str::to_owned),
                    text.unwrap_or_else(|| format!("#{}", hex::encode(v.raw)))
                ));
            }
            atvs.sort();
            key_parts.push(atvs.join("+"));
            display_parts.push(shown.join("+"));
        }
        display_parts.reverse();
        Ok(Self {
            raw: raw.to_vec(),
            key: key_parts.join(","),
            display: display_parts.join(", "),
            country,
        })
    }

    /// The DER encoding as found.
    #[must_use]
    pub fn as_der(&self) -> &[u8] {
        &self.raw
    }

    /// The normalised matching key.
    #[must_use]
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The `countryName`, upper case, if present.
    #[must_use]
    pub fn country(&self) -> Option<&str> {
        self.country.as_deref()
    }

    /// Byte-identical encodings.
    #[must_use]
    pub fn same_der(&self, other: &Self) -> bool {
        self.raw == other.raw
    }

    /// Equal under the normalised comparison.
    #[must_use]
    pub fn matches(&self, other: &Self) -> bool {
        self.key == other.key
    }
}

impl fmt::Display for DistinguishedName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display)
    }
}

impl fmt::Debug for DistinguishedName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DistinguishedName({})", self.display)
    }
}

impl Serialize for DistinguishedName {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.display)
    }
}

/// The text of a directory string (PrintableString, UTF8String,
/// IA5String, TeletexString read as Latin-1, BMPString, UniversalString).
fn string_value(v: &Tlv<'_>) -> Option<String> {
    match v.tag {
        [0x13] | [0x0C] | [0x16] | [0x1A] => core::str::from_utf8(v.value).ok().map(str::to_owned),
        [0x14] => Some(v.value.iter().map(|b| char::from(*b)).collect()),
        [0x1E] => {
            let units: Vec<u16> = v
                .value
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            v.value
                .len()
                .is_multiple_of(2)
                .then(|| String::from_utf16_lossy(&units))
        }
        [0x1C] => v.value.len().is_multiple_of(4).then(|| {
            v.value
                .chunks_exact(4)
                .filter_map(|c| char::from_u32(u32::from_be_bytes([c[0], c[1], c[2], c[3]])))
                .collect()
        }),
        _ => None,
    }
}

/// Case folded, leading/trailing spaces removed, inner runs of white space
/// collapsed to one (RFC 4518 §2.6.1, simplified).
fn normalise(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn short_name(oid: &ObjectIdentifier) -> Option<&'static str> {
    const NAMES: [(ObjectIdentifier, &str); 12] = [
        (ObjectIdentifier::new_unwrap("2.5.4.3"), "CN"),
        (ObjectIdentifier::new_unwrap("2.5.4.6"), "C"),
        (ObjectIdentifier::new_unwrap("2.5.4.7"), "L"),
        (ObjectIdentifier::new_unwrap("2.5.4.8"), "ST"),
        (ObjectIdentifier::new_unwrap("2.5.4.10"), "O"),
        (ObjectIdentifier::new_unwrap("2.5.4.11"), "OU"),
        (ObjectIdentifier::new_unwrap("2.5.4.5"), "serialNumber"),
        (ObjectIdentifier::new_unwrap("2.5.4.4"), "SN"),
        (ObjectIdentifier::new_unwrap("2.5.4.42"), "GN"),
        (
            ObjectIdentifier::new_unwrap("2.5.4.97"),
            "organizationIdentifier",
        ),
        (
            ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.1"),
            "emailAddress",
        ),
        (
            ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.25"),
            "DC",
        ),
    ];
    NAMES.iter().find(|(o, _)| o == oid).map(|(_, n)| *n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use der::Encode;

    #[test]
    fn printable_and_utf8_names_match() {
        let a: x509_cert::name::Name = "CN=CSCA  Test,O=Gov,C=de".parse().unwrap();
        let a = DistinguishedName::from_der(&a.to_der().unwrap()).unwrap();
        let b: x509_cert::name::Name = "CN=csca test,O=GOV,C=DE".parse().unwrap();
        let b = DistinguishedName::from_der(&b.to_der().unwrap()).unwrap();
        assert!(a.matches(&b));
        assert!(!a.same_der(&b));
        assert_eq!(a.country(), Some("DE"));
        assert_eq!(a.to_string(), "CN=CSCA  Test, O=Gov, C=de");
    }
}
