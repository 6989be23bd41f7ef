//! ICAO PKD LDIF files (RFC 2849) as the PKD publishes them: one entry per
//! certificate, CRL or master list, with the object in a base64 attribute
//! (`userCertificate;binary::`, `certificateRevocationList;binary::`,
//! `pkdMasterListContent::`, `pkdDeviationListContent::`).
//!
//! Only what the trust store needs is read: every base64 (`::`) value of
//! an attribute that carries such an object, with the entry's `dn` for the
//! import report. Folded lines (a line starting with one space continues
//! the previous one), comments and `version:` are handled.

use base64ct::{Base64, Encoding};

use crate::error::ParseError;

/// Which kind of object an LDIF attribute holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LdifObjectKind {
    /// `userCertificate` / `cACertificate` (DSCs, CSCAs).
    Certificate,
    /// `certificateRevocationList` / `authorityRevocationList`.
    Crl,
    /// `pkdMasterListContent` (CMS master list).
    MasterList,
    /// `pkdDeviationListContent` or similar (CMS deviation list).
    DeviationList,
}

/// One binary object found in an LDIF file.
#[derive(Clone, Debug)]
pub struct LdifObject {
    /// The entry's distinguished name (for reports).
    pub dn: String,
    /// Which attribute it came from.
    pub kind: LdifObjectKind,
    /// The decoded bytes.
    pub bytes: Vec<u8>,
}

/// Whether `bytes` look like LDIF (text beginning with `dn:`, `version:`
/// or a comment).
#[must_use]
pub fn looks_like_ldif(bytes: &[u8]) -> bool {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map_or(&[][..], |i| &bytes[i..]);
    [&b"dn:"[..], b"version:", b"#"]
        .iter()
        .any(|p| start.starts_with(p))
        && bytes.iter().take(4096).all(|b| *b != 0)
}

fn kind_of(attribute: &str) -> Option<LdifObjectKind> {
    let base = attribute
        .split(';')
        .next()
        .unwrap_or(attribute)
        .to_ascii_lowercase();
    Some(match base.as_str() {
        "usercertificate" | "cacertificate" => LdifObjectKind::Certificate,
        "certificaterevocationlist" | "authorityrevocationlist" => LdifObjectKind::Crl,
        "pkdmasterlistcontent" => LdifObjectKind::MasterList,
        "pkddeviationlistcontent" | "pkddeviationlist" => LdifObjectKind::DeviationList,
        _ => return None,
    })
}

/// Reads the binary objects of an LDIF file. Undecodable base64 in one
/// entry is an error naming the entry and line.
///
/// # Errors
/// [`ParseError`] for text that is not UTF-8 or a value that is not base64.
pub fn parse(bytes: &[u8]) -> Result<Vec<LdifObject>, ParseError> {
    let text = core::str::from_utf8(bytes).map_err(|e| ParseError::new("LDIF", e))?;
    // Unfold: RFC 2849 §2 — a line beginning with a single space continues
    // the previous line.
    let mut lines: Vec<(usize, String)> = Vec::new();
    for (no, raw) in text.split('\n').enumerate() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if let Some(cont) = line.strip_prefix(' ')
            && let Some(last) = lines.last_mut()
        {
            last.1.push_str(cont);
            continue;
        }
        lines.push((no + 1, line.to_owned()));
    }
    let mut out = Vec::new();
    let mut dn = String::new();
    for (no, line) in lines {
        if line.is_empty() {
            dn.clear();
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        let Some(colon) = line.find(':') else {
            continue;
        };
        let (attr, rest) = line.split_at(colon);
        let rest = &rest[1..];
        if attr.eq_ignore_ascii_case("dn") {
            dn = match rest.strip_prefix(':') {
                Some(b64) => Base64::decode_vec(b64.trim())
                    .ok()
                    .and_then(|v| String::from_utf8(v).ok())
                    .unwrap_or_default(),
                None => rest.trim().to_owned(),
            };
            continue;
        }
        let Some(kind) = kind_of(attr) else {
            continue;
        };
        let Some(b64) = rest.strip_prefix(':') else {
            continue; // a textual value cannot be a DER object
        };
        let clean: String = b64.chars().filter(|c| !c.is_whitespace()).collect();
        let bytes = Base64::decode_vec(&clean).map_err(|e| {
            ParseError::new(
                "LDIF",
                format!("line {no} ({attr} of \"{dn}\"): base64: {e}"),
            )
        })?;
        out.push(LdifObject {
            dn: dn.clone(),
            kind,
            bytes,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folded_base64_values_are_read() {
        let ldif = "version: 1\n\ndn: cn=x,o=dsc,c=DE,dc=data\nobjectClass: top\nuserCertificate;binary:: MIIB\n AAEC\n\ndn: cn=y,o=crl,c=DE\ncertificateRevocationList;binary:: AQID\n";
        assert!(looks_like_ldif(ldif.as_bytes()));
        let objs = parse(ldif.as_bytes()).unwrap();
        assert_eq!(objs.len(), 2);
        assert_eq!(objs[0].kind, LdifObjectKind::Certificate);
        assert_eq!(objs[0].bytes, [0x30, 0x82, 0x01, 0x00, 0x01, 0x02]);
        assert_eq!(objs[0].dn, "cn=x,o=dsc,c=DE,dc=data");
        assert_eq!(objs[1].kind, LdifObjectKind::Crl);
        assert!(parse(b"dn: a\nuserCertificate;binary:: !!!\n").is_err());
    }
}
