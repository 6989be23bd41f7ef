//! Field types shared by DG11, DG12 and DG16 (Doc 9303-10 §4.7.11,
//! §4.7.12, §4.7.16): dates, names, text, tag lists and the template
//! walker they are read with.

use core::fmt;

use mrtd_iso7816::tlv::{Tag, encode_tlv};
use serde::{Deserialize, Serialize};

use crate::LdsError;
use crate::lenient::{Defect, Diag};
use crate::objects::Object;

/// A date (`YYYYMMDD`) or date and time (`YYYYMMDDhhmmss`) of DG11, DG12
/// or DG16, with the encoding it was read in so that it re-encodes byte
/// for byte: ASCII digits as Doc 9303-10 specifies, or packed BCD as some
/// issuers write it (a [`Defect::BcdDate`] when parsed).
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LdsDate {
    digits: String,
    bcd: bool,
}

impl LdsDate {
    /// A date from its digits (8 for a date, 14 for date and time), to be
    /// encoded as ASCII.
    #[must_use]
    pub fn new(digits: &str) -> Option<Self> {
        (matches!(digits.len(), 8 | 14) && digits.bytes().all(|b| b.is_ascii_digit())).then(|| {
            Self {
                digits: digits.to_owned(),
                bcd: false,
            }
        })
    }

    /// The same date, to be encoded as packed BCD.
    #[must_use]
    pub fn into_bcd(mut self) -> Self {
        self.bcd =
            self.digits.bytes().all(|b| b.is_ascii_digit()) && self.digits.len().is_multiple_of(2);
        self
    }

    /// The digits as read (`YYYYMMDD` or `YYYYMMDDhhmmss`), or the text
    /// as read when it is not digits (kept with a warning).
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.digits
    }

    /// Whether the file stores it as packed BCD.
    #[must_use]
    pub fn is_bcd(&self) -> bool {
        self.bcd
    }

    /// ISO 8601 form (`1970-01-01`, `2024-01-01T12:30:59`), when the digits
    /// are a plausible date.
    #[must_use]
    pub fn iso(&self) -> Option<String> {
        let d = self.digits.as_bytes();
        if !d.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let n = |r: core::ops::Range<usize>| -> Option<u32> {
            core::str::from_utf8(d.get(r)?).ok()?.parse().ok()
        };
        let (y, m, day) = (n(0..4)?, n(4..6)?, n(6..8)?);
        if !(1..=12).contains(&m) || !(1..=31).contains(&day) {
            return None;
        }
        match d.len() {
            8 => Some(format!("{y:04}-{m:02}-{day:02}")),
            14 => {
                let (h, mi, s) = (n(8..10)?, n(10..12)?, n(12..14)?);
                (h < 24 && mi < 60 && s < 60)
                    .then(|| format!("{y:04}-{m:02}-{day:02}T{h:02}:{mi:02}:{s:02}"))
            }
            _ => None,
        }
    }

    fn encode(&self) -> Vec<u8> {
        if self.bcd {
            self.digits
                .as_bytes()
                .chunks(2)
                .map(|p| {
                    // Only digits are ever marked BCD; mask anyway so that a
                    // deserialised value cannot underflow.
                    let hi = p.first().map_or(0, |c| c.wrapping_sub(b'0') & 0x0F);
                    let lo = p.get(1).map_or(0, |c| c.wrapping_sub(b'0') & 0x0F);
                    (hi << 4) | lo
                })
                .collect()
        } else {
            self.digits.as_bytes().to_vec()
        }
    }
}

/// Dates can be personal data (date of birth): the debug view hides them.
impl fmt::Debug for LdsDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "LdsDate(<{} digits>{})",
            self.digits.len(),
            if self.bcd { ", BCD" } else { "" }
        )
    }
}

/// A name as DG11/DG12/DG16 write it: primary and secondary identifier
/// separated by `<<`, words by `<` (Doc 9303-10 §4.7.11 note), kept as
/// read.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Name(pub String);

impl Name {
    /// Primary identifier, fillers as spaces.
    #[must_use]
    pub fn primary_identifier(&self) -> String {
        self.parts().0
    }

    /// Secondary identifier, fillers as spaces.
    #[must_use]
    pub fn secondary_identifier(&self) -> String {
        self.parts().1
    }

    fn parts(&self) -> (String, String) {
        let readable = |s: &str| s.trim_matches('<').replace('<', " ").trim().to_owned();
        match self.0.split_once("<<") {
            Some((p, s)) => (readable(p), readable(s)),
            None => (readable(&self.0), String::new()),
        }
    }
}

/// Names are personal data: the debug view shows the length only.
impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Name(<{} chars>)", self.0.chars().count())
    }
}

/// Reads UTF-8 text; anything else is read as ISO/IEC 8859-1 with a
/// warning (older chips).
pub(crate) fn text(
    diag: &mut Diag,
    o: &Object<'_>,
    field: &'static str,
) -> Result<String, LdsError> {
    match core::str::from_utf8(o.value) {
        Ok(s) => Ok(s.to_owned()),
        Err(_) => {
            diag.warn(o.value_offset, Defect::NotUtf8 { field })?;
            Ok(o.value.iter().map(|b| char::from(*b)).collect())
        }
    }
}

/// Reads a date of `digits` ASCII digits, or its packed BCD form with a
/// warning; other content is an error in strict mode and kept as text
/// with a warning otherwise.
pub(crate) fn date(
    diag: &mut Diag,
    o: &Object<'_>,
    field: &'static str,
    digits: usize,
) -> Result<LdsDate, LdsError> {
    let v = o.value;
    if v.len() == digits && v.iter().all(u8::is_ascii_digit) {
        return Ok(LdsDate {
            digits: String::from_utf8_lossy(v).into_owned(),
            bcd: false,
        });
    }
    if v.len() * 2 == digits && v.iter().all(|b| b >> 4 <= 9 && b & 0x0F <= 9) {
        diag.warn(
            o.value_offset,
            Defect::BcdDate {
                field,
                len: v.len(),
            },
        )?;
        let digits = v
            .iter()
            .flat_map(|b| [char::from(b'0' + (b >> 4)), char::from(b'0' + (b & 0x0F))])
            .collect();
        return Ok(LdsDate { digits, bcd: true });
    }
    let reason = format!(
        "{} bytes that are neither {digits} ASCII digits nor their BCD form",
        v.len()
    );
    if diag.strict() {
        return Err(LdsError::InvalidField {
            ef: diag.ef(),
            offset: o.value_offset,
            field,
            reason,
        });
    }
    diag.warn(o.value_offset, Defect::FieldValue { field, reason })?;
    Ok(LdsDate {
        digits: text(diag, o, field)?,
        bcd: false,
    })
}

/// `02 01 n` followed by `n` objects of `item` tag, inside template `o`
/// (other names of DG11, other persons of DG12).
pub(crate) fn counted_names(
    diag: &mut Diag,
    o: &Object<'_>,
    item: Tag,
    field: &'static str,
) -> Result<Vec<Name>, LdsError> {
    let ef = diag.ef();
    let mut count = None;
    let mut names = Vec::new();
    for child in o.children(ef)? {
        match child.tag {
            Tag(0x02) if count.is_none() && names.is_empty() => count = Some(child),
            t if t == item => names.push(Name(text(diag, &child, field)?)),
            _ => unexpected(diag, o, &child)?,
        }
    }
    let stated = match count.map(|c| (c, c.value)) {
        Some((_, [n])) => Some(usize::from(*n)),
        Some((c, _)) => {
            return Err(LdsError::InvalidField {
                ef,
                offset: c.value_offset,
                field,
                reason: "count is not one byte".into(),
            });
        }
        None => None,
    };
    if stated != Some(names.len()) {
        let at = count.map_or(o.offset, |c| c.value_offset);
        if diag.strict() {
            return Err(LdsError::InvalidField {
                ef,
                offset: at,
                field,
                reason: format!("count {stated:?}, {} present", names.len()),
            });
        }
        diag.warn(
            at,
            Defect::CountMismatch {
                field,
                stated: stated.unwrap_or(0),
                found: names.len(),
            },
        )?;
    }
    Ok(names)
}

/// An unknown data object: an error in strict mode, a warning otherwise.
pub(crate) fn unexpected(
    diag: &mut Diag,
    parent: &Object<'_>,
    child: &Object<'_>,
) -> Result<(), LdsError> {
    if diag.strict() {
        return Err(parent.unexpected(diag.ef(), child));
    }
    diag.warn(child.offset, Defect::UnexpectedObject { tag: child.tag.0 })
}

/// The tag list `5C` as tags (BER tags of 1 to 3 bytes, no lengths).
pub(crate) fn tag_list(diag: &mut Diag, o: &Object<'_>) -> Result<Vec<u32>, LdsError> {
    let mut tags = Vec::new();
    let mut i = 0;
    let v = o.value;
    while let Some(&first) = v.get(i) {
        let start = i;
        let mut tag = u32::from(first);
        i += 1;
        if first & 0x1F == 0x1F {
            loop {
                let Some(&b) = v.get(i).filter(|_| i - start < 3) else {
                    return Err(LdsError::InvalidField {
                        ef: diag.ef(),
                        offset: o.value_offset + start,
                        field: "tag list",
                        reason: "a truncated or over-long tag".into(),
                    });
                };
                tag = (tag << 8) | u32::from(b);
                i += 1;
                if b & 0x80 == 0 {
                    break;
                }
            }
        }
        tags.push(tag);
    }
    Ok(tags)
}

/// Compares the tag list with the objects present (`equivalent` maps a
/// template tag to the tag lists commonly name it by).
pub(crate) fn check_tag_list(
    diag: &mut Diag,
    list: Option<(&Object<'_>, &[u32])>,
    present: &[u32],
    equivalent: &[(u32, u32)],
    at: usize,
) -> Result<(), LdsError> {
    let Some((obj, list)) = list else {
        return diag.warn(
            at,
            Defect::TagList {
                detail: "(5C) is missing".into(),
            },
        );
    };
    let same = |a: u32, b: u32| {
        a == b
            || equivalent
                .iter()
                .any(|(x, y)| (a, b) == (*x, *y) || (a, b) == (*y, *x))
    };
    let unlisted: Vec<String> = present
        .iter()
        .filter(|p| !list.iter().any(|l| same(**p, *l)))
        .map(|t| format!("{t:X}"))
        .collect();
    let absent: Vec<String> = list
        .iter()
        .filter(|l| !present.iter().any(|p| same(*p, **l)))
        .map(|t| format!("{t:X}"))
        .collect();
    if !unlisted.is_empty() {
        diag.warn(
            obj.value_offset,
            Defect::TagList {
                detail: format!("does not name {} present in the file", unlisted.join(", ")),
            },
        )?;
    }
    if !absent.is_empty() {
        diag.warn(
            obj.value_offset,
            Defect::TagList {
                detail: format!("names {} absent from the file", absent.join(", ")),
            },
        )?;
    }
    Ok(())
}

/// Encoder helpers.
pub(crate) struct Out(pub(crate) Vec<u8>);

impl Out {
    pub(crate) fn opt_text(&mut self, tag: u32, v: Option<&String>) {
        if let Some(v) = v {
            encode_tlv(Tag(tag), v.as_bytes(), &mut self.0);
        }
    }

    pub(crate) fn opt_bytes(&mut self, tag: u32, v: Option<&Vec<u8>>) {
        if let Some(v) = v {
            encode_tlv(Tag(tag), v, &mut self.0);
        }
    }

    pub(crate) fn opt_date(&mut self, tag: u32, v: Option<&LdsDate>) {
        if let Some(v) = v {
            encode_tlv(Tag(tag), &v.encode(), &mut self.0);
        }
    }

    pub(crate) fn tag_list(&mut self, v: Option<&Vec<u32>>) {
        if let Some(tags) = v {
            let bytes: Vec<u8> = tags.iter().flat_map(|t| Tag(*t).to_bytes()).collect();
            encode_tlv(Tag(0x5C), &bytes, &mut self.0);
        }
    }

    pub(crate) fn counted(
        &mut self,
        template: u32,
        item: u32,
        names: Option<&Vec<Name>>,
    ) -> Result<(), &'static str> {
        if let Some(names) = names {
            let n = u8::try_from(names.len()).map_err(|_| "more than 255 names")?;
            let mut v = Vec::new();
            encode_tlv(Tag(0x02), &[n], &mut v);
            for name in names {
                encode_tlv(Tag(item), name.0.as_bytes(), &mut v);
            }
            encode_tlv(Tag(template), &v, &mut self.0);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        let d = LdsDate::new("19700101").unwrap();
        assert_eq!(d.iso().as_deref(), Some("1970-01-01"));
        assert_eq!(d.clone().into_bcd().encode(), vec![0x19, 0x70, 0x01, 0x01]);
        assert_eq!(d.encode(), b"19700101");
        let t = LdsDate::new("20240101123059").unwrap();
        assert_eq!(t.iso().as_deref(), Some("2024-01-01T12:30:59"));
        assert!(LdsDate::new("2024010").is_none());
        assert_eq!(LdsDate::new("20241301").unwrap().iso(), None);
        assert_eq!(format!("{d:?}"), "LdsDate(<8 digits>)");
    }

    #[test]
    fn names() {
        let n = Name("SMITH<<JOHN<J".into());
        assert_eq!(n.primary_identifier(), "SMITH");
        assert_eq!(n.secondary_identifier(), "JOHN J");
        assert_eq!(Name("Doe John".into()).primary_identifier(), "Doe John");
        assert_eq!(format!("{n:?}"), "Name(<13 chars>)");
    }
}
