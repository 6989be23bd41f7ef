//! DG16, persons to notify (Doc 9303-10 §4.7.16):
//!
//! ```text
//! 70 L
//!    02 01 n          number of templates
//!    A1 L … An L      one template per person
//!       5F50  date data recorded YYYYMMDD
//!       5F51  name of the person (primary<<secondary)
//!       5F52  telephone
//!       5F53  address (parts separated by <)
//! ```

use mrtd_iso7816::tlv::{Tag, encode_tlv};
use serde::{Deserialize, Serialize};

use crate::fields::{LdsDate, Name, Out, date, text, unexpected};
use crate::lenient::{Defect, Diag, ParseOptions, Parsed};
use crate::objects::{Object, lenient_root, set_once};
use crate::{DgNumber, EfId, LdsError};

const EF: EfId = EfId::Dg(match DgNumber::new(16) {
    Some(dg) => dg,
    None => unreachable!(),
});
const TAG_DG16: Tag = Tag(0x70);
/// Templates are `A1`, `A2`, …: single-byte context tags go up to `BE`.
const MAX_PERSONS: usize = 30;

/// One person to notify.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PersonToNotify {
    /// `5F50` date the data was recorded.
    pub date_recorded: Option<LdsDate>,
    /// `5F51` name.
    pub name: Option<Name>,
    /// `5F52` telephone.
    pub telephone: Option<String>,
    /// `5F53` address.
    pub address: Option<String>,
}

/// DG16.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Dg16 {
    /// The persons, in template order.
    pub persons: Vec<PersonToNotify>,
}

impl Dg16 {
    /// Parses DG16 strictly.
    ///
    /// # Errors
    /// As [`Dg16::parse_with`] in strict mode.
    pub fn parse(bytes: &[u8]) -> Result<Self, LdsError> {
        Self::parse_with(bytes, ParseOptions::STRICT).map(|p| p.value)
    }

    /// Parses DG16; a count that disagrees with the templates, BCD dates
    /// and unknown objects are defects.
    ///
    /// # Errors
    /// [`LdsError`] with the offset of the defect.
    pub fn parse_with(bytes: &[u8], options: ParseOptions) -> Result<Parsed<Self>, LdsError> {
        let mut diag = Diag::new(EF, options);
        let root = lenient_root(&mut diag, bytes, TAG_DG16)?;
        let mut count = None;
        let mut persons = Vec::new();
        for child in root.children(EF)? {
            let expected = 0xA1 + persons.len() as u32;
            match child.tag.0 {
                0x02 if count.is_none() && persons.is_empty() => count = Some(child),
                t if t == expected && persons.len() < MAX_PERSONS => {
                    persons.push(parse_person(&mut diag, &child)?);
                }
                _ => unexpected(&mut diag, &root, &child)?,
            }
        }
        let count = count.ok_or_else(|| root.missing(EF, Tag(0x02)))?;
        let stated = match count.value {
            [n] => usize::from(*n),
            _ => {
                return Err(LdsError::InvalidField {
                    ef: EF,
                    offset: count.value_offset,
                    field: "number of templates",
                    reason: "not one byte".into(),
                });
            }
        };
        if stated != persons.len() {
            diag.warn(
                count.value_offset,
                Defect::CountMismatch {
                    field: "number of templates",
                    stated,
                    found: persons.len(),
                },
            )?;
        }
        Ok(diag.finish(Self { persons }))
    }

    /// Encodes DG16.
    ///
    /// # Errors
    /// [`LdsError::Encode`] for more than 30 persons.
    pub fn to_bytes(&self) -> Result<Vec<u8>, LdsError> {
        if self.persons.len() > MAX_PERSONS {
            return Err(LdsError::Encode {
                ef: EF,
                field: "persons to notify",
                reason: format!("{} persons; templates A1..BE hold 30", self.persons.len()),
            });
        }
        let mut value = Vec::new();
        encode_tlv(Tag(0x02), &[self.persons.len() as u8], &mut value);
        for (i, p) in self.persons.iter().enumerate() {
            let mut o = Out(Vec::new());
            o.opt_date(0x5F50, p.date_recorded.as_ref());
            o.opt_text(0x5F51, p.name.as_ref().map(|n| &n.0));
            o.opt_text(0x5F52, p.telephone.as_ref());
            o.opt_text(0x5F53, p.address.as_ref());
            encode_tlv(Tag(0xA1 + i as u32), &o.0, &mut value);
        }
        Ok(mrtd_iso7816::tlv::tlv(TAG_DG16, &value))
    }
}

fn parse_person(diag: &mut Diag, t: &Object<'_>) -> Result<PersonToNotify, LdsError> {
    let mut slots: [Option<Object<'_>>; 4] = Default::default();
    for child in t.children(EF)? {
        match child.tag.0 {
            0x5F50..=0x5F53 => set_once(EF, &mut slots[(child.tag.0 - 0x5F50) as usize], child)?,
            _ => unexpected(diag, t, &child)?,
        }
    }
    let [d, n, tel, addr] = slots;
    Ok(PersonToNotify {
        date_recorded: d
            .map(|o| date(diag, &o, "date data recorded", 8))
            .transpose()?,
        name: n.map(|o| text(diag, &o, "name").map(Name)).transpose()?,
        telephone: tel.map(|o| text(diag, &o, "telephone")).transpose()?,
        address: addr.map(|o| text(diag, &o, "address")).transpose()?,
    })
}
