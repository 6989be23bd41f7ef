//! DG12, additional document details (Doc 9303-10 §4.7.12):
//!
//! ```text
//! 6C L
//!    5C    tag list
//!    5F19  issuing authority                  5F26  date of issue YYYYMMDD
//!    A0 { 02 n, 5F1A name of other person × n }
//!    5F1B  endorsements and observations      5F1C  tax/exit requirements
//!    5F1D  image of the front of the document 5F1E  image of the rear
//!    5F55  personalisation date and time YYYYMMDDhhmmss
//!    5F56  personalisation system serial number
//! ```

use core::fmt;

use mrtd_iso7816::tlv::{Tag, encode_tlv};
use serde::{Deserialize, Serialize};

use crate::fields::{
    LdsDate, Name, Out, check_tag_list, counted_names, date, tag_list, text, unexpected,
};
use crate::lenient::{Diag, ParseOptions, Parsed};
use crate::objects::{Object, lenient_root, set_once};
use crate::{DgNumber, EfId, LdsError};

const EF: EfId = EfId::Dg(match DgNumber::new(12) {
    Some(dg) => dg,
    None => unreachable!(),
});
const TAG_DG12: Tag = Tag(0x6C);

/// DG12.
#[derive(Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Dg12 {
    /// `5C` as read (`None`: absent); see [`Dg12::update_tag_list`].
    pub tag_list: Option<Vec<u32>>,
    /// `5F19` issuing authority.
    pub issuing_authority: Option<String>,
    /// `5F26` date of issue.
    pub date_of_issue: Option<LdsDate>,
    /// `A0`/`5F1A` names of other persons.
    pub other_persons: Option<Vec<Name>>,
    /// `5F1B` endorsements and observations.
    pub endorsements: Option<String>,
    /// `5F1C` tax/exit requirements.
    pub tax_exit_requirements: Option<String>,
    /// `5F1D` image of the front of the document.
    pub front_image: Option<Vec<u8>>,
    /// `5F1E` image of the rear of the document.
    pub rear_image: Option<Vec<u8>>,
    /// `5F55` date and time of personalisation.
    pub personalisation_date_time: Option<LdsDate>,
    /// `5F56` serial number of the personalisation system.
    pub personalisation_system_serial: Option<String>,
    /// Other data objects, kept as `(tag, value)`.
    pub other: Vec<(u32, Vec<u8>)>,
}

impl fmt::Debug for Dg12 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Dg12")
            .field(
                "present",
                &self
                    .present_tags()
                    .iter()
                    .map(|t| format!("{t:X}"))
                    .collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

const TAGS: [u32; 11] = [
    0x5C, 0x5F19, 0x5F26, 0xA0, 0x5F1B, 0x5F1C, 0x5F1D, 0x5F1E, 0x5F55, 0x5F56, 0,
];

impl Dg12 {
    /// Parses DG12 strictly.
    ///
    /// # Errors
    /// As [`Dg12::parse_with`] in strict mode.
    pub fn parse(bytes: &[u8]) -> Result<Self, LdsError> {
        Self::parse_with(bytes, ParseOptions::STRICT).map(|p| p.value)
    }

    /// Parses DG12, with the leniency of [`Dg11::parse_with`](crate::Dg11::parse_with).
    ///
    /// # Errors
    /// [`LdsError`] with the offset of the defect.
    pub fn parse_with(bytes: &[u8], options: ParseOptions) -> Result<Parsed<Self>, LdsError> {
        let mut diag = Diag::new(EF, options);
        let root = lenient_root(&mut diag, bytes, TAG_DG12)?;
        let mut slots: [Option<Object<'_>>; 11] = Default::default();
        let mut dg = Self::default();
        let mut present = Vec::new();
        for child in root.children(EF)? {
            let Some(i) = TAGS.iter().position(|t| *t == child.tag.0 && *t != 0) else {
                unexpected(&mut diag, &root, &child)?;
                dg.other.push((child.tag.0, child.value.to_vec()));
                present.push(child.tag.0);
                continue;
            };
            if i != 0 {
                present.push(child.tag.0);
            }
            set_once(EF, &mut slots[i], child)?;
        }
        let d = &mut diag;
        let list = match &slots[0] {
            Some(o) => Some((o, tag_list(d, o)?)),
            None => None,
        };
        for (i, slot) in slots.iter().enumerate().skip(1) {
            let Some(o) = slot else { continue };
            match TAGS[i] {
                0x5F19 => dg.issuing_authority = Some(text(d, o, "issuing authority")?),
                0x5F26 => dg.date_of_issue = Some(date(d, o, "date of issue", 8)?),
                0xA0 => dg.other_persons = Some(counted_names(d, o, Tag(0x5F1A), "other persons")?),
                0x5F1B => dg.endorsements = Some(text(d, o, "endorsements and observations")?),
                0x5F1C => dg.tax_exit_requirements = Some(text(d, o, "tax/exit requirements")?),
                0x5F1D => dg.front_image = Some(o.value.to_vec()),
                0x5F1E => dg.rear_image = Some(o.value.to_vec()),
                0x5F55 => {
                    dg.personalisation_date_time =
                        Some(date(d, o, "personalisation date and time", 14)?);
                }
                0x5F56 => {
                    dg.personalisation_system_serial =
                        Some(text(d, o, "personalisation system serial number")?);
                }
                _ => {}
            }
        }
        check_tag_list(
            d,
            list.as_ref().map(|(o, l)| (*o, l.as_slice())),
            &present,
            &[(0xA0, 0x5F1A)],
            root.value_offset,
        )?;
        dg.tag_list = list.map(|(_, l)| l);
        Ok(diag.finish(dg))
    }

    /// The tags of the fields present, in encoding order.
    #[must_use]
    pub fn present_tags(&self) -> Vec<u32> {
        let mut tags = Vec::new();
        let mut add = |present: bool, tag: u32| {
            if present {
                tags.push(tag);
            }
        };
        add(self.issuing_authority.is_some(), 0x5F19);
        add(self.date_of_issue.is_some(), 0x5F26);
        add(self.other_persons.is_some(), 0xA0);
        add(self.endorsements.is_some(), 0x5F1B);
        add(self.tax_exit_requirements.is_some(), 0x5F1C);
        add(self.front_image.is_some(), 0x5F1D);
        add(self.rear_image.is_some(), 0x5F1E);
        add(self.personalisation_date_time.is_some(), 0x5F55);
        add(self.personalisation_system_serial.is_some(), 0x5F56);
        tags.extend(self.other.iter().map(|(t, _)| *t));
        tags
    }

    /// Sets the tag list to the fields present.
    pub fn update_tag_list(&mut self) {
        self.tag_list = Some(self.present_tags());
    }

    /// Encodes DG12.
    ///
    /// # Errors
    /// [`LdsError::Encode`] for more than 255 other persons or a reserved
    /// `other` tag.
    pub fn to_bytes(&self) -> Result<Vec<u8>, LdsError> {
        let enc = |reason: &str| LdsError::Encode {
            ef: EF,
            field: "DG12",
            reason: reason.to_owned(),
        };
        let mut o = Out(Vec::new());
        o.tag_list(self.tag_list.as_ref());
        o.opt_text(0x5F19, self.issuing_authority.as_ref());
        o.opt_date(0x5F26, self.date_of_issue.as_ref());
        o.counted(0xA0, 0x5F1A, self.other_persons.as_ref())
            .map_err(enc)?;
        o.opt_text(0x5F1B, self.endorsements.as_ref());
        o.opt_text(0x5F1C, self.tax_exit_requirements.as_ref());
        o.opt_bytes(0x5F1D, self.front_image.as_ref());
        o.opt_bytes(0x5F1E, self.rear_image.as_ref());
        o.opt_date(0x5F55, self.personalisation_date_time.as_ref());
        o.opt_text(0x5F56, self.personalisation_system_serial.as_ref());
        for (tag, value) in &self.other {
            if TAGS.contains(tag) || !crate::dg2::valid_tag(*tag) {
                return Err(enc("an `other` tag is reserved or malformed"));
            }
            encode_tlv(Tag(*tag), value, &mut o.0);
        }
        Ok(mrtd_iso7816::tlv::tlv(TAG_DG12, &o.0))
    }
}
