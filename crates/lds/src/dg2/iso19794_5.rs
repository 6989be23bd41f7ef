//! The ISO/IEC 19794-5:2005 facial record that DG2 carries in its
//! biometric data block (Doc 9303-10 §4.7.2.1 and Doc 9303-9).
//!
//! ```text
//! Facial record header (14 bytes)
//!   "FAC\0"  format identifier
//!   "010\0"  version
//!   u32      record length (header included)
//!   u16      number of facial images
//! Per facial image:
//!   Facial information block (20 bytes)
//!     u32 facial record data length (this block to the end of the image)
//!     u16 number of feature points
//!     u8 gender, u8 eye colour, u8 hair colour
//!     u24 feature mask, u16 expression
//!     u8 x3 pose angle (yaw, pitch, roll), u8 x3 pose angle uncertainty
//!   Feature points, 8 bytes each
//!     u8 type, u8 point (major << 4 | minor), u16 x, u16 y, u16 reserved
//!   Image information (12 bytes)
//!     u8 face image type, u8 image data type, u16 width, u16 height,
//!     u8 colour space, u8 source type, u16 device type, u16 quality
//!   Image data (the rest of the facial record data)
//! ```
//!
//! Every length in the record comes from the chip and is checked against
//! the bytes that are actually there before anything is sliced or
//! allocated.

use core::fmt;

use serde::{Deserialize, Serialize};

use crate::lenient::{Defect, Diag, ParseOptions};
use crate::objects::Cursor;
use crate::{EfId, LdsError};

/// `FAC\0`.
pub const FORMAT_IDENTIFIER: [u8; 4] = *b"FAC\0";
/// `010\0`: ISO/IEC 19794-5:2005, the version Doc 9303 requires.
pub const VERSION_2005: [u8; 4] = *b"010\0";

const RECORD_HEADER_LEN: usize = 14;
const INFORMATION_BLOCK_LEN: usize = 20;
const FEATURE_POINT_LEN: usize = 8;
const IMAGE_INFORMATION_LEN: usize = 12;
/// How far a length may overshoot the bytes present and still be read
/// leniently: "off by a few bytes", not a different structure.
const MAX_LENGTH_SLACK: usize = 16;

macro_rules! code_enum {
    (
        $(#[$meta:meta])*
        $name:ident: $repr:ty {
            $($(#[$vmeta:meta])* $variant:ident = $value:literal,)*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vmeta])* $variant,)*
            /// A code ISO/IEC 19794-5:2005 does not assign, kept as it was.
            Unassigned($repr),
        }

        impl From<$repr> for $name {
            fn from(code: $repr) -> Self {
                match code {
                    $($value => Self::$variant,)*
                    other => Self::Unassigned(other),
                }
            }
        }

        impl From<$name> for $repr {
            fn from(v: $name) -> $repr {
                match v {
                    $($name::$variant => $value,)*
                    $name::Unassigned(code) => code,
                }
            }
        }
    };
}

code_enum! {
    /// Gender (ISO/IEC 19794-5 §5.5.3).
    Gender: u8 {
        /// 0x00.
        Unspecified = 0x00,
        /// 0x01.
        Male = 0x01,
        /// 0x02.
        Female = 0x02,
        /// 0xFF.
        Unknown = 0xFF,
    }
}

code_enum! {
    /// Eye colour (ISO/IEC 19794-5 §5.5.4).
    EyeColour: u8 {
        /// 0x00.
        Unspecified = 0x00,
        /// 0x01.
        Black = 0x01,
        /// 0x02.
        Blue = 0x02,
        /// 0x03.
        Brown = 0x03,
        /// 0x04.
        Grey = 0x04,
        /// 0x05.
        Green = 0x05,
        /// 0x06.
        MultiColoured = 0x06,
        /// 0x07.
        Pink = 0x07,
        /// 0xFF: other or unknown.
        Unknown = 0xFF,
    }
}

code_enum! {
    /// Hair colour (ISO/IEC 19794-5 §5.5.5).
    HairColour: u8 {
        /// 0x00.
        Unspecified = 0x00,
        /// 0x01.
        Bald = 0x01,
        /// 0x02.
        Black = 0x02,
        /// 0x03.
        Blonde = 0x03,
        /// 0x04.
        Brown = 0x04,
        /// 0x05.
        Grey = 0x05,
        /// 0x06.
        White = 0x06,
        /// 0x07.
        Red = 0x07,
        /// 0xFF: other or unknown.
        Unknown = 0xFF,
    }
}

code_enum! {
    /// Expression (ISO/IEC 19794-5 §5.5.7).
    Expression: u16 {
        /// 0x0000.
        Unspecified = 0x0000,
        /// 0x0001: neutral (non-smiling) with both eyes open and mouth closed.
        Neutral = 0x0001,
        /// 0x0002.
        SmileClosedJaw = 0x0002,
        /// 0x0003.
        SmileOpenJaw = 0x0003,
        /// 0x0004.
        RaisedEyebrows = 0x0004,
        /// 0x0005.
        EyesLookingAway = 0x0005,
        /// 0x0006.
        Squinting = 0x0006,
        /// 0x0007.
        Frowning = 0x0007,
    }
}

code_enum! {
    /// Face image type (ISO/IEC 19794-5 §5.7.1).
    FaceImageType: u8 {
        /// 0x00.
        Basic = 0x00,
        /// 0x01: full frontal, what Doc 9303-9 asks for.
        FullFrontal = 0x01,
        /// 0x02.
        TokenFrontal = 0x02,
    }
}

code_enum! {
    /// Image data type (ISO/IEC 19794-5 §5.7.2).
    ImageDataType: u8 {
        /// 0x00: JPEG (ISO/IEC 10918).
        Jpeg = 0x00,
        /// 0x01: JPEG 2000 (ISO/IEC 15444).
        Jpeg2000 = 0x01,
    }
}

code_enum! {
    /// Image colour space (ISO/IEC 19794-5 §5.7.5).
    ColourSpace: u8 {
        /// 0x00.
        Unspecified = 0x00,
        /// 0x01: 24-bit RGB.
        Rgb24 = 0x01,
        /// 0x02: YUV 4:2:2.
        Yuv422 = 0x02,
        /// 0x03: 8-bit greyscale.
        Grey8 = 0x03,
        /// 0x04.
        Other = 0x04,
    }
}

code_enum! {
    /// Source type (ISO/IEC 19794-5 §5.7.6).
    SourceType: u8 {
        /// 0x00.
        Unspecified = 0x00,
        /// 0x01.
        StaticPhotoUnknownSource = 0x01,
        /// 0x02.
        StaticPhotoDigitalCamera = 0x02,
        /// 0x03.
        StaticPhotoScanner = 0x03,
        /// 0x04.
        VideoFrameUnknownSource = 0x04,
        /// 0x05.
        VideoFrameAnalogueCamera = 0x05,
        /// 0x06.
        VideoFrameDigitalCamera = 0x06,
        /// 0x07.
        Unknown = 0x07,
    }
}

/// Yaw, pitch and roll as ISO/IEC 19794-5 §5.5.8 encodes them (0 means
/// unspecified), kept raw.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PoseAngle {
    /// Yaw.
    pub yaw: u8,
    /// Pitch.
    pub pitch: u8,
    /// Roll.
    pub roll: u8,
}

/// A feature point (ISO/IEC 19794-5 §5.6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FeaturePoint {
    /// Feature point type (1 = 2D MPEG-4 feature point).
    pub point_type: u8,
    /// The point: major code in the high nibble, minor in the low one.
    pub code: u8,
    /// Horizontal position in pixels.
    pub x: u16,
    /// Vertical position in pixels.
    pub y: u16,
    /// The reserved field, kept so that records re-encode byte for byte.
    pub reserved: u16,
}

impl FeaturePoint {
    /// Major code (e.g. 12 for the eyes in MPEG-4 numbering).
    #[must_use]
    pub fn major(&self) -> u8 {
        self.code >> 4
    }

    /// Minor code.
    #[must_use]
    pub fn minor(&self) -> u8 {
        self.code & 0x0F
    }
}

/// One face image with its image information block.
///
/// This is what the rest of the toolkit works with (display, the virtual
/// passport's personalisation); ISO/IEC 39794-5 faces will map onto it too.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FaceImage {
    /// Face image type.
    pub face_image_type: FaceImageType,
    /// JPEG or JPEG 2000.
    pub data_type: ImageDataType,
    /// Width in pixels, as the record states it.
    pub width: u16,
    /// Height in pixels, as the record states it.
    pub height: u16,
    /// Colour space.
    pub colour_space: ColourSpace,
    /// Source type.
    pub source_type: SourceType,
    /// Device type (vendor specific, 0 = unspecified).
    pub device_type: u16,
    /// Quality (0 = unspecified).
    pub quality: u16,
    /// The encoded image (JPEG or JPEG 2000 file).
    pub bytes: Vec<u8>,
}

/// Face bytes are biometric data: the debug view shows the size only.
impl fmt::Debug for FaceImage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FaceImage")
            .field("face_image_type", &self.face_image_type)
            .field("data_type", &self.data_type)
            .field("width", &self.width)
            .field("height", &self.height)
            .field("colour_space", &self.colour_space)
            .field("source_type", &self.source_type)
            .field("device_type", &self.device_type)
            .field("quality", &self.quality)
            .field("bytes", &format_args!("<{} bytes>", self.bytes.len()))
            .finish()
    }
}

/// A facial image of the record: facial information, feature points and
/// the image.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FacialImage {
    /// Gender.
    pub gender: Gender,
    /// Eye colour.
    pub eye_colour: EyeColour,
    /// Hair colour.
    pub hair_colour: HairColour,
    /// Feature mask, 24 bits (ISO/IEC 19794-5 §5.5.6: bit 0 = features
    /// specified, 1 glasses, 2 moustache, 3 beard, 4 teeth visible, 5 blink,
    /// 6 mouth open, 7 left eye patch, 8 right eye patch, 9 dark glasses,
    /// 10 distorting medical condition).
    pub feature_mask: u32,
    /// Expression.
    pub expression: Expression,
    /// Pose angle.
    pub pose_angle: PoseAngle,
    /// Pose angle uncertainty.
    pub pose_angle_uncertainty: PoseAngle,
    /// Feature points.
    pub feature_points: Vec<FeaturePoint>,
    /// The image and its image information.
    pub image: FaceImage,
}

impl FacialImage {
    /// A facial image with every descriptive field unspecified and no
    /// feature points, as issuers commonly write it.
    #[must_use]
    pub fn new(image: FaceImage) -> Self {
        Self {
            gender: Gender::Unspecified,
            eye_colour: EyeColour::Unspecified,
            hair_colour: HairColour::Unspecified,
            feature_mask: 0,
            expression: Expression::Unspecified,
            pose_angle: PoseAngle::default(),
            pose_angle_uncertainty: PoseAngle::default(),
            feature_points: Vec::new(),
            image,
        }
    }
}

/// An ISO/IEC 19794-5:2005 facial record.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FacialRecord {
    /// The facial images, at least one.
    pub images: Vec<FacialImage>,
}

impl FacialRecord {
    /// Whether `bdb` starts like a 19794-5 facial record.
    #[must_use]
    pub fn is_facial_record(bdb: &[u8]) -> bool {
        bdb.starts_with(&FORMAT_IDENTIFIER)
    }

    /// Parses a facial record that fills `bdb` exactly; `base` is the file
    /// offset of `bdb[0]`, used in errors.
    ///
    /// # Errors
    /// [`LdsError::InvalidField`] or [`LdsError::Truncated`] naming the field
    /// and its file offset.
    pub fn parse(ef: EfId, bdb: &[u8], base: usize) -> Result<Self, LdsError> {
        parse_record(&mut Diag::new(ef, ParseOptions::STRICT), bdb, base)
    }

    /// Encodes the record.
    ///
    /// # Errors
    /// [`LdsError::Encode`] when a count or length exceeds its field, or the
    /// feature mask exceeds 24 bits.
    pub fn to_bytes(&self, ef: EfId) -> Result<Vec<u8>, LdsError> {
        let too_big = |field: &'static str, reason: String| LdsError::Encode { ef, field, reason };
        let count = u16::try_from(self.images.len())
            .map_err(|_| too_big("number of facial images", "more than 65535".into()))?;
        if count == 0 {
            return Err(too_big(
                "number of facial images",
                "a record needs at least one".into(),
            ));
        }
        let mut blocks = Vec::with_capacity(self.images.len());
        for image in &self.images {
            blocks.push(encode_image(image, &too_big)?);
        }
        let total = blocks
            .iter()
            .try_fold(RECORD_HEADER_LEN, |acc, b| acc.checked_add(b.len()));
        let total_u32 = total
            .and_then(|t| u32::try_from(t).ok())
            .ok_or_else(|| too_big("record length", "exceeds 2^32 - 1 bytes".into()))?;
        let mut out = Vec::with_capacity(total.unwrap_or(0));
        out.extend_from_slice(&FORMAT_IDENTIFIER);
        out.extend_from_slice(&VERSION_2005);
        out.extend_from_slice(&total_u32.to_be_bytes());
        out.extend_from_slice(&count.to_be_bytes());
        for block in blocks {
            out.extend_from_slice(&block);
        }
        Ok(out)
    }
}

/// Parses a facial record that fills `bdb`; in lenient mode a record
/// length or a last facial record data length a few bytes off and bytes
/// after the last image are warnings (the bytes present win).
pub(crate) fn parse_record(
    diag: &mut Diag,
    bdb: &[u8],
    base: usize,
) -> Result<FacialRecord, LdsError> {
    let ef = diag.ef();
    let mut c = Cursor::new(ef, bdb, base);
    let invalid = |offset: usize, field: &'static str, reason: String| LdsError::InvalidField {
        ef,
        offset,
        field,
        reason,
    };
    let at = c.offset();
    if c.array::<4>("format identifier")? != FORMAT_IDENTIFIER {
        return Err(invalid(at, "format identifier", "not \"FAC\\0\"".into()));
    }
    let at = c.offset();
    let version = c.array::<4>("version")?;
    if version != VERSION_2005 {
        return Err(invalid(
            at,
            "version",
            format!("{version:02X?} is not ISO/IEC 19794-5:2005 (\"010\\0\")"),
        ));
    }
    let at = c.offset();
    let record_len = c.u32("record length")?;
    if usize::try_from(record_len).ok() != Some(bdb.len()) {
        if diag.strict() {
            return Err(invalid(
                at,
                "record length",
                format!(
                    "says {record_len} bytes, the data block holds {}",
                    bdb.len()
                ),
            ));
        }
        diag.warn(
            at,
            Defect::LengthMismatch {
                field: "record length",
                stated: u64::from(record_len),
                actual: bdb.len() as u64,
            },
        )?;
    }
    let at = c.offset();
    let count = c.u16("number of facial images")?;
    if count == 0 {
        return Err(invalid(at, "number of facial images", "is 0".into()));
    }
    // Each image takes at least its two fixed blocks: never allocate for
    // more images than the bytes can hold.
    let fit = c.remaining() / (INFORMATION_BLOCK_LEN + IMAGE_INFORMATION_LEN);
    let mut images = Vec::with_capacity(usize::from(count).min(fit));
    for i in 0..count {
        let last = i + 1 == count;
        images.push(parse_image(diag, &mut c, last)?);
    }
    if c.remaining() != 0 {
        if diag.strict() {
            return Err(invalid(
                c.offset(),
                "facial record",
                format!("{} bytes after the last facial image", c.remaining()),
            ));
        }
        diag.warn(
            c.offset(),
            Defect::UnusedBytes {
                structure: "facial record",
                count: c.remaining(),
            },
        )?;
    }
    Ok(FacialRecord { images })
}

fn parse_image(diag: &mut Diag, c: &mut Cursor<'_>, last: bool) -> Result<FacialImage, LdsError> {
    let ef = diag.ef();
    let start = c.offset();
    let available = c.remaining();
    let stated = c.u32("facial record data length")?;
    let min = INFORMATION_BLOCK_LEN + IMAGE_INFORMATION_LEN;
    let mut block_len = usize::try_from(stated).unwrap_or(usize::MAX);
    // The last image may run a few bytes past the record in lenient mode:
    // the bytes that are there are its data.
    if last
        && !diag.strict()
        && block_len > available
        && available >= min
        && block_len - available <= MAX_LENGTH_SLACK
    {
        diag.warn(
            start,
            Defect::LengthMismatch {
                field: "facial record data length",
                stated: u64::from(stated),
                actual: available as u64,
            },
        )?;
        block_len = available;
    }
    let block_len = Some(block_len)
        .filter(|len| (min..=available).contains(len))
        .ok_or_else(|| LdsError::InvalidField {
            ef,
            offset: start,
            field: "facial record data length",
            reason: format!("{stated} is outside {min}..={available} (the bytes left)"),
        })?;
    let body = c.take(block_len - 4, "facial record data")?;
    let mut b = Cursor::new(ef, body, start + 4);
    let fp_at = b.offset();
    let n_points = usize::from(b.u16("number of feature points")?);
    let gender = Gender::from(b.u8("gender")?);
    let eye_colour = EyeColour::from(b.u8("eye colour")?);
    let hair_colour = HairColour::from(b.u8("hair colour")?);
    let feature_mask = b.u24("feature mask")?;
    let expression = Expression::from(b.u16("expression")?);
    let [yaw, pitch, roll] = b.array("pose angle")?;
    let [uy, up, ur] = b.array("pose angle uncertainty")?;
    let needed = n_points * FEATURE_POINT_LEN + IMAGE_INFORMATION_LEN;
    if needed > b.remaining() {
        return Err(LdsError::InvalidField {
            ef,
            offset: fp_at,
            field: "number of feature points",
            reason: format!(
                "{n_points} feature points and the image information need {needed} bytes, {} remain",
                b.remaining()
            ),
        });
    }
    let mut feature_points = Vec::with_capacity(n_points);
    for _ in 0..n_points {
        feature_points.push(FeaturePoint {
            point_type: b.u8("feature point type")?,
            code: b.u8("feature point")?,
            x: b.u16("feature point x")?,
            y: b.u16("feature point y")?,
            reserved: b.u16("feature point reserved")?,
        });
    }
    let face_image_type = FaceImageType::from(b.u8("face image type")?);
    let data_type = ImageDataType::from(b.u8("image data type")?);
    let width = b.u16("width")?;
    let height = b.u16("height")?;
    let colour_space = ColourSpace::from(b.u8("image colour space")?);
    let source_type = SourceType::from(b.u8("source type")?);
    let device_type = b.u16("device type")?;
    let quality = b.u16("quality")?;
    let bytes = b.rest().to_vec();
    Ok(FacialImage {
        gender,
        eye_colour,
        hair_colour,
        feature_mask,
        expression,
        pose_angle: PoseAngle { yaw, pitch, roll },
        pose_angle_uncertainty: PoseAngle {
            yaw: uy,
            pitch: up,
            roll: ur,
        },
        feature_points,
        image: FaceImage {
            face_image_type,
            data_type,
            width,
            height,
            colour_space,
            source_type,
            device_type,
            quality,
            bytes,
        },
    })
}

fn encode_image(
    image: &FacialImage,
    too_big: &dyn Fn(&'static str, String) -> LdsError,
) -> Result<Vec<u8>, LdsError> {
    let n_points = u16::try_from(image.feature_points.len())
        .map_err(|_| too_big("number of feature points", "more than 65535".into()))?;
    if image.feature_mask > 0x00FF_FFFF {
        return Err(too_big("feature mask", "wider than 24 bits".into()));
    }
    let len = (INFORMATION_BLOCK_LEN + IMAGE_INFORMATION_LEN)
        .checked_add(image.feature_points.len() * FEATURE_POINT_LEN)
        .and_then(|l| l.checked_add(image.image.bytes.len()));
    let len_u32 = len
        .and_then(|l| u32::try_from(l).ok())
        .ok_or_else(|| too_big("facial record data length", "exceeds 2^32 - 1 bytes".into()))?;
    let mut out = Vec::with_capacity(len.unwrap_or(0));
    out.extend_from_slice(&len_u32.to_be_bytes());
    out.extend_from_slice(&n_points.to_be_bytes());
    out.push(image.gender.into());
    out.push(image.eye_colour.into());
    out.push(image.hair_colour.into());
    out.extend_from_slice(&image.feature_mask.to_be_bytes()[1..]);
    out.extend_from_slice(&u16::from(image.expression).to_be_bytes());
    let p = image.pose_angle;
    let u = image.pose_angle_uncertainty;
    out.extend_from_slice(&[p.yaw, p.pitch, p.roll, u.yaw, u.pitch, u.roll]);
    for fp in &image.feature_points {
        out.extend_from_slice(&[fp.point_type, fp.code]);
        out.extend_from_slice(&fp.x.to_be_bytes());
        out.extend_from_slice(&fp.y.to_be_bytes());
        out.extend_from_slice(&fp.reserved.to_be_bytes());
    }
    let i = &image.image;
    out.push(i.face_image_type.into());
    out.push(i.data_type.into());
    out.extend_from_slice(&i.width.to_be_bytes());
    out.extend_from_slice(&i.height.to_be_bytes());
    out.push(i.colour_space.into());
    out.push(i.source_type.into());
    out.extend_from_slice(&i.device_type.to_be_bytes());
    out.extend_from_slice(&i.quality.to_be_bytes());
    out.extend_from_slice(&i.bytes);
    Ok(out)
}
