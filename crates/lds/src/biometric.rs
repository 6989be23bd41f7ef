//! DG3 (fingerprints) and DG4 (irises), Doc 9303-10 §4.7.3–§4.7.4:
//! structure only — these data groups are protected by Terminal
//! Authentication, and their biometric data blocks (ISO/IEC 19794-4
//! finger images, usually WSQ; ISO/IEC 19794-6 iris images; ISO/IEC
//! 39794-4/-6 in `7F2E`) are kept as read. The format of each block is
//! recognised, and the 19794-4 headers are read (finger position, size,
//! compression) so that the images can be exported.
//!
//! ```text
//! 63 L (76 for DG4)
//!    7F61 L  02 01 n  7F60 L { A1 header, 5F2E / 7F2E block } × n
//! ```

use core::fmt;

use mrtd_iso7816::tlv::{Tag, encode_tlv};
use serde::{Deserialize, Serialize};

use crate::dg2::{BiometricHeader, parse_cbeff};
use crate::image_format::ImageFormat;
use crate::lenient::{Diag, ParseOptions, Parsed};
use crate::objects::{Cursor, Object, set_once};
use crate::{DgNumber, EfId, LdsError};

/// A biometric data block as read.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct BiometricData {
    /// `true` for `7F2E` (ISO/IEC 39794), `false` for `5F2E`.
    pub constructed: bool,
    /// The block.
    pub bytes: Vec<u8>,
}

impl fmt::Debug for BiometricData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "BiometricData({}, <{} bytes>)",
            self.format(),
            self.bytes.len()
        )
    }
}

/// What a biometric data block holds.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BlockFormat {
    /// ISO/IEC 19794-4:2005 finger image record (`FIR\0` `010\0`).
    Iso19794_4 {
        /// The finger images.
        fingers: Vec<FingerImage>,
    },
    /// ISO/IEC 19794-4 of another edition (`FIR\0` and its version).
    Iso19794_4Other {
        /// The version field.
        version: String,
    },
    /// ISO/IEC 19794-6 iris image record (`IIR\0` and its version).
    Iso19794_6 {
        /// The version field.
        version: String,
    },
    /// ISO/IEC 39794 (a constructed `7F2E` block).
    Iso39794,
    /// A bare image.
    Image {
        /// Its format.
        format: ImageFormat,
    },
    /// Not recognised.
    Unknown,
}

impl fmt::Display for BlockFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Iso19794_4 { fingers } => {
                write!(f, "ISO/IEC 19794-4:2005, {} finger image(s)", fingers.len())
            }
            Self::Iso19794_4Other { version } => write!(f, "ISO/IEC 19794-4 version {version}"),
            Self::Iso19794_6 { version } => write!(f, "ISO/IEC 19794-6 version {version}"),
            Self::Iso39794 => f.write_str("ISO/IEC 39794"),
            Self::Image { format } => write!(f, "{format} image"),
            Self::Unknown => f.write_str("unknown format"),
        }
    }
}

/// One finger image of a 19794-4:2005 record.
#[derive(Clone, PartialEq, Eq, Hash, Serialize)]
pub struct FingerImage {
    /// Finger position (ISO/IEC 19794-4 Table 2: 1 right thumb … 10 left
    /// little finger).
    pub position: u8,
    /// View number.
    pub view: u8,
    /// Quality.
    pub quality: u8,
    /// Width in pixels.
    pub width: u16,
    /// Height in pixels.
    pub height: u16,
    /// Compression algorithm code of the record (2 = WSQ, 3 = JPEG, 4 =
    /// JPEG 2000, 5 = PNG, 0/1 = uncompressed).
    pub compression: u8,
    /// The image data.
    #[serde(skip)]
    pub image: Vec<u8>,
}

impl fmt::Debug for FingerImage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FingerImage")
            .field("position", &self.position)
            .field("width", &self.width)
            .field("height", &self.height)
            .field("compression", &self.compression)
            .field("image", &format_args!("<{} bytes>", self.image.len()))
            .finish()
    }
}

impl FingerImage {
    /// The image format, from the data (WSQ for the usual code 2).
    #[must_use]
    pub fn format(&self) -> ImageFormat {
        ImageFormat::detect(&self.image)
    }
}

impl BiometricData {
    /// What the block holds. Never fails: a block whose 19794-4 headers do
    /// not add up is [`BlockFormat::Iso19794_4Other`] with the version.
    #[must_use]
    pub fn format(&self) -> BlockFormat {
        if self.constructed {
            return BlockFormat::Iso39794;
        }
        let b = &self.bytes;
        let version = || {
            b.get(4..8)
                .map(|v| String::from_utf8_lossy(v).trim_end_matches('\0').to_owned())
                .unwrap_or_default()
        };
        if b.starts_with(b"FIR\0") {
            if b.get(4..8) == Some(b"010\0")
                && let Some(fingers) = finger_images(b)
            {
                return BlockFormat::Iso19794_4 { fingers };
            }
            return BlockFormat::Iso19794_4Other { version: version() };
        }
        if b.starts_with(b"IIR\0") {
            return BlockFormat::Iso19794_6 { version: version() };
        }
        match ImageFormat::detect(b) {
            ImageFormat::Unknown => BlockFormat::Unknown,
            format => BlockFormat::Image { format },
        }
    }
}

/// The finger images of a 19794-4:2005 record, or `None` when a length
/// does not fit.
fn finger_images(b: &[u8]) -> Option<Vec<FingerImage>> {
    let ef = EfId::Dg(DgNumber::new(3)?);
    let mut c = Cursor::new(ef, b, 0);
    c.take(8, "").ok()?;
    let len = c.take(6, "").ok()?;
    let record_len = len.iter().fold(0u64, |a, x| (a << 8) | u64::from(*x));
    if record_len != b.len() as u64 {
        return None;
    }
    c.take(4, "").ok()?;
    let n = c.u8("").ok()?;
    // Scale units, scan and image resolutions, pixel depth.
    c.take(10, "").ok()?;
    let compression = c.u8("").ok()?;
    c.take(2, "").ok()?;
    let mut fingers = Vec::with_capacity(usize::from(n).min(c.remaining() / 14));
    for _ in 0..n {
        let len = usize::try_from(c.u32("").ok()?).ok()?;
        let body_len = len.checked_sub(4)?;
        let body = c.take(body_len, "").ok()?;
        let mut f = Cursor::new(ef, body, 0);
        let position = f.u8("").ok()?;
        let _count = f.u8("").ok()?;
        let view = f.u8("").ok()?;
        let quality = f.u8("").ok()?;
        let _impression = f.u8("").ok()?;
        let width = f.u16("").ok()?;
        let height = f.u16("").ok()?;
        let _reserved = f.u8("").ok()?;
        fingers.push(FingerImage {
            position,
            view,
            quality,
            width,
            height,
            compression,
            image: f.rest().to_vec(),
        });
    }
    (c.remaining() == 0).then_some(fingers)
}

/// One biometric information template.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct BiometricRecord {
    /// The biometric header template.
    pub header: BiometricHeader,
    /// The biometric data block.
    pub data: BiometricData,
}

/// DG3 or DG4.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct BiometricGroup {
    /// 3 or 4.
    pub dg: DgNumber,
    /// The templates in file order.
    pub records: Vec<BiometricRecord>,
}

impl BiometricGroup {
    /// Parses DG3 or DG4 strictly.
    ///
    /// # Errors
    /// As [`BiometricGroup::parse_with`] in strict mode.
    pub fn parse(dg: DgNumber, bytes: &[u8]) -> Result<Self, LdsError> {
        Self::parse_with(dg, bytes, ParseOptions::STRICT).map(|p| p.value)
    }

    /// Parses DG3 or DG4 (the CBEFF structure of DG2, with its leniency).
    ///
    /// # Errors
    /// [`LdsError`] with the offset of the defect.
    pub fn parse_with(
        dg: DgNumber,
        bytes: &[u8],
        options: ParseOptions,
    ) -> Result<Parsed<Self>, LdsError> {
        let ef = EfId::Dg(dg);
        let mut diag = Diag::new(ef, options);
        let records = parse_cbeff(&mut diag, bytes, Tag(u32::from(dg.tag())), |_, bit| {
            parse_bit(ef, bit)
        })?;
        Ok(diag.finish(Self { dg, records }))
    }

    /// Encodes the data group.
    ///
    /// # Errors
    /// [`LdsError::Encode`] for no records or more than 255.
    pub fn to_bytes(&self) -> Result<Vec<u8>, LdsError> {
        let ef = EfId::Dg(self.dg);
        let n = u8::try_from(self.records.len())
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| LdsError::Encode {
                ef,
                field: "number of instances",
                reason: format!("{} records; 1 to 255 fit", self.records.len()),
            })?;
        let mut group = Vec::new();
        encode_tlv(Tag(0x02), &[n], &mut group);
        for r in &self.records {
            let mut bit = Vec::new();
            r.header.encode(&mut bit)?;
            let tag = if r.data.constructed {
                Tag(0x7F2E)
            } else {
                Tag(0x5F2E)
            };
            encode_tlv(tag, &r.data.bytes, &mut bit);
            encode_tlv(Tag(0x7F60), &bit, &mut group);
        }
        let value = mrtd_iso7816::tlv::tlv(Tag(0x7F61), &group);
        Ok(mrtd_iso7816::tlv::tlv(
            Tag(u32::from(self.dg.tag())),
            &value,
        ))
    }
}

fn parse_bit(ef: EfId, bit: &Object<'_>) -> Result<BiometricRecord, LdsError> {
    let (mut header, mut bdb) = (None, None);
    for child in bit.children(ef)? {
        match child.tag {
            Tag(0xA1) => set_once(ef, &mut header, child)?,
            Tag(0x5F2E) | Tag(0x7F2E) => set_once(ef, &mut bdb, child)?,
            _ => return Err(bit.unexpected(ef, &child)),
        }
    }
    let header = header.ok_or_else(|| bit.missing(ef, Tag(0xA1)))?;
    let bdb = bdb.ok_or_else(|| bit.missing(ef, Tag(0x5F2E)))?;
    Ok(BiometricRecord {
        header: BiometricHeader::parse(ef, &header)?,
        data: BiometricData {
            constructed: bdb.tag == Tag(0x7F2E),
            bytes: bdb.value.to_vec(),
        },
    })
}
