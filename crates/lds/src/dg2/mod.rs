//! DG2, the encoded face (Doc 9303-10 §4.7.2), in the CBEFF structure of
//! ISO/IEC 7816-11:
//!
//! ```text
//! 75 L                                  DG2
//!    7F61 L                             biometric information group template
//!       02 01 n                         number of instances
//!       7F60 L                          biometric information template (n times)
//!          A1 L                         biometric header template
//!             80 02 0101                ICAO header version        (optional)
//!             81 01 02                  biometric type: face       (optional)
//!             82 01 00                  biometric subtype          (optional)
//!             83 07 ..                  creation date and time     (optional)
//!             85 08 ..                  validity period            (optional)
//!             86 ..                     creator (PID)              (optional)
//!             87 02 0101                format owner               (mandatory)
//!             88 02 0008                format type                (mandatory)
//!          5F2E L ..                    biometric data block: ISO/IEC 19794-5
//!       or 7F2E L ..                    constructed BDB: ISO/IEC 39794-5
//! ```
//!
//! The ISO/IEC 19794-5:2005 record is decoded ([`FacialRecord`]); an
//! ISO/IEC 39794-5 block (or any other format) is kept byte for byte as
//! [`FaceData::Undecoded`] so that a decoder for it can be added beside
//! the 19794-5 one.

pub mod iso19794_5;
pub mod iso39794_5;

use core::fmt;

use mrtd_iso7816::tlv::{Tag, encode_tlv};
use serde::{Deserialize, Serialize};

pub use iso19794_5::{
    ColourSpace, EyeColour, FaceImage, FaceImageType, FacialImage, FacialRecord, FeaturePoint,
    Gender, HairColour, ImageDataType, PoseAngle, SourceType,
};

pub use iso39794_5::Iso39794Face;

use crate::lenient::{Defect, Diag, ParseOptions, Parsed};
use crate::objects::{Object, lenient_root, set_once};
use crate::{DgNumber, EfId, LdsError};

pub(crate) const DG2: DgNumber = match DgNumber::new(2) {
    Some(dg) => dg,
    None => unreachable!(),
};
const EF: EfId = EfId::Dg(DG2);

const TAG_DG2: Tag = Tag(0x75);
const TAG_GROUP: Tag = Tag(0x7F61);
const TAG_COUNT: Tag = Tag(0x02);
const TAG_BIT: Tag = Tag(0x7F60);
const TAG_HEADER: Tag = Tag(0xA1);
const TAG_BDB: Tag = Tag(0x5F2E);
const TAG_BDB_CONSTRUCTED: Tag = Tag(0x7F2E);

const TAG_HEADER_VERSION: Tag = Tag(0x80);
const TAG_BIOMETRIC_TYPE: Tag = Tag(0x81);
const TAG_SUBTYPE: Tag = Tag(0x82);
const TAG_CREATION: Tag = Tag(0x83);
const TAG_VALIDITY: Tag = Tag(0x85);
const TAG_CREATOR: Tag = Tag(0x86);
const TAG_FORMAT_OWNER: Tag = Tag(0x87);
const TAG_FORMAT_TYPE: Tag = Tag(0x88);

/// Format owner of ISO/IEC JTC 1/SC 37 (Doc 9303-10 Table 35).
pub const FORMAT_OWNER_JTC1_SC37: u16 = 0x0101;
/// Format type of an ISO/IEC 19794-5 face record.
pub const FORMAT_TYPE_19794_5: u16 = 0x0008;
/// Biometric type "facial features" (ISO/IEC 7816-11 / CBEFF).
pub const BIOMETRIC_TYPE_FACE: u8 = 0x02;

/// The biometric header template (tag `A1`) of one face.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct BiometricHeader {
    /// `80`: ICAO header version (`01 01`).
    pub icao_header_version: Option<[u8; 2]>,
    /// `81`: biometric type, 1 to 3 bytes (`02` = face).
    pub biometric_type: Option<Vec<u8>>,
    /// `82`: biometric subtype.
    pub biometric_subtype: Option<u8>,
    /// `83`: creation date and time, 7 bytes (`YYYYMMDDhhmmss` packed BCD).
    pub creation_date_time: Option<[u8; 7]>,
    /// `85`: validity period, 8 bytes (from `YYYYMMDD`, to `YYYYMMDD`, BCD).
    pub validity_period: Option<[u8; 8]>,
    /// `86`: creator of the biometric reference data (PID).
    pub creator: Option<Vec<u8>>,
    /// `87`: format owner (`0101` = ISO/IEC JTC 1/SC 37).
    pub format_owner: u16,
    /// `88`: format type (`0008` = ISO/IEC 19794-5).
    pub format_type: u16,
    /// Other data objects of the template (ISO/IEC 7816-11 defines more
    /// than Doc 9303 uses), kept in order as `(tag, value)`; encoded after
    /// the ones above.
    pub other: Vec<(u32, Vec<u8>)>,
}

impl BiometricHeader {
    /// The header Doc 9303-10 §4.7.2 describes for an ISO/IEC 19794-5 face,
    /// as the BSI TR-03105-5 reference data set writes it: biometric type
    /// face, subtype 0 (none), format owner `0101`, format type `0008`.
    #[must_use]
    pub fn face_19794_5() -> Self {
        Self {
            icao_header_version: None,
            biometric_type: Some(vec![BIOMETRIC_TYPE_FACE]),
            biometric_subtype: Some(0),
            creation_date_time: None,
            validity_period: None,
            creator: None,
            format_owner: FORMAT_OWNER_JTC1_SC37,
            format_type: FORMAT_TYPE_19794_5,
            other: Vec::new(),
        }
    }

    pub(crate) fn parse(ef: EfId, bht: &Object<'_>) -> Result<Self, LdsError> {
        let mut slots: [Option<Object<'_>>; 8] = Default::default();
        let mut other = Vec::new();
        for child in bht.children(ef)? {
            let index = match child.tag {
                TAG_HEADER_VERSION => 0,
                TAG_BIOMETRIC_TYPE => 1,
                TAG_SUBTYPE => 2,
                TAG_CREATION => 3,
                TAG_VALIDITY => 4,
                TAG_CREATOR => 5,
                TAG_FORMAT_OWNER => 6,
                TAG_FORMAT_TYPE => 7,
                _ => {
                    other.push((child.tag.0, child.value.to_vec()));
                    continue;
                }
            };
            set_once(ef, &mut slots[index], child)?;
        }
        let [
            version,
            btype,
            subtype,
            creation,
            validity,
            creator,
            owner,
            ftype,
        ] = slots;
        let biometric_type = match btype {
            Some(obj) if !(1..=3).contains(&obj.value.len()) => {
                return Err(LdsError::InvalidField {
                    ef,
                    offset: obj.value_offset,
                    field: "biometric type",
                    reason: format!("{} bytes, expected 1 to 3", obj.value.len()),
                });
            }
            other => other.map(|obj| obj.value.to_vec()),
        };
        let format_owner = fixed::<2>(ef, owner.as_ref(), "format owner")?
            .ok_or_else(|| bht.missing(ef, TAG_FORMAT_OWNER))?;
        let format_type = fixed::<2>(ef, ftype.as_ref(), "format type")?
            .ok_or_else(|| bht.missing(ef, TAG_FORMAT_TYPE))?;
        Ok(Self {
            icao_header_version: fixed(ef, version.as_ref(), "ICAO header version")?,
            biometric_type,
            biometric_subtype: fixed::<1>(ef, subtype.as_ref(), "biometric subtype")?.map(|[b]| b),
            creation_date_time: fixed(ef, creation.as_ref(), "creation date and time")?,
            validity_period: fixed(ef, validity.as_ref(), "validity period")?,
            creator: creator.map(|o| o.value.to_vec()),
            format_owner: u16::from_be_bytes(format_owner),
            format_type: u16::from_be_bytes(format_type),
            other,
        })
    }

    pub(crate) fn encode(&self, out: &mut Vec<u8>) -> Result<(), LdsError> {
        let mut v = Vec::with_capacity(32);
        if let Some(x) = &self.icao_header_version {
            encode_tlv(TAG_HEADER_VERSION, x, &mut v);
        }
        if let Some(x) = &self.biometric_type {
            if !(1..=3).contains(&x.len()) {
                return Err(LdsError::Encode {
                    ef: EF,
                    field: "biometric type",
                    reason: "must be 1 to 3 bytes".into(),
                });
            }
            encode_tlv(TAG_BIOMETRIC_TYPE, x, &mut v);
        }
        if let Some(x) = self.biometric_subtype {
            encode_tlv(TAG_SUBTYPE, &[x], &mut v);
        }
        if let Some(x) = &self.creation_date_time {
            encode_tlv(TAG_CREATION, x, &mut v);
        }
        if let Some(x) = &self.validity_period {
            encode_tlv(TAG_VALIDITY, x, &mut v);
        }
        if let Some(x) = &self.creator {
            encode_tlv(TAG_CREATOR, x, &mut v);
        }
        encode_tlv(TAG_FORMAT_OWNER, &self.format_owner.to_be_bytes(), &mut v);
        encode_tlv(TAG_FORMAT_TYPE, &self.format_type.to_be_bytes(), &mut v);
        for (tag, value) in &self.other {
            let known = matches!(
                Tag(*tag),
                TAG_HEADER_VERSION
                    | TAG_BIOMETRIC_TYPE
                    | TAG_SUBTYPE
                    | TAG_CREATION
                    | TAG_VALIDITY
                    | TAG_CREATOR
                    | TAG_FORMAT_OWNER
                    | TAG_FORMAT_TYPE
            );
            if known || !valid_tag(*tag) {
                return Err(LdsError::Encode {
                    ef: EF,
                    field: "biometric header",
                    reason: format!("extra data object tag {tag:X} is reserved or malformed"),
                });
            }
            encode_tlv(Tag(*tag), value, &mut v);
        }
        encode_tlv(TAG_HEADER, &v, out);
        Ok(())
    }
}

/// The value of an optional data object of exactly `N` bytes.
fn fixed<const N: usize>(
    ef: EfId,
    o: Option<&Object<'_>>,
    field: &'static str,
) -> Result<Option<[u8; N]>, LdsError> {
    o.map(|obj| {
        <[u8; N]>::try_from(obj.value).map_err(|_| LdsError::InvalidField {
            ef,
            offset: obj.value_offset,
            field,
            reason: format!("{} bytes, expected {N}", obj.value.len()),
        })
    })
    .transpose()
}

/// Whether `tag` encodes as a BER tag that parses back to itself.
pub(crate) fn valid_tag(tag: u32) -> bool {
    let bytes = Tag(tag).to_bytes();
    matches!(
        mrtd_iso7816::tlv::parse_header(&[bytes.as_slice(), &[0]].concat()),
        Ok(h) if h.tag == Tag(tag) && h.header_len == bytes.len() + 1
    )
}

/// The biometric data block of one face. Non-exhaustive: an ISO/IEC
/// 39794-5 decoder will add its variant.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum FaceData {
    /// An ISO/IEC 19794-5:2005 facial record (tag `5F2E`).
    Iso19794_5(FacialRecord),
    /// An ISO/IEC 39794-5 face image data block (tag `7F2E`).
    Iso39794_5(Iso39794Face),
    /// A block this version does not decode — ISO/IEC 39794-5 (tag `7F2E`)
    /// or an unknown format in `5F2E` — kept byte for byte.
    Undecoded {
        /// `true` for `7F2E`, `false` for `5F2E`.
        constructed: bool,
        /// The block's value.
        bytes: Vec<u8>,
    },
}

/// Undecoded blocks hold face images: only their size is shown.
impl fmt::Debug for FaceData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Iso19794_5(record) => f.debug_tuple("Iso19794_5").field(record).finish(),
            Self::Iso39794_5(block) => f.debug_tuple("Iso39794_5").field(block).finish(),
            Self::Undecoded { constructed, bytes } => f
                .debug_struct("Undecoded")
                .field("constructed", constructed)
                .field("bytes", &format_args!("<{} bytes>", bytes.len()))
                .finish(),
        }
    }
}

/// One biometric information template (`7F60`): a header and a face.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FaceRecord {
    /// The biometric header template.
    pub header: BiometricHeader,
    /// The biometric data block.
    pub data: FaceData,
}

impl FaceRecord {
    /// The face images of this record (none when the block is undecoded).
    /// ISO/IEC 39794-5 images carry their size only when the block states
    /// it.
    pub fn images(&self) -> impl Iterator<Item = &FaceImage> {
        let (a, b): (&[FacialImage], &[iso39794_5::Representation]) = match &self.data {
            FaceData::Iso19794_5(record) => (&record.images, &[]),
            FaceData::Iso39794_5(block) => (&[], &block.representations),
            FaceData::Undecoded { .. } => (&[], &[]),
        };
        a.iter().map(|i| &i.image).chain(b.iter().map(|r| &r.image))
    }
}

/// DG2: the holder's face(s).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Dg2 {
    /// The biometric information templates, in file order.
    pub faces: Vec<FaceRecord>,
}

impl Dg2 {
    /// A conformant DG2 with one ISO/IEC 19794-5 face: the header of
    /// [`BiometricHeader::face_19794_5`] and a record with one facial image
    /// whose descriptive fields are unspecified. This is what the virtual
    /// passport is personalised with.
    #[must_use]
    pub fn from_face(image: FaceImage) -> Self {
        Self {
            faces: vec![FaceRecord {
                header: BiometricHeader::face_19794_5(),
                data: FaceData::Iso19794_5(FacialRecord {
                    images: vec![FacialImage::new(image)],
                }),
            }],
        }
    }

    /// Every decoded face image, in file order.
    pub fn images(&self) -> impl Iterator<Item = &FaceImage> {
        self.faces.iter().flat_map(FaceRecord::images)
    }

    /// Parses DG2.
    ///
    /// # Errors
    /// [`LdsError`] naming the defect and its file offset: broken TLV,
    /// missing or unexpected data objects, an instance count that does not
    /// match the templates, and any length inside the 19794-5 record that
    /// disagrees with the bytes present.
    pub fn parse(bytes: &[u8]) -> Result<Self, LdsError> {
        Self::parse_with(bytes, ParseOptions::STRICT).map(|p| p.value)
    }

    /// Parses DG2 with the leniency of `options`. Lenient mode tolerates,
    /// with a warning each: an instance count that disagrees with the
    /// templates, a 19794-5 record length or facial record data length a
    /// few bytes off (the bytes present win), bytes after the last facial
    /// image, unknown objects inside the group, bytes after the `75`
    /// object, and a biometric data block that does not decode (kept as
    /// [`FaceData::Undecoded`]).
    ///
    /// # Errors
    /// As [`Dg2::parse`]; in strict mode every defect.
    pub fn parse_with(bytes: &[u8], options: ParseOptions) -> Result<Parsed<Self>, LdsError> {
        let mut diag = Diag::new(EF, options);
        let faces = parse_cbeff(&mut diag, bytes, TAG_DG2, parse_bit)?;
        Ok(diag.finish(Self { faces }))
    }

    /// Encodes DG2.
    ///
    /// # Errors
    /// [`LdsError::Encode`] when there are no faces or more than 255, or a
    /// record cannot be encoded (see [`FacialRecord::to_bytes`]).
    pub fn to_bytes(&self) -> Result<Vec<u8>, LdsError> {
        let n = u8::try_from(self.faces.len())
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| LdsError::Encode {
                ef: EF,
                field: "number of instances",
                reason: format!("{} faces; DG2 holds 1 to 255", self.faces.len()),
            })?;
        let mut group = Vec::new();
        encode_tlv(TAG_COUNT, &[n], &mut group);
        for face in &self.faces {
            let mut bit = Vec::new();
            face.header.encode(&mut bit)?;
            match &face.data {
                FaceData::Iso19794_5(record) => {
                    encode_tlv(TAG_BDB, &record.to_bytes(EF)?, &mut bit);
                }
                FaceData::Iso39794_5(block) => {
                    encode_tlv(TAG_BDB_CONSTRUCTED, block.as_bytes(), &mut bit);
                }
                FaceData::Undecoded { constructed, bytes } => {
                    let tag = if *constructed {
                        TAG_BDB_CONSTRUCTED
                    } else {
                        TAG_BDB
                    };
                    encode_tlv(tag, bytes, &mut bit);
                }
            }
            encode_tlv(TAG_BIT, &bit, &mut group);
        }
        let mut value = Vec::with_capacity(group.len() + 8);
        encode_tlv(TAG_GROUP, &group, &mut value);
        let mut out = Vec::with_capacity(value.len() + 8);
        encode_tlv(TAG_DG2, &value, &mut out);
        Ok(out)
    }
}

/// The CBEFF structure shared by DG2, DG3 and DG4 (ISO/IEC 7816-11,
/// Doc 9303-10 §4.7.2): the root tag, `7F61` with the instance count and
/// one `7F60` per instance, each decoded by `bit`.
pub(crate) fn parse_cbeff<T>(
    diag: &mut Diag,
    bytes: &[u8],
    root_tag: Tag,
    mut bit: impl FnMut(&mut Diag, &Object<'_>) -> Result<T, LdsError>,
) -> Result<Vec<T>, LdsError> {
    let ef = diag.ef();
    let root = lenient_root(diag, bytes, root_tag)?;
    let mut group = None;
    for child in root.children(ef)? {
        match child.tag {
            TAG_GROUP => set_once(ef, &mut group, child)?,
            _ if !diag.strict() => {
                diag.warn(child.offset, Defect::UnexpectedObject { tag: child.tag.0 })?;
            }
            _ => return Err(root.unexpected(ef, &child)),
        }
    }
    let group = group.ok_or_else(|| root.missing(ef, TAG_GROUP))?;
    let mut count = None;
    let mut items = Vec::new();
    for child in group.children(ef)? {
        match child.tag {
            TAG_COUNT if items.is_empty() => set_once(ef, &mut count, child)?,
            TAG_BIT => items.push(bit(diag, &child)?),
            _ if !diag.strict() => {
                diag.warn(child.offset, Defect::UnexpectedObject { tag: child.tag.0 })?;
            }
            _ => return Err(group.unexpected(ef, &child)),
        }
    }
    let count = count.ok_or_else(|| group.missing(ef, TAG_COUNT))?;
    let n = match count.value {
        [n] => usize::from(*n),
        _ => {
            return Err(LdsError::InvalidField {
                ef,
                offset: count.value_offset,
                field: "number of instances",
                reason: format!("{} bytes, expected 1", count.value.len()),
            });
        }
    };
    if items.is_empty() {
        return Err(LdsError::InvalidField {
            ef,
            offset: count.value_offset,
            field: "number of instances",
            reason: format!("says {n}, the group holds no template"),
        });
    }
    if n != items.len() {
        if diag.strict() {
            return Err(LdsError::InvalidField {
                ef,
                offset: count.value_offset,
                field: "number of instances",
                reason: format!("says {n}, the group holds {} templates", items.len()),
            });
        }
        diag.warn(
            count.value_offset,
            Defect::CountMismatch {
                field: "number of instances",
                stated: n,
                found: items.len(),
            },
        )?;
    }
    Ok(items)
}

fn parse_bit(diag: &mut Diag, bit: &Object<'_>) -> Result<FaceRecord, LdsError> {
    let (mut header, mut bdb) = (None, None);
    for child in bit.children(EF)? {
        match child.tag {
            TAG_HEADER => set_once(EF, &mut header, child)?,
            TAG_BDB | TAG_BDB_CONSTRUCTED => set_once(EF, &mut bdb, child)?,
            _ => return Err(bit.unexpected(EF, &child)),
        }
    }
    let header = header.ok_or_else(|| bit.missing(EF, TAG_HEADER))?;
    let bdb = bdb.ok_or_else(|| bit.missing(EF, TAG_BDB))?;
    let header = BiometricHeader::parse(EF, &header)?;
    let decoded = if bdb.tag == TAG_BDB && FacialRecord::is_facial_record(bdb.value) {
        Some(iso19794_5::parse_record(diag, bdb.value, bdb.value_offset).map(FaceData::Iso19794_5))
    } else if bdb.tag == TAG_BDB_CONSTRUCTED {
        Some(Iso39794Face::parse(EF, bdb.value, bdb.value_offset).map(FaceData::Iso39794_5))
    } else {
        None
    };
    let undecoded = || FaceData::Undecoded {
        constructed: bdb.tag == TAG_BDB_CONSTRUCTED,
        bytes: bdb.value.to_vec(),
    };
    let data = match decoded {
        Some(Ok(data)) => data,
        Some(Err(e)) if !diag.strict() && !matches!(e, LdsError::Defect(_)) => {
            diag.warn(
                bdb.value_offset,
                Defect::FieldValue {
                    field: "biometric data block",
                    reason: format!("kept undecoded: {e}"),
                },
            )?;
            undecoded()
        }
        Some(Err(e)) => return Err(e),
        None => undecoded(),
    };
    Ok(FaceRecord { header, data })
}

impl fmt::Display for ImageDataType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Jpeg => f.write_str("JPEG"),
            Self::Jpeg2000 => f.write_str("JPEG 2000"),
            Self::Unassigned(code) => write!(f, "image data type {code:#04X}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn image(bytes: Vec<u8>) -> FaceImage {
        FaceImage {
            face_image_type: FaceImageType::FullFrontal,
            data_type: ImageDataType::Jpeg,
            width: 240,
            height: 320,
            colour_space: ColourSpace::Rgb24,
            source_type: SourceType::StaticPhotoDigitalCamera,
            device_type: 0,
            quality: 0,
            bytes,
        }
    }

    /// The bytes of a one-face DG2 around `record` (a 19794-5 BDB).
    fn wrap(record: &[u8]) -> Vec<u8> {
        let mut bit = Vec::new();
        BiometricHeader::face_19794_5().encode(&mut bit).unwrap();
        encode_tlv(TAG_BDB, record, &mut bit);
        let mut group = vec![0x02, 0x01, 0x01];
        encode_tlv(TAG_BIT, &bit, &mut group);
        let mut value = Vec::new();
        encode_tlv(TAG_GROUP, &group, &mut value);
        mrtd_iso7816::tlv::tlv(TAG_DG2, &value)
    }

    fn record() -> Vec<u8> {
        FacialRecord {
            images: vec![FacialImage::new(image(vec![0xFF, 0xD8, 0xFF, 0xD9]))],
        }
        .to_bytes(EF)
        .unwrap()
    }

    /// Offset of the 19794-5 record inside [`wrap`]'s output.
    fn record_offset(dg2: &[u8]) -> usize {
        dg2.windows(4).position(|w| w == b"FAC\0").unwrap()
    }

    #[test]
    fn from_face_layout() {
        let dg2 = Dg2::from_face(image(vec![1, 2, 3]));
        let bytes = dg2.to_bytes().unwrap();
        // 75 L 7F61 L 02 01 01 7F60 L A1 0E 81 01 02 82 01 00 87 02 01 01 88 02 00 08 5F2E L FAC...
        assert_eq!(bytes[0], 0x75);
        assert_eq!(&bytes[5..8], &[0x02, 0x01, 0x01]);
        let bht = [
            0xA1, 0x0E, 0x81, 0x01, 0x02, 0x82, 0x01, 0x00, 0x87, 0x02, 0x01, 0x01, 0x88, 0x02,
            0x00, 0x08,
        ];
        assert!(bytes.windows(bht.len()).any(|w| w == bht));
        let record = &bytes[record_offset(&bytes)..];
        assert_eq!(&record[..8], &[b"FAC\0".as_slice(), b"010\0"].concat()[..]);
        assert_eq!(
            u32::from_be_bytes(record[8..12].try_into().unwrap()) as usize,
            record.len()
        );
        assert_eq!(&record[12..14], &[0, 1]);
        assert_eq!(
            u32::from_be_bytes(record[14..18].try_into().unwrap()),
            20 + 12 + 3
        );
        assert_eq!(Dg2::parse(&bytes).unwrap(), dg2);
    }

    #[test]
    fn hostile_lengths_are_reported_not_trusted() {
        let good = wrap(&record());
        let at = record_offset(&good);
        Dg2::parse(&good).unwrap();

        // Record length larger than the data block.
        let mut bytes = good.clone();
        bytes[at + 8..at + 12].copy_from_slice(&0xFFFF_FFF0u32.to_be_bytes());
        assert!(matches!(
            Dg2::parse(&bytes),
            Err(LdsError::InvalidField { field: "record length", offset, .. }) if offset == at + 8
        ));

        // Facial record data length beyond the bytes left.
        let mut bytes = good.clone();
        bytes[at + 14..at + 18].copy_from_slice(&0x7FFF_FFFFu32.to_be_bytes());
        assert!(matches!(
            Dg2::parse(&bytes),
            Err(LdsError::InvalidField { field: "facial record data length", offset, .. }) if offset == at + 14
        ));

        // Facial record data length below the fixed blocks.
        let mut bytes = good.clone();
        bytes[at + 14..at + 18].copy_from_slice(&8u32.to_be_bytes());
        assert!(matches!(
            Dg2::parse(&bytes),
            Err(LdsError::InvalidField {
                field: "facial record data length",
                ..
            })
        ));

        // 65535 feature points announced in a tiny record.
        let mut bytes = good.clone();
        bytes[at + 18..at + 20].copy_from_slice(&[0xFF, 0xFF]);
        assert!(matches!(
            Dg2::parse(&bytes),
            Err(LdsError::InvalidField { field: "number of feature points", offset, .. }) if offset == at + 18
        ));

        // More images announced than present: the second one is truncated.
        let mut bytes = good.clone();
        bytes[at + 12..at + 14].copy_from_slice(&[0x00, 0x02]);
        assert!(matches!(
            Dg2::parse(&bytes),
            Err(LdsError::Truncated { .. })
        ));

        // No images.
        let mut bytes = good.clone();
        bytes[at + 12..at + 14].copy_from_slice(&[0x00, 0x00]);
        assert!(matches!(
            Dg2::parse(&bytes),
            Err(LdsError::InvalidField {
                field: "number of facial images",
                ..
            })
        ));

        // ISO/IEC 19794-5:2011 ("030\0") is not the 2005 format.
        let mut bytes = good.clone();
        bytes[at + 4..at + 8].copy_from_slice(b"030\0");
        assert!(matches!(
            Dg2::parse(&bytes),
            Err(LdsError::InvalidField {
                field: "version",
                ..
            })
        ));

        // A record with bytes after its last image.
        let mut rec = record();
        rec.push(0);
        let len = rec.len() as u32;
        rec[8..12].copy_from_slice(&len.to_be_bytes());
        assert!(matches!(
            Dg2::parse(&wrap(&rec)),
            Err(LdsError::InvalidField {
                field: "facial record",
                ..
            })
        ));
    }

    #[test]
    fn cbeff_structure_errors() {
        let good = wrap(&record());
        // Instance count 2 with one template.
        let mut bytes = good.clone();
        let count_at = bytes
            .windows(3)
            .position(|w| w == [0x02, 0x01, 0x01])
            .unwrap();
        bytes[count_at + 2] = 2;
        assert!(matches!(
            Dg2::parse(&bytes),
            Err(LdsError::InvalidField {
                field: "number of instances",
                ..
            })
        ));
        // Format owner missing.
        let mut header = BiometricHeader::face_19794_5();
        header.other.push((0x90, vec![1]));
        let mut bit = Vec::new();
        header.encode(&mut bit).unwrap();
        let bit = {
            // Drop 87 02 01 01 from the header.
            let i = bit
                .windows(4)
                .position(|w| w == [0x87, 0x02, 0x01, 0x01])
                .unwrap();
            let mut b = bit.clone();
            b.drain(i..i + 4);
            b[1] -= 4;
            b
        };
        let mut t = bit.clone();
        encode_tlv(TAG_BDB, &record(), &mut t);
        let mut group = vec![0x02, 0x01, 0x01];
        encode_tlv(TAG_BIT, &t, &mut group);
        let dg2 = mrtd_iso7816::tlv::tlv(TAG_DG2, &mrtd_iso7816::tlv::tlv(TAG_GROUP, &group));
        assert!(matches!(
            Dg2::parse(&dg2),
            Err(LdsError::MissingObject {
                tag: TAG_FORMAT_OWNER,
                parent: TAG_HEADER,
                ..
            })
        ));
        // Format owner of 3 bytes.
        let header = mrtd_iso7816::tlv::tlv(TAG_HEADER, &[0x87, 0x03, 1, 1, 1, 0x88, 0x02, 0, 8]);
        let mut t = header.clone();
        encode_tlv(TAG_BDB, &record(), &mut t);
        let mut group = vec![0x02, 0x01, 0x01];
        encode_tlv(TAG_BIT, &t, &mut group);
        let dg2 = mrtd_iso7816::tlv::tlv(TAG_DG2, &mrtd_iso7816::tlv::tlv(TAG_GROUP, &group));
        assert!(matches!(
            Dg2::parse(&dg2),
            Err(LdsError::InvalidField {
                field: "format owner",
                offset: 15,
                ..
            })
        ));
        // Reserved tags cannot be smuggled in through `other`.
        let mut header = BiometricHeader::face_19794_5();
        header.other.push((0x87, vec![1, 1]));
        assert!(matches!(
            header.encode(&mut Vec::new()),
            Err(LdsError::Encode { .. })
        ));
    }

    #[test]
    fn debug_hides_face_bytes() {
        let dg2 = Dg2::from_face(image(vec![0xAB; 40]));
        let debug = format!("{dg2:?}");
        assert!(
            debug.contains("<40 bytes>") && !debug.contains("171"),
            "{debug}"
        );
        let undecoded = FaceData::Undecoded {
            constructed: false,
            bytes: vec![0xAB; 7],
        };
        assert!(format!("{undecoded:?}").contains("<7 bytes>"));
    }

    fn arb_image() -> impl Strategy<Value = FaceImage> {
        (
            any::<[u8; 4]>(),
            any::<[u16; 4]>(),
            any::<[u8; 2]>(),
            prop::collection::vec(any::<u8>(), 0..64),
        )
            .prop_map(|(t, [w, h, d, q], [cs, st], bytes)| FaceImage {
                face_image_type: t[0].into(),
                data_type: t[1].into(),
                width: w,
                height: h,
                colour_space: cs.into(),
                source_type: st.into(),
                device_type: d,
                quality: q,
                bytes,
            })
    }

    fn arb_facial_image() -> impl Strategy<Value = FacialImage> {
        (
            any::<[u8; 3]>(),
            0u32..=0xFF_FFFF,
            any::<u16>(),
            any::<[u8; 6]>(),
            prop::collection::vec(any::<(u8, u8, u16, u16, u16)>(), 0..4),
            arb_image(),
        )
            .prop_map(|([g, e, h], feature_mask, expression, p, points, image)| {
                FacialImage {
                    gender: g.into(),
                    eye_colour: e.into(),
                    hair_colour: h.into(),
                    feature_mask,
                    expression: expression.into(),
                    pose_angle: PoseAngle {
                        yaw: p[0],
                        pitch: p[1],
                        roll: p[2],
                    },
                    pose_angle_uncertainty: PoseAngle {
                        yaw: p[3],
                        pitch: p[4],
                        roll: p[5],
                    },
                    feature_points: points
                        .into_iter()
                        .map(|(point_type, code, x, y, reserved)| FeaturePoint {
                            point_type,
                            code,
                            x,
                            y,
                            reserved,
                        })
                        .collect(),
                    image,
                }
            })
    }

    fn arb_header() -> impl Strategy<Value = BiometricHeader> {
        (
            prop::option::of(any::<[u8; 2]>()),
            prop::option::of(prop::collection::vec(any::<u8>(), 1..=3)),
            prop::option::of(any::<u8>()),
            prop::option::of(any::<[u8; 7]>()),
            prop::option::of(any::<[u8; 8]>()),
            prop::option::of(prop::collection::vec(any::<u8>(), 0..6)),
            any::<(u16, u16)>(),
            prop::collection::vec(
                (0x89u32..=0x9E, prop::collection::vec(any::<u8>(), 0..4)),
                0..2,
            ),
        )
            .prop_map(
                |(v, t, s, c, p, cr, (owner, ftype), other)| BiometricHeader {
                    icao_header_version: v,
                    biometric_type: t,
                    biometric_subtype: s,
                    creation_date_time: c,
                    validity_period: p,
                    creator: cr,
                    format_owner: owner,
                    format_type: ftype,
                    other,
                },
            )
    }

    fn arb_face() -> impl Strategy<Value = FaceRecord> {
        let data = prop_oneof![
            prop::collection::vec(arb_facial_image(), 1..3)
                .prop_map(|images| FaceData::Iso19794_5(FacialRecord { images })),
            prop::collection::vec(any::<u8>(), 0..40)
                // A 5F2E block starting with "FAC\0" would be decoded as a
                // 19794-5 record, and every 7F2E block as 39794-5, so
                // undecoded ones are neither.
                .prop_filter("not a facial record", |b| !b.starts_with(b"FAC\0"))
                .prop_map(|bytes| FaceData::Undecoded {
                    constructed: false,
                    bytes
                }),
            (
                prop::collection::vec(any::<u8>(), 0..40),
                prop::option::of(any::<(u16, u16)>())
            )
                .prop_map(|(image, size)| FaceData::Iso39794_5(
                    Iso39794Face::from_image(&image, iso39794_5::ImageDataFormat::Jpeg, size)
                )),
        ];
        (arb_header(), data).prop_map(|(header, data)| FaceRecord { header, data })
    }

    proptest! {
        #[test]
        fn round_trip(faces in prop::collection::vec(arb_face(), 1..3)) {
            let dg2 = Dg2 { faces };
            let bytes = dg2.to_bytes().unwrap();
            let back = Dg2::parse(&bytes).unwrap();
            prop_assert_eq!(&back, &dg2);
            prop_assert_eq!(back.to_bytes().unwrap(), bytes);
        }

        #[test]
        fn never_panics(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
            let _ = Dg2::parse(&bytes);
            let _ = FacialRecord::parse(EF, &bytes, 0);
        }

        #[test]
        fn never_panics_on_mutated_records(pos in 0usize..200, byte in any::<u8>(), cut in 0usize..200) {
            let face = Dg2::from_face(image(vec![0x55; 64])).to_bytes().unwrap();
            let mut bytes = face.clone();
            let i = pos % bytes.len();
            bytes[i] = byte;
            if let Ok(dg2) = Dg2::parse(&bytes) {
                prop_assert_eq!(Dg2::parse(&dg2.to_bytes().unwrap()).unwrap(), dg2);
            }
            let _ = Dg2::parse(&face[..cut.min(face.len())]);
            // Fuzz the record itself, with fixed-up outer lengths.
            let at = record_offset(&face);
            let mut rec = face[at..].to_vec();
            let j = pos % rec.len();
            rec[j] = byte;
            let _ = Dg2::parse(&wrap(&rec));
        }
    }
}
