//! EF.COM (Doc 9303-10 §4.6.1): LDS version, Unicode version and the list
//! of data groups present.
//!
//! ```text
//! 60 L
//!    5F01 04 "aabb"      LDS version aa.bb       ("0107" = 1.7)
//!    5F36 06 "aabbcc"    Unicode version aa.bb.cc ("040000" = 4.0.0)
//!    5C   L  tag list    one tag byte per data group (61 = DG1, 75 = DG2, …)
//! ```
//!
//! EF.COM is not covered by the SOD; readers should treat its list as a
//! hint and rely on the SOD's data group hashes (Doc 9303-10 §4.6.1).

use core::fmt;

use mrtd_iso7816::tlv::{Tag, encode_tlv};
use serde::{Deserialize, Serialize};

use crate::lenient::{Defect, Diag, ParseOptions, Parsed};
use crate::objects::{Object, lenient_root, set_once};
use crate::{DgNumber, EfId, LdsError};

const EF: EfId = EfId::Com;
const TAG_COM: Tag = Tag(0x60);
const TAG_LDS_VERSION: Tag = Tag(0x5F01);
const TAG_UNICODE_VERSION: Tag = Tag(0x5F36);
const TAG_LIST: Tag = Tag(0x5C);

/// LDS version `aa.bb` (Doc 9303-10 §4.6.1: "0107" for LDS 1.7, "0108" for
/// 1.8).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct LdsVersion {
    major: u8,
    minor: u8,
}

impl LdsVersion {
    /// LDS 1.7.
    pub const V1_7: LdsVersion = LdsVersion { major: 1, minor: 7 };
    /// LDS 1.8.
    pub const V1_8: LdsVersion = LdsVersion { major: 1, minor: 8 };

    /// A version whose parts are each below 100 (two digits in the file).
    #[must_use]
    pub const fn new(major: u8, minor: u8) -> Option<Self> {
        if major < 100 && minor < 100 {
            Some(Self { major, minor })
        } else {
            None
        }
    }

    /// Major version.
    #[must_use]
    pub const fn major(self) -> u8 {
        self.major
    }

    /// Minor version.
    #[must_use]
    pub const fn minor(self) -> u8 {
        self.minor
    }

    /// The four digits stored in the file.
    #[must_use]
    pub fn to_digits(self) -> String {
        format!("{:02}{:02}", self.major, self.minor)
    }

    /// Parses the four digits stored in the file.
    #[must_use]
    pub fn from_digits(digits: &[u8]) -> Option<Self> {
        match digits {
            [a, b, c, d] => Some(Self {
                major: two_digits(*a, *b)?,
                minor: two_digits(*c, *d)?,
            }),
            _ => None,
        }
    }
}

impl fmt::Display for LdsVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

impl TryFrom<String> for LdsVersion {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Self::from_digits(s.as_bytes()).ok_or_else(|| format!("LDS version {s:?} is not 4 digits"))
    }
}

impl From<LdsVersion> for String {
    fn from(v: LdsVersion) -> String {
        v.to_digits()
    }
}

/// Unicode version `aa.bb.cc` (Doc 9303-10 §4.6.1: "040000" = 4.0.0).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct UnicodeVersion {
    major: u8,
    minor: u8,
    release: u8,
}

impl UnicodeVersion {
    /// Unicode 4.0.0, what LDS 1.7 documents name.
    pub const V4_0_0: UnicodeVersion = UnicodeVersion {
        major: 4,
        minor: 0,
        release: 0,
    };

    /// A version whose parts are each below 100.
    #[must_use]
    pub const fn new(major: u8, minor: u8, release: u8) -> Option<Self> {
        if major < 100 && minor < 100 && release < 100 {
            Some(Self {
                major,
                minor,
                release,
            })
        } else {
            None
        }
    }

    /// Major version.
    #[must_use]
    pub const fn major(self) -> u8 {
        self.major
    }

    /// Minor version.
    #[must_use]
    pub const fn minor(self) -> u8 {
        self.minor
    }

    /// Release.
    #[must_use]
    pub const fn release(self) -> u8 {
        self.release
    }

    /// The six digits stored in the file.
    #[must_use]
    pub fn to_digits(self) -> String {
        format!("{:02}{:02}{:02}", self.major, self.minor, self.release)
    }

    /// Parses the six digits stored in the file.
    #[must_use]
    pub fn from_digits(digits: &[u8]) -> Option<Self> {
        match digits {
            [a, b, c, d, e, f] => Some(Self {
                major: two_digits(*a, *b)?,
                minor: two_digits(*c, *d)?,
                release: two_digits(*e, *f)?,
            }),
            _ => None,
        }
    }
}

impl fmt::Display for UnicodeVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.release)
    }
}

impl TryFrom<String> for UnicodeVersion {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Self::from_digits(s.as_bytes())
            .ok_or_else(|| format!("Unicode version {s:?} is not 6 digits"))
    }
}

impl From<UnicodeVersion> for String {
    fn from(v: UnicodeVersion) -> String {
        v.to_digits()
    }
}

fn two_digits(a: u8, b: u8) -> Option<u8> {
    (a.is_ascii_digit() && b.is_ascii_digit()).then(|| (a - b'0') * 10 + (b - b'0'))
}

/// EF.COM.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EfCom {
    /// LDS version.
    pub lds_version: LdsVersion,
    /// Unicode version.
    pub unicode_version: UnicodeVersion,
    /// The data groups the tag list names, in the order listed.
    pub data_groups: Vec<DgNumber>,
    /// Tag list entries that name no data group, in the order listed (kept
    /// so that nothing the chip says is lost).
    pub unknown_tags: Vec<u8>,
}

impl EfCom {
    /// Parses EF.COM.
    ///
    /// The three data objects may come in any order but each exactly once;
    /// anything else inside tag `60` is an error.
    ///
    /// # Errors
    /// [`LdsError`] with the offset of the defect.
    pub fn parse(bytes: &[u8]) -> Result<Self, LdsError> {
        Self::parse_with(bytes, ParseOptions::STRICT).map(|p| p.value)
    }

    /// Parses EF.COM; in lenient mode unknown data objects inside `60` and
    /// bytes after it are warnings.
    ///
    /// # Errors
    /// As [`EfCom::parse`] (every defect in strict mode).
    pub fn parse_with(bytes: &[u8], options: ParseOptions) -> Result<Parsed<Self>, LdsError> {
        let mut diag = Diag::new(EF, options);
        let root = lenient_root(&mut diag, bytes, TAG_COM)?;
        let (mut lds, mut unicode, mut list) = (None, None, None);
        for child in root.children(EF)? {
            match child.tag {
                TAG_LDS_VERSION => set_once(EF, &mut lds, child)?,
                TAG_UNICODE_VERSION => set_once(EF, &mut unicode, child)?,
                TAG_LIST => set_once(EF, &mut list, child)?,
                _ if !diag.strict() => {
                    diag.warn(child.offset, Defect::UnexpectedObject { tag: child.tag.0 })?
                }
                _ => return Err(root.unexpected(EF, &child)),
            }
        }
        let lds: Object<'_> = lds.ok_or_else(|| root.missing(EF, TAG_LDS_VERSION))?;
        let unicode: Object<'_> = unicode.ok_or_else(|| root.missing(EF, TAG_UNICODE_VERSION))?;
        let list: Object<'_> = list.ok_or_else(|| root.missing(EF, TAG_LIST))?;
        let lds_version =
            LdsVersion::from_digits(lds.value).ok_or_else(|| LdsError::InvalidField {
                ef: EF,
                offset: lds.value_offset,
                field: "LDS version",
                reason: "not four decimal digits".into(),
            })?;
        let unicode_version =
            UnicodeVersion::from_digits(unicode.value).ok_or_else(|| LdsError::InvalidField {
                ef: EF,
                offset: unicode.value_offset,
                field: "Unicode version",
                reason: "not six decimal digits".into(),
            })?;
        let mut data_groups = Vec::new();
        let mut unknown_tags = Vec::new();
        for tag in list.value {
            match DgNumber::from_tag(*tag) {
                Some(dg) => data_groups.push(dg),
                None => unknown_tags.push(*tag),
            }
        }
        Ok(diag.finish(Self {
            lds_version,
            unicode_version,
            data_groups,
            unknown_tags,
        }))
    }

    /// Encodes EF.COM: the version objects, then the tag list with the data
    /// groups followed by the unknown tags.
    #[must_use]
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut value = Vec::with_capacity(24 + self.data_groups.len() + self.unknown_tags.len());
        encode_tlv(
            TAG_LDS_VERSION,
            self.lds_version.to_digits().as_bytes(),
            &mut value,
        );
        encode_tlv(
            TAG_UNICODE_VERSION,
            self.unicode_version.to_digits().as_bytes(),
            &mut value,
        );
        let tags: Vec<u8> = self
            .data_groups
            .iter()
            .map(|dg| dg.tag())
            .chain(self.unknown_tags.iter().copied())
            .collect();
        encode_tlv(TAG_LIST, &tags, &mut value);
        let mut out = Vec::with_capacity(value.len() + 4);
        encode_tlv(TAG_COM, &value, &mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// EF.COM of Doc 9303-11 Appendix D.4 (the BAC worked example reads it):
    /// LDS 1.6, Unicode 4.0.0, DG1 and DG2.
    const APPENDIX_D: &str = "60145F0104303130365F36063034303030305C026175";

    #[test]
    fn doc_9303_11_appendix_d() {
        let bytes = hex::decode(APPENDIX_D).unwrap();
        let com = EfCom::parse(&bytes).unwrap();
        assert_eq!(com.lds_version, LdsVersion::new(1, 6).unwrap());
        assert_eq!(com.lds_version.to_string(), "1.6");
        assert_eq!(com.unicode_version, UnicodeVersion::V4_0_0);
        assert_eq!(
            com.data_groups,
            vec![DgNumber::new(1).unwrap(), DgNumber::new(2).unwrap()]
        );
        assert!(com.unknown_tags.is_empty());
        assert_eq!(com.to_bytes(), bytes);
    }

    #[test]
    fn errors_name_the_place() {
        // Missing tag list.
        let bytes = hex::decode("60105F0104303130375F3606303430303030").unwrap();
        assert_eq!(
            EfCom::parse(&bytes),
            Err(LdsError::MissingObject {
                ef: EF,
                offset: 0,
                parent: TAG_COM,
                tag: TAG_LIST
            })
        );
        // Version with a letter.
        let bytes = hex::decode("60145F01043031413F5F36063034303030305C026175").unwrap();
        assert!(matches!(
            EfCom::parse(&bytes),
            Err(LdsError::InvalidField {
                field: "LDS version",
                offset: 5,
                ..
            })
        ));
        // Repeated tag list.
        let bytes = hex::decode("60175F0104303130375F36063034303030305C0261755C0161").unwrap();
        assert_eq!(
            EfCom::parse(&bytes),
            Err(LdsError::DuplicateObject {
                ef: EF,
                offset: 0x16,
                tag: TAG_LIST
            })
        );
        // An unknown object inside 60.
        let bytes = hex::decode("60175F0104303130375F36063034303030305C02617553014A").unwrap();
        assert!(matches!(
            EfCom::parse(&bytes),
            Err(LdsError::UnexpectedObject {
                tag: Tag(0x53),
                offset: 0x16,
                ..
            })
        ));
        // Wrong outer tag.
        assert!(matches!(
            EfCom::parse(&[0x61, 0x00]),
            Err(LdsError::Tlv { ef: EF, .. })
        ));
    }

    #[test]
    fn keeps_unknown_tags() {
        let com = EfCom {
            lds_version: LdsVersion::V1_8,
            unicode_version: UnicodeVersion::new(6, 1, 0).unwrap(),
            data_groups: vec![DgNumber::new(1).unwrap(), DgNumber::new(15).unwrap()],
            unknown_tags: vec![0x77],
        };
        let bytes = com.to_bytes();
        assert_eq!(EfCom::parse(&bytes).unwrap(), com);
        let json = serde_json::to_string(&com).unwrap();
        assert!(json.contains("\"0108\""));
        assert_eq!(serde_json::from_str::<EfCom>(&json).unwrap(), com);
    }

    fn com() -> impl Strategy<Value = EfCom> {
        (
            0u8..100,
            0u8..100,
            (0u8..100, 0u8..100, 0u8..100),
            prop::collection::vec(1u8..=16, 0..20),
            prop::collection::vec(
                any::<u8>().prop_filter("not a DG tag", |t| DgNumber::from_tag(*t).is_none()),
                0..4,
            ),
        )
            .prop_map(|(a, b, (c, d, e), dgs, unknown_tags)| EfCom {
                lds_version: LdsVersion::new(a, b).unwrap(),
                unicode_version: UnicodeVersion::new(c, d, e).unwrap(),
                data_groups: dgs.into_iter().filter_map(DgNumber::new).collect(),
                unknown_tags,
            })
    }

    proptest! {
        #[test]
        fn round_trip(com in com()) {
            let bytes = com.to_bytes();
            let back = EfCom::parse(&bytes).unwrap();
            prop_assert_eq!(back.to_bytes(), bytes);
            prop_assert_eq!(back, com);
        }

        #[test]
        fn never_panics(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
            let _ = EfCom::parse(&bytes);
        }

        #[test]
        fn never_panics_on_mutations(pos in 0usize..22, byte in any::<u8>(), cut in 0usize..23) {
            let mut bytes = hex::decode(APPENDIX_D).unwrap();
            bytes[pos] = byte;
            let _ = EfCom::parse(&bytes);
            let _ = EfCom::parse(&bytes[..cut]);
        }
    }
}
