//! Which image format a byte string is, by its magic number: what DG2,
//! DG5, DG7, DG11 (proof of citizenship), DG12 (document images) and the
//! biometric data blocks of DG3/DG4 carry.

use core::fmt;

use serde::Serialize;

/// An image format recognised by its signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ImageFormat {
    /// JPEG (ISO/IEC 10918), `FF D8 FF`.
    Jpeg,
    /// JPEG 2000 in the JP2 box format (ISO/IEC 15444-1 Annex I).
    Jp2,
    /// A raw JPEG 2000 codestream (`FF 4F FF 51`).
    J2k,
    /// WSQ fingerprint image (`FF A0` then a WSQ marker).
    Wsq,
    /// PNG.
    Png,
    /// Anything else.
    Unknown,
}

impl ImageFormat {
    /// The format of `bytes`.
    #[must_use]
    pub fn detect(bytes: &[u8]) -> Self {
        const JP2: [u8; 12] = [
            0, 0, 0, 0x0C, b'j', b'P', b' ', b' ', 0x0D, 0x0A, 0x87, 0x0A,
        ];
        match bytes {
            [0xFF, 0xD8, 0xFF, ..] => Self::Jpeg,
            [0xFF, 0x4F, 0xFF, 0x51, ..] => Self::J2k,
            // SOI, then a table or comment marker (FFA2..FFA8).
            [0xFF, 0xA0, 0xFF, 0xA2..=0xA8, ..] => Self::Wsq,
            [0x89, b'P', b'N', b'G', ..] => Self::Png,
            _ if bytes.starts_with(&JP2) => Self::Jp2,
            _ => Self::Unknown,
        }
    }

    /// A file extension for exporting the image as it is.
    #[must_use]
    pub fn extension(self) -> &'static str {
        match self {
            Self::Jpeg => "jpg",
            Self::Jp2 => "jp2",
            Self::J2k => "j2k",
            Self::Wsq => "wsq",
            Self::Png => "png",
            Self::Unknown => "bin",
        }
    }
}

impl fmt::Display for ImageFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Jpeg => "JPEG",
            Self::Jp2 => "JPEG 2000 (JP2)",
            Self::J2k => "JPEG 2000 (codestream)",
            Self::Wsq => "WSQ",
            Self::Png => "PNG",
            Self::Unknown => "unknown format",
        })
    }
}
