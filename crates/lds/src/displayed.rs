//! DG5 (displayed portrait), DG6 (reserved, same structure) and DG7
//! (displayed signature or usual mark), Doc 9303-10 §4.7.5–§4.7.7:
//!
//! ```text
//! 65 L                    (DG5; 66 for DG6, 67 for DG7)
//!    02 01 n              number of images
//!    5F40 L image         (5F43 in DG7), n times — JPEG or JPEG 2000
//! ```

use core::fmt;

use mrtd_iso7816::tlv::{Tag, encode_tlv};
use serde::{Deserialize, Serialize};

use crate::fields::unexpected;
use crate::image_format::ImageFormat;
use crate::lenient::{Defect, Diag, ParseOptions, Parsed};
use crate::objects::lenient_root;
use crate::{DgNumber, EfId, LdsError};

/// The displayed images of DG5, DG6 or DG7.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DisplayedImages {
    /// The data group (5, 6 or 7).
    pub dg: DgNumber,
    /// The encoded images, in file order.
    pub images: Vec<Vec<u8>>,
}

/// Images are biometric data: the debug view shows sizes and formats.
impl fmt::Debug for DisplayedImages {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let images: Vec<String> = self
            .images
            .iter()
            .map(|i| format!("{} ({} bytes)", ImageFormat::detect(i), i.len()))
            .collect();
        f.debug_struct("DisplayedImages")
            .field("dg", &self.dg)
            .field("images", &images)
            .finish()
    }
}

fn image_tag(dg: DgNumber) -> Option<Tag> {
    match dg.get() {
        5 | 6 => Some(Tag(0x5F40)),
        7 => Some(Tag(0x5F43)),
        _ => None,
    }
}

impl DisplayedImages {
    /// Parses DG5, DG6 or DG7 strictly.
    ///
    /// # Errors
    /// As [`DisplayedImages::parse_with`] in strict mode.
    pub fn parse(dg: DgNumber, bytes: &[u8]) -> Result<Self, LdsError> {
        Self::parse_with(dg, bytes, ParseOptions::STRICT).map(|p| p.value)
    }

    /// Parses DG5, DG6 or DG7; a count that disagrees with the images and
    /// unknown objects are defects.
    ///
    /// # Errors
    /// [`LdsError`] with the offset of the defect, also for a `dg` other
    /// than 5, 6 or 7.
    pub fn parse_with(
        dg: DgNumber,
        bytes: &[u8],
        options: ParseOptions,
    ) -> Result<Parsed<Self>, LdsError> {
        let ef = EfId::Dg(dg);
        let item = image_tag(dg).ok_or_else(|| LdsError::InvalidField {
            ef,
            offset: 0,
            field: "data group",
            reason: "displayed images are DG5, DG6 and DG7".into(),
        })?;
        let mut diag = Diag::new(ef, options);
        let root = lenient_root(&mut diag, bytes, Tag(u32::from(dg.tag())))?;
        let mut count = None;
        let mut images = Vec::new();
        for child in root.children(ef)? {
            match child.tag {
                Tag(0x02) if count.is_none() && images.is_empty() => count = Some(child),
                t if t == item => images.push(child.value.to_vec()),
                _ => unexpected(&mut diag, &root, &child)?,
            }
        }
        let count = count.ok_or_else(|| root.missing(ef, Tag(0x02)))?;
        let stated = match count.value {
            [n] => usize::from(*n),
            _ => {
                return Err(LdsError::InvalidField {
                    ef,
                    offset: count.value_offset,
                    field: "number of images",
                    reason: "not one byte".into(),
                });
            }
        };
        if stated != images.len() {
            diag.warn(
                count.value_offset,
                Defect::CountMismatch {
                    field: "number of images",
                    stated,
                    found: images.len(),
                },
            )?;
        }
        Ok(diag.finish(Self { dg, images }))
    }

    /// Encodes the data group.
    ///
    /// # Errors
    /// [`LdsError::Encode`] for more than 255 images or a `dg` other than
    /// 5, 6 or 7.
    pub fn to_bytes(&self) -> Result<Vec<u8>, LdsError> {
        let ef = EfId::Dg(self.dg);
        let item = image_tag(self.dg).ok_or_else(|| LdsError::Encode {
            ef,
            field: "data group",
            reason: "displayed images are DG5, DG6 and DG7".into(),
        })?;
        let n = u8::try_from(self.images.len()).map_err(|_| LdsError::Encode {
            ef,
            field: "number of images",
            reason: "more than 255".into(),
        })?;
        let mut value = Vec::new();
        encode_tlv(Tag(0x02), &[n], &mut value);
        for image in &self.images {
            encode_tlv(item, image, &mut value);
        }
        Ok(mrtd_iso7816::tlv::tlv(
            Tag(u32::from(self.dg.tag())),
            &value,
        ))
    }
}
