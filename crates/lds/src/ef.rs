//! The elementary files of an LDS1 eMRTD and their identifiers
//! (Doc 9303-10 §3.x and Table 38: file identifiers, short EF identifiers
//! and the tag that opens each file).

use core::fmt;
use core::str::FromStr;

use serde::{Deserialize, Serialize};

/// Data group number, 1..=16.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct DgNumber(u8);

impl DgNumber {
    /// Every data group, DG1 to DG16.
    pub const ALL: [DgNumber; 16] = {
        let mut all = [DgNumber(1); 16];
        let mut i = 0;
        while i < 16 {
            all[i] = DgNumber(i as u8 + 1);
            i += 1;
        }
        all
    };

    /// `DgNumber(n)` for `n` in 1..=16.
    #[must_use]
    pub const fn new(n: u8) -> Option<Self> {
        if n >= 1 && n <= 16 {
            Some(Self(n))
        } else {
            None
        }
    }

    /// The number, 1..=16.
    #[must_use]
    pub const fn get(self) -> u8 {
        self.0
    }

    /// The tag that opens the data group (Doc 9303-10 Table 38), which is
    /// also the tag EF.COM lists it by.
    #[must_use]
    pub const fn tag(self) -> u8 {
        DG_TAGS[self.0 as usize - 1]
    }

    /// The data group whose opening tag is `tag`.
    #[must_use]
    pub fn from_tag(tag: u8) -> Option<Self> {
        DG_TAGS
            .iter()
            .position(|t| *t == tag)
            .map(|i| Self(i as u8 + 1))
    }
}

impl TryFrom<u8> for DgNumber {
    type Error = String;
    fn try_from(n: u8) -> Result<Self, String> {
        Self::new(n).ok_or_else(|| format!("data group number {n} outside 1..=16"))
    }
}

impl From<DgNumber> for u8 {
    fn from(dg: DgNumber) -> u8 {
        dg.0
    }
}

impl fmt::Display for DgNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DG{}", self.0)
    }
}

/// Doc 9303-10 Table 38: tags of DG1..DG16.
const DG_TAGS: [u8; 16] = [
    0x61, 0x75, 0x63, 0x76, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6A, 0x6B, 0x6C, 0x6D, 0x6E, 0x6F, 0x70,
];

/// Where a file lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Location {
    /// Directly under the master file (readable before access control).
    MasterFile,
    /// Inside the eMRTD application (AID `A0000002471001`).
    Application,
}

/// An elementary file of the eMRTD.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum EfId {
    /// EF.ATR/INFO (`2F01`, MF): answer-to-reset information, incl. the
    /// extended-length capabilities (ISO/IEC 7816-4 §12.7.1).
    AtrInfo,
    /// EF.CardAccess (`011C`, MF): SecurityInfos for PACE.
    CardAccess,
    /// EF.CardSecurity (`011D`, MF): signed SecurityInfos for PACE-CAM.
    CardSecurity,
    /// EF.COM (`011E`): LDS version and list of data groups.
    Com,
    /// EF.SOD (`011D`): the Document Security Object.
    Sod,
    /// A data group (`0101`..`0110`).
    Dg(DgNumber),
}

impl EfId {
    /// The file identifier.
    #[must_use]
    pub const fn fid(self) -> u16 {
        match self {
            Self::AtrInfo => 0x2F01,
            Self::CardAccess => 0x011C,
            Self::CardSecurity => 0x011D,
            Self::Com => 0x011E,
            Self::Sod => 0x011D,
            Self::Dg(dg) => 0x0100 + dg.0 as u16,
        }
    }

    /// The short EF identifier, where Doc 9303 assigns one.
    #[must_use]
    pub const fn sfi(self) -> Option<u8> {
        match self {
            Self::AtrInfo => Some(0x01),
            Self::CardAccess => Some(0x1C),
            Self::CardSecurity => Some(0x1D),
            Self::Com => Some(0x1E),
            Self::Sod => Some(0x1D),
            Self::Dg(dg) => Some(dg.0),
        }
    }

    /// Where the file lives.
    #[must_use]
    pub const fn location(self) -> Location {
        match self {
            Self::AtrInfo | Self::CardAccess | Self::CardSecurity => Location::MasterFile,
            Self::Com | Self::Sod | Self::Dg(_) => Location::Application,
        }
    }

    /// The name used in dump folders, e.g. `EF.DG2` (`EF.DG2.bin` on disk).
    #[must_use]
    pub fn name(self) -> String {
        match self {
            Self::AtrInfo => "EF.ATR-INFO".into(),
            Self::CardAccess => "EF.CardAccess".into(),
            Self::CardSecurity => "EF.CardSecurity".into(),
            Self::Com => "EF.COM".into(),
            Self::Sod => "EF.SOD".into(),
            Self::Dg(dg) => format!("EF.DG{}", dg.0),
        }
    }

    /// The file name in a dump folder.
    #[must_use]
    pub fn dump_file_name(self) -> String {
        format!("{}.bin", self.name())
    }

    /// Every file of the application, in the order a reader fetches them:
    /// EF.COM, EF.SOD, then DG1..DG16.
    pub fn application_files() -> impl Iterator<Item = EfId> {
        [EfId::Com, EfId::Sod]
            .into_iter()
            .chain(DgNumber::ALL.into_iter().map(EfId::Dg))
    }
}

impl fmt::Display for EfId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

impl From<EfId> for String {
    fn from(ef: EfId) -> String {
        ef.name()
    }
}

/// An unrecognised file name.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown elementary file name {0:?}")]
pub struct UnknownEf(pub String);

impl FromStr for EfId {
    type Err = UnknownEf;

    /// Accepts the dump names (`EF.DG2`) and short forms (`DG2`, `COM`,
    /// `SOD`, `CardAccess`), case-insensitively.
    fn from_str(s: &str) -> Result<Self, UnknownEf> {
        let lower = s.to_ascii_lowercase();
        let bare = lower
            .strip_prefix("ef.")
            .or_else(|| lower.strip_prefix("ef_"))
            .unwrap_or(&lower);
        let ef = match bare {
            "atr-info" | "atrinfo" | "atr_info" => Self::AtrInfo,
            "cardaccess" => Self::CardAccess,
            "cardsecurity" => Self::CardSecurity,
            "com" => Self::Com,
            "sod" => Self::Sod,
            _ => bare
                .strip_prefix("dg")
                .and_then(|n| n.parse::<u8>().ok())
                .and_then(DgNumber::new)
                .map(Self::Dg)
                .ok_or_else(|| UnknownEf(s.to_string()))?,
        };
        Ok(ef)
    }
}

impl TryFrom<String> for EfId {
    type Error = UnknownEf;
    fn try_from(s: String) -> Result<Self, UnknownEf> {
        s.parse()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_follow_doc_9303_10() {
        let dg2 = EfId::Dg(DgNumber::new(2).unwrap());
        assert_eq!(dg2.fid(), 0x0102);
        assert_eq!(dg2.sfi(), Some(0x02));
        assert_eq!(DgNumber::new(2).unwrap().tag(), 0x75);
        assert_eq!(DgNumber::from_tag(0x6F), DgNumber::new(15));
        assert_eq!(EfId::Sod.fid(), 0x011D);
        assert_eq!(EfId::Com.sfi(), Some(0x1E));
        assert_eq!(dg2.dump_file_name(), "EF.DG2.bin");
        assert_eq!(EfId::application_files().count(), 18);
    }

    #[test]
    fn names_parse_back() {
        for ef in
            EfId::application_files().chain([EfId::CardAccess, EfId::CardSecurity, EfId::AtrInfo])
        {
            assert_eq!(ef.name().parse::<EfId>().unwrap(), ef);
        }
        assert_eq!(
            "dg14".parse::<EfId>().unwrap(),
            EfId::Dg(DgNumber::new(14).unwrap())
        );
        assert!("DG17".parse::<EfId>().is_err());
        assert!("DG0".parse::<EfId>().is_err());
    }
}
