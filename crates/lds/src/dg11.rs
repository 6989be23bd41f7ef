//! DG11, additional personal details (Doc 9303-10 §4.7.11):
//!
//! ```text
//! 6B L
//!    5C    tag list
//!    5F0E  full name (primary<<secondary)      A0 { 02 n, 5F0F other name × n }
//!    5F10  personal number                     5F2B  full date of birth YYYYMMDD
//!    5F11  place of birth                      5F42  permanent address
//!    5F12  telephone                           5F13  profession
//!    5F14  title                               5F15  personal summary
//!    5F16  proof of citizenship (image)        5F17  other valid TD numbers
//!    5F18  custody information
//! ```
//!
//! Every field is optional. Objects are encoded in the order above, the
//! order Doc 9303-10 lists them in; unknown objects are kept at the end.

use core::fmt;

use mrtd_iso7816::tlv::{Tag, encode_tlv};
use serde::{Deserialize, Serialize};

use crate::fields::{
    LdsDate, Name, Out, check_tag_list, counted_names, date, tag_list, text, unexpected,
};
use crate::lenient::{Diag, ParseOptions, Parsed};
use crate::objects::{Object, lenient_root, set_once};
use crate::{DgNumber, EfId, LdsError};

const EF: EfId = EfId::Dg(match DgNumber::new(11) {
    Some(dg) => dg,
    None => unreachable!(),
});
const TAG_DG11: Tag = Tag(0x6B);

/// DG11. Every field is personal data: `Debug` lists which are present.
#[derive(Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Dg11 {
    /// `5C` as read (`None`: absent). Use [`Dg11::update_tag_list`] after
    /// filling the fields of a new DG11.
    pub tag_list: Option<Vec<u32>>,
    /// `5F0E` full name.
    pub full_name: Option<Name>,
    /// `A0`/`5F0F` other names.
    pub other_names: Option<Vec<Name>>,
    /// `5F10` personal number.
    pub personal_number: Option<String>,
    /// `5F2B` full date of birth.
    pub full_date_of_birth: Option<LdsDate>,
    /// `5F11` place of birth (parts separated by `<`).
    pub place_of_birth: Option<String>,
    /// `5F42` permanent address (parts separated by `<`).
    pub permanent_address: Option<String>,
    /// `5F12` telephone.
    pub telephone: Option<String>,
    /// `5F13` profession.
    pub profession: Option<String>,
    /// `5F14` title.
    pub title: Option<String>,
    /// `5F15` personal summary.
    pub personal_summary: Option<String>,
    /// `5F16` proof of citizenship (an ISO/IEC 10918 image).
    pub proof_of_citizenship: Option<Vec<u8>>,
    /// `5F17` other valid travel document numbers (separated by `<`).
    pub other_valid_td_numbers: Option<String>,
    /// `5F18` custody information.
    pub custody_information: Option<String>,
    /// Other data objects, kept as `(tag, value)`.
    pub other: Vec<(u32, Vec<u8>)>,
}

impl fmt::Debug for Dg11 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Dg11")
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

impl Dg11 {
    /// Parses DG11 strictly.
    ///
    /// # Errors
    /// As [`Dg11::parse_with`] in strict mode.
    pub fn parse(bytes: &[u8]) -> Result<Self, LdsError> {
        Self::parse_with(bytes, ParseOptions::STRICT).map(|p| p.value)
    }

    /// Parses DG11. Lenient mode warns about BCD dates, text that is not
    /// UTF-8, a tag list that disagrees with the objects, a wrong count of
    /// other names, unknown objects (kept in [`Dg11::other`]) and bytes
    /// after the `6B` object.
    ///
    /// # Errors
    /// [`LdsError`] with the offset of the defect.
    pub fn parse_with(bytes: &[u8], options: ParseOptions) -> Result<Parsed<Self>, LdsError> {
        let mut diag = Diag::new(EF, options);
        let root = lenient_root(&mut diag, bytes, TAG_DG11)?;
        let mut slots: [Option<Object<'_>>; 14] = Default::default();
        let mut dg = Self::default();
        let mut present = Vec::new();
        for child in root.children(EF)? {
            let Some(i) = TAGS.iter().position(|t| *t == child.tag.0) else {
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
                0x5F0E => dg.full_name = Some(Name(text(d, o, "full name")?)),
                0xA0 => dg.other_names = Some(counted_names(d, o, Tag(0x5F0F), "other names")?),
                0x5F10 => dg.personal_number = Some(text(d, o, "personal number")?),
                0x5F2B => dg.full_date_of_birth = Some(date(d, o, "full date of birth", 8)?),
                0x5F11 => dg.place_of_birth = Some(text(d, o, "place of birth")?),
                0x5F42 => dg.permanent_address = Some(text(d, o, "permanent address")?),
                0x5F12 => dg.telephone = Some(text(d, o, "telephone")?),
                0x5F13 => dg.profession = Some(text(d, o, "profession")?),
                0x5F14 => dg.title = Some(text(d, o, "title")?),
                0x5F15 => dg.personal_summary = Some(text(d, o, "personal summary")?),
                0x5F16 => dg.proof_of_citizenship = Some(o.value.to_vec()),
                0x5F17 => dg.other_valid_td_numbers = Some(text(d, o, "other valid TD numbers")?),
                0x5F18 => dg.custody_information = Some(text(d, o, "custody information")?),
                _ => {}
            }
        }
        // Issuers list the other-names template as A0 or by its 5F0F.
        check_tag_list(
            d,
            list.as_ref().map(|(o, l)| (*o, l.as_slice())),
            &present,
            &[(0xA0, 0x5F0F)],
            root.value_offset,
        )?;
        dg.tag_list = list.map(|(_, l)| l);
        Ok(diag.finish(dg))
    }

    /// The tags of the fields present, in encoding order (what
    /// [`Dg11::update_tag_list`] writes).
    #[must_use]
    pub fn present_tags(&self) -> Vec<u32> {
        let mut tags = Vec::new();
        let mut add = |present: bool, tag: u32| {
            if present {
                tags.push(tag);
            }
        };
        add(self.full_name.is_some(), 0x5F0E);
        add(self.other_names.is_some(), 0xA0);
        add(self.personal_number.is_some(), 0x5F10);
        add(self.full_date_of_birth.is_some(), 0x5F2B);
        add(self.place_of_birth.is_some(), 0x5F11);
        add(self.permanent_address.is_some(), 0x5F42);
        add(self.telephone.is_some(), 0x5F12);
        add(self.profession.is_some(), 0x5F13);
        add(self.title.is_some(), 0x5F14);
        add(self.personal_summary.is_some(), 0x5F15);
        add(self.proof_of_citizenship.is_some(), 0x5F16);
        add(self.other_valid_td_numbers.is_some(), 0x5F17);
        add(self.custody_information.is_some(), 0x5F18);
        tags.extend(self.other.iter().map(|(t, _)| *t));
        tags
    }

    /// Sets the tag list to the fields present.
    pub fn update_tag_list(&mut self) {
        self.tag_list = Some(self.present_tags());
    }

    /// Encodes DG11.
    ///
    /// # Errors
    /// [`LdsError::Encode`] for more than 255 other names or an `other`
    /// tag that is one of the fields above.
    pub fn to_bytes(&self) -> Result<Vec<u8>, LdsError> {
        let enc = |reason: &str| LdsError::Encode {
            ef: EF,
            field: "DG11",
            reason: reason.to_owned(),
        };
        let mut o = Out(Vec::new());
        o.tag_list(self.tag_list.as_ref());
        o.opt_text(0x5F0E, self.full_name.as_ref().map(|n| &n.0));
        o.counted(0xA0, 0x5F0F, self.other_names.as_ref())
            .map_err(enc)?;
        o.opt_text(0x5F10, self.personal_number.as_ref());
        o.opt_date(0x5F2B, self.full_date_of_birth.as_ref());
        o.opt_text(0x5F11, self.place_of_birth.as_ref());
        o.opt_text(0x5F42, self.permanent_address.as_ref());
        o.opt_text(0x5F12, self.telephone.as_ref());
        o.opt_text(0x5F13, self.profession.as_ref());
        o.opt_text(0x5F14, self.title.as_ref());
        o.opt_text(0x5F15, self.personal_summary.as_ref());
        o.opt_bytes(0x5F16, self.proof_of_citizenship.as_ref());
        o.opt_text(0x5F17, self.other_valid_td_numbers.as_ref());
        o.opt_text(0x5F18, self.custody_information.as_ref());
        for (tag, value) in &self.other {
            if TAGS.contains(tag) || !crate::dg2::valid_tag(*tag) {
                return Err(enc("an `other` tag is reserved or malformed"));
            }
            encode_tlv(Tag(*tag), value, &mut o.0);
        }
        Ok(mrtd_iso7816::tlv::tlv(TAG_DG11, &o.0))
    }
}

/// Slot order: the tag list, then the fields in encoding order.
const TAGS: [u32; 14] = [
    0x5C, 0x5F0E, 0xA0, 0x5F10, 0x5F2B, 0x5F11, 0x5F42, 0x5F12, 0x5F13, 0x5F14, 0x5F15, 0x5F16,
    0x5F17, 0x5F18,
];
