//! ISO/IEC 39794-5 face image data blocks (the successor of 19794-5 that
//! DG2 carries in a constructed BDB, tag `7F2E`; Doc 9303-10 §4.7.2 with
//! the ICAO 39794-5 application profile).
//!
//! ```text
//! 7F2E L
//!    A1 L                                   (the profile's wrapper)
//!       65 L  FaceImageDataBlock ::= [APPLICATION 5] SEQUENCE {
//!          A0 versionBlock { 80 generation, 81 year }
//!          A1 representationBlocks SEQUENCE OF
//!             30 RepresentationBlock {
//!                80 representationId
//!                A1 imageRepresentation
//!                   A0 base  A0 ImageRepresentation2DBlock {
//!                      80 representationData2D (the image)
//!                      A1 imageInformation2DBlock {
//!                         A0 imageDataFormat { 80 code }   2 JPEG, 3/4 JPEG 2000
//!                         A7 imageSizeBlock { 80 width, 81 height } … }
//!                A2 captureDateTimeBlock { 80 year, 81 month, … }
//!                … A9 landmarkBlocks SEQUENCE OF LandmarkBlock } } }
//! ```
//!
//! What a reader needs is decoded (image, its format and size, capture
//! date, landmarks); the block itself is kept byte for byte and is what
//! encodes, because 39794-5 has many optional extension blocks whose
//! re-encoding this crate does not own.

use core::fmt;

use mrtd_iso7816::tlv::{self, Tag, TlvIter};
use serde::Serialize;

use super::iso19794_5::{ColourSpace, FaceImage, FaceImageType, ImageDataType, SourceType};
use crate::{EfId, LdsError};

const TAG_FACE_BLOCK: Tag = Tag(0x65);
const TAG_WRAPPER: Tag = Tag(0xA1);

/// `ImageDataFormatCode` of ISO/IEC 39794-5.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ImageDataFormat {
    /// 2: JPEG.
    Jpeg,
    /// 3: JPEG 2000, lossy.
    Jpeg2000Lossy,
    /// 4: JPEG 2000, lossless.
    Jpeg2000Lossless,
    /// Another code (or the extension block).
    Other(u32),
}

impl ImageDataFormat {
    fn from_code(code: u32) -> Self {
        match code {
            2 => Self::Jpeg,
            3 => Self::Jpeg2000Lossy,
            4 => Self::Jpeg2000Lossless,
            other => Self::Other(other),
        }
    }

    fn code(self) -> u32 {
        match self {
            Self::Jpeg => 2,
            Self::Jpeg2000Lossy => 3,
            Self::Jpeg2000Lossless => 4,
            Self::Other(c) => c,
        }
    }
}

/// `DateTimeBlock` (ISO/IEC 39794-1): year and whichever parts follow.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct CaptureDateTime {
    /// Year.
    pub year: u32,
    /// Month.
    pub month: Option<u32>,
    /// Day.
    pub day: Option<u32>,
    /// Hour.
    pub hour: Option<u32>,
    /// Minute.
    pub minute: Option<u32>,
    /// Second.
    pub second: Option<u32>,
    /// Millisecond.
    pub millisecond: Option<u32>,
}

/// What a landmark marks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", content = "code", rename_all = "snake_case")]
pub enum LandmarkKind {
    /// An MPEG-4 feature point, by its `MPEG4FeaturePointCode` (0 =
    /// point 2.1 … 87 = point 12.4).
    Mpeg4(u32),
    /// An anthropometric landmark, by the code of whichever of its three
    /// naming schemes the record uses.
    Anthropometric(u32),
    /// An extension this crate does not decode.
    Other,
}

/// `LandmarkBlock` with 2D (or 3D) coordinates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Landmark {
    /// What it marks.
    pub kind: LandmarkKind,
    /// Horizontal position in pixels, if given.
    pub x: Option<u32>,
    /// Vertical position in pixels, if given.
    pub y: Option<u32>,
    /// Depth, for 3D coordinates.
    pub z: Option<u32>,
}

/// One `RepresentationBlock`: a face image and what is said about it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Representation {
    /// `representationId`.
    pub id: u32,
    /// `imageDataFormat`.
    pub format: ImageDataFormat,
    /// The image with its size (0 × 0 when the block has no
    /// `imageSizeBlock`; decode the image to learn it). The 19794-5
    /// descriptive fields are unspecified.
    pub image: FaceImage,
    /// `captureDateTimeBlock`.
    pub capture_date_time: Option<CaptureDateTime>,
    /// `landmarkBlocks`.
    pub landmarks: Vec<Landmark>,
}

/// An ISO/IEC 39794-5 `FaceImageDataBlock` with the bytes it was decoded
/// from.
///
/// Serialises with the block as hex under `block`, and deserialises from
/// that alone.
#[derive(Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Iso39794Face {
    /// `versionBlock`: generation and year.
    pub version: Option<(u32, u32)>,
    /// The representations (the ICAO profile has exactly one).
    pub representations: Vec<Representation>,
    #[serde(rename = "block", serialize_with = "hex_upper")]
    bytes: Vec<u8>,
}

fn hex_upper<S: serde::Serializer>(b: &[u8], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&hex::encode_upper(b))
}

impl<'de> serde::Deserialize<'de> for Iso39794Face {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(serde::Deserialize)]
        struct Incoming {
            block: String,
        }
        let i = Incoming::deserialize(d)?;
        let bytes = hex::decode(i.block).map_err(serde::de::Error::custom)?;
        Self::parse(EfId::Dg(super::DG2), &bytes, 0).map_err(serde::de::Error::custom)
    }
}

impl fmt::Debug for Iso39794Face {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Iso39794Face")
            .field("version", &self.version)
            .field("representations", &self.representations)
            .finish_non_exhaustive()
    }
}

struct Walker {
    ef: EfId,
}

impl Walker {
    fn children<'a>(
        &self,
        value: &'a [u8],
        base: usize,
    ) -> Result<Vec<(usize, tlv::Tlv<'a>)>, LdsError> {
        TlvIter::new(value)
            .map(|item| {
                item.map(|(at, t)| (base + at, t))
                    .map_err(|e| LdsError::Tlv {
                        ef: self.ef,
                        source: e.shifted(base),
                    })
            })
            .collect()
    }

    fn invalid(&self, offset: usize, field: &'static str, reason: &str) -> LdsError {
        LdsError::InvalidField {
            ef: self.ef,
            offset,
            field,
            reason: reason.to_owned(),
        }
    }

    /// A non-negative INTEGER / ENUMERATED value of at most 4 bytes.
    fn uint(&self, offset: usize, field: &'static str, v: &[u8]) -> Result<u32, LdsError> {
        let v = match v {
            [0, rest @ ..] if !rest.is_empty() => rest,
            other => other,
        };
        if v.is_empty() || v.len() > 4 || v[0] & 0x80 != 0 && v.len() == 4 {
            return Err(self.invalid(
                offset,
                field,
                "not a non-negative integer of at most 32 bits",
            ));
        }
        Ok(v.iter().fold(0u32, |acc, b| (acc << 8) | u32::from(*b)))
    }
}

impl Iso39794Face {
    /// Decodes the value of a DG2 `7F2E` block (the profile's `A1` wrapper
    /// around a FaceImageDataBlock, or the block itself); `base` is the
    /// file offset of `bytes[0]`.
    ///
    /// # Errors
    /// [`LdsError`] naming the field and its file offset when a mandatory
    /// block is missing or malformed.
    pub fn parse(ef: EfId, bytes: &[u8], base: usize) -> Result<Self, LdsError> {
        let w = Walker { ef };
        let (first, rest) = tlv::parse_tlv(bytes).map_err(|source| LdsError::Tlv {
            ef,
            source: source.shifted(base),
        })?;
        if !rest.is_empty() {
            return Err(w.invalid(
                base + first.total_len(),
                "face image data block",
                "bytes after the block",
            ));
        }
        let (block, block_at) = if first.tag == TAG_WRAPPER {
            let (inner, rest) = tlv::parse_tlv(first.value).map_err(|e| LdsError::Tlv {
                ef,
                source: e.shifted(base + first.header_len),
            })?;
            if !rest.is_empty() {
                return Err(w.invalid(base, "face image data block", "bytes after the block"));
            }
            (inner, base + first.header_len)
        } else {
            (first, base)
        };
        if block.tag != TAG_FACE_BLOCK {
            return Err(w.invalid(
                block_at,
                "FaceImageDataBlock",
                "tag is not [APPLICATION 5] (65)",
            ));
        }
        let mut version = None;
        let mut representations = Vec::new();
        for (at, child) in w.children(block.value, block_at + block.header_len)? {
            match child.tag.0 {
                0xA0 => {
                    let mut g = None;
                    let mut y = None;
                    for (a, c) in w.children(child.value, at + child.header_len)? {
                        match c.tag.0 {
                            0x80 => g = Some(w.uint(a, "version generation", c.value)?),
                            0x81 => y = Some(w.uint(a, "version year", c.value)?),
                            _ => {}
                        }
                    }
                    version = g.zip(y);
                }
                0xA1 => {
                    for (a, rep) in w.children(child.value, at + child.header_len)? {
                        if rep.tag.0 == 0x30 {
                            representations.push(parse_representation(
                                &w,
                                rep.value,
                                a + rep.header_len,
                            )?);
                        }
                    }
                }
                _ => {}
            }
        }
        if representations.is_empty() {
            return Err(w.invalid(block_at, "representationBlocks", "no representation"));
        }
        Ok(Self {
            version,
            representations,
            bytes: bytes.to_vec(),
        })
    }

    /// A minimal block of the ICAO profile (`A1` wrapper, version 3/2019,
    /// one representation with the image, its format and, when known, its
    /// size), as a virtual passport personalising with 39794-5 writes it.
    #[must_use]
    pub fn from_image(image: &[u8], format: ImageDataFormat, size: Option<(u16, u16)>) -> Self {
        fn int(v: u32) -> Vec<u8> {
            let b = v.to_be_bytes();
            let skip = b.iter().take(3).take_while(|x| **x == 0).count();
            let mut out = b[skip..].to_vec();
            if out[0] & 0x80 != 0 {
                out.insert(0, 0);
            }
            out
        }
        let t = |tag: u32, v: &[u8]| tlv::tlv(Tag(tag), v);
        let version = t(0xA0, &[t(0x80, &int(3)), t(0x81, &int(2019))].concat());
        let mut info = t(0xA0, &t(0x80, &int(format.code())));
        if let Some((w, h)) = size {
            info.extend(t(
                0xA7,
                &[t(0x80, &int(w.into())), t(0x81, &int(h.into()))].concat(),
            ));
        }
        let rep2d = t(0xA0, &[t(0x80, image), t(0xA1, &info)].concat());
        let rep = t(
            0x30,
            &[t(0x80, &int(0)), t(0xA1, &t(0xA0, &rep2d))].concat(),
        );
        let block = t(0x65, &[version, t(0xA1, &rep)].concat());
        let bytes = t(0xA1, &block);
        // What was just built decodes (the constructor is total).
        Self::parse(EfId::Dg(super::DG2), &bytes, 0).unwrap_or(Self {
            version: Some((3, 2019)),
            representations: Vec::new(),
            bytes,
        })
    }

    /// The block as read (the value of `7F2E`).
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }
}

fn parse_representation(w: &Walker, value: &[u8], base: usize) -> Result<Representation, LdsError> {
    let mut id = None;
    let mut image_bytes = None;
    let mut format = None;
    let mut size = None;
    let mut capture_date_time = None;
    let mut landmarks = Vec::new();
    for (at, c) in w.children(value, base)? {
        match c.tag.0 {
            0x80 => id = Some(w.uint(at, "representationId", c.value)?),
            0xA1 => {
                // imageRepresentation: base [0] → 2D block [0].
                let reps = w.children(c.value, at + c.header_len)?;
                let Some((a0, base_choice)) = reps.into_iter().find(|(_, t)| t.tag.0 == 0xA0)
                else {
                    continue;
                };
                let two_d = w.children(base_choice.value, a0 + base_choice.header_len)?;
                let Some((a1, block)) = two_d.into_iter().find(|(_, t)| t.tag.0 == 0xA0) else {
                    continue;
                };
                for (a, item) in w.children(block.value, a1 + block.header_len)? {
                    match item.tag.0 {
                        0x80 => image_bytes = Some(item.value.to_vec()),
                        0xA1 => {
                            for (b, info) in w.children(item.value, a + item.header_len)? {
                                match info.tag.0 {
                                    0xA0 => {
                                        for (d, code) in
                                            w.children(info.value, b + info.header_len)?
                                        {
                                            format = Some(match code.tag.0 {
                                                0x80 => ImageDataFormat::from_code(w.uint(
                                                    d,
                                                    "imageDataFormat",
                                                    code.value,
                                                )?),
                                                _ => ImageDataFormat::Other(u32::MAX),
                                            });
                                        }
                                    }
                                    0xA7 => {
                                        let mut wh = (None, None);
                                        for (d, v) in w.children(info.value, b + info.header_len)? {
                                            match v.tag.0 {
                                                0x80 => {
                                                    wh.0 =
                                                        Some(w.uint(d, "image width", v.value)?)
                                                }
                                                0x81 => {
                                                    wh.1 =
                                                        Some(w.uint(d, "image height", v.value)?)
                                                }
                                                _ => {}
                                            }
                                        }
                                        size = wh.0.zip(wh.1);
                                    }
                                    _ => {}
                                }
                            }
                        }
                        _ => {}
                    }
                }
            }
            0xA2 => {
                let mut dt = CaptureDateTime::default();
                let mut year = None;
                for (a, p) in w.children(c.value, at + c.header_len)? {
                    let v = Some(w.uint(a, "capture date/time", p.value)?);
                    match p.tag.0 {
                        0x80 => year = v,
                        0x81 => dt.month = v,
                        0x82 => dt.day = v,
                        0x83 => dt.hour = v,
                        0x84 => dt.minute = v,
                        0x85 => dt.second = v,
                        0x86 => dt.millisecond = v,
                        _ => {}
                    }
                }
                capture_date_time = year.map(|year| CaptureDateTime { year, ..dt });
            }
            0xA9 => {
                for (a, lm) in w.children(c.value, at + c.header_len)? {
                    if lm.tag.0 == 0x30 {
                        landmarks.push(parse_landmark(w, lm.value, a + lm.header_len)?);
                    }
                }
            }
            _ => {}
        }
    }
    let image_bytes =
        image_bytes.ok_or_else(|| w.invalid(base, "representationData2D", "missing"))?;
    let format = format.unwrap_or(ImageDataFormat::Other(0));
    let (width, height) = size
        .map(|(w, h)| {
            (
                u16::try_from(w).unwrap_or(u16::MAX),
                u16::try_from(h).unwrap_or(u16::MAX),
            )
        })
        .unwrap_or((0, 0));
    Ok(Representation {
        id: id.unwrap_or(0),
        format,
        image: FaceImage {
            face_image_type: FaceImageType::FullFrontal,
            data_type: match format {
                ImageDataFormat::Jpeg => ImageDataType::Jpeg,
                ImageDataFormat::Jpeg2000Lossy | ImageDataFormat::Jpeg2000Lossless => {
                    ImageDataType::Jpeg2000
                }
                ImageDataFormat::Other(c) => {
                    ImageDataType::Unassigned(u8::try_from(c).unwrap_or(u8::MAX))
                }
            },
            width,
            height,
            colour_space: ColourSpace::Unspecified,
            source_type: SourceType::Unspecified,
            device_type: 0,
            quality: 0,
            bytes: image_bytes,
        },
        capture_date_time,
        landmarks,
    })
}

/// `LandmarkBlock ::= SEQUENCE { landmarkKind [0], landmarkCoordinates [1] OPTIONAL }`.
fn parse_landmark(w: &Walker, value: &[u8], base: usize) -> Result<Landmark, LdsError> {
    let mut kind = LandmarkKind::Other;
    let (mut x, mut y, mut z) = (None, None, None);
    for (at, c) in w.children(value, base)? {
        match c.tag.0 {
            0xA0 => {
                // base [0] { mpeg4 [0] { ext [1] { fallback [0] code } } | anthropometric [1] {...} }
                kind = landmark_kind(w, c.value, at + c.header_len).unwrap_or(LandmarkKind::Other);
            }
            0xA1 => {
                // base [0] { cartesian2D [0] { x [0], y [1] } | texture [1] | 3D [2] }
                let coords = w.children(c.value, at + c.header_len)?;
                if let Some((a, base_choice)) = coords.into_iter().find(|(_, t)| t.tag.0 == 0xA0) {
                    for (b, sys) in w.children(base_choice.value, a + base_choice.header_len)? {
                        for (d, v) in w.children(sys.value, b + sys.header_len)? {
                            let n = Some(w.uint(d, "landmark coordinate", v.value)?);
                            match v.tag.0 {
                                0x80 => x = n,
                                0x81 => y = n,
                                0x82 => z = n,
                                _ => {}
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    Ok(Landmark { kind, x, y, z })
}

fn landmark_kind(w: &Walker, value: &[u8], base: usize) -> Option<LandmarkKind> {
    let (a, base_choice) = w
        .children(value, base)
        .ok()?
        .into_iter()
        .find(|(_, t)| t.tag.0 == 0xA0)?;
    let (b, which) = w
        .children(base_choice.value, a + base_choice.header_len)
        .ok()?
        .into_iter()
        .next()?;
    // The code sits at the bottom of a chain of one-element constructed
    // blocks (CHOICE → extension block → fallback).
    let mut cur = which;
    let mut at = b;
    for _ in 0..4 {
        if !cur.tag.is_constructed() {
            let code = w.uint(at, "landmark code", cur.value).ok()?;
            return Some(match which.tag.0 {
                0xA0 => LandmarkKind::Mpeg4(code),
                _ => LandmarkKind::Anthropometric(code),
            });
        }
        let (next_at, next) = w
            .children(cur.value, at + cur.header_len)
            .ok()?
            .into_iter()
            .next()?;
        at = next_at;
        cur = next;
    }
    None
}
