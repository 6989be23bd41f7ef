//! Decoding the images of an eMRTD — the DG2 face, the DG5 displayed
//! portrait, the DG7 displayed signature — to RGB, and exporting them as
//! PNG.
//!
//! - JPEG (ISO/IEC 10918) through `image` (jpeg + png only);
//! - JPEG 2000 (ISO/IEC 15444-1), both the JP2 box format and a raw J2K
//!   codestream, through `hayro-jpeg2000`, a memory-safe pure-Rust decoder
//!   (see `shared/dependencies.md` §5 for why not openjpeg: chip-supplied
//!   images are hostile input, and openjpeg's C has a long CVE history);
//! - WSQ (DG3 fingerprints) is recognised but not decoded: export it raw.
//!
//! A separate crate so that `mrtd-lds` stays free of image decoders: the
//! protocol, session and virtual-passport layers never decode pixels, and
//! the decoder dependency tree (and its build time) is paid only by those
//! that show images.
//!
//! Every decode is bounded: images larger than [`MAX_PIXELS`] are refused
//! from their header, before any pixel buffer is allocated.
//!
//! ```no_run
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let dg2 = mrtd_lds::Dg2::parse(&std::fs::read("EF.DG2.bin")?)?;
//! let face = dg2.images().next().ok_or("no face")?;
//! let rgb = mrtd_face::decode(&face.bytes)?;
//! std::fs::write("face.png", rgb.to_png()?)?;
//! # Ok(()) }
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

use core::fmt;
use std::io::Cursor;

pub use mrtd_lds::ImageFormat;

/// The most pixels a decode may produce (a 4096 × 4096 image, 48 MiB of
/// RGB): an order of magnitude above any passport photo (ISO/IEC 39794-5
/// tokens are below 1000 × 1000), small enough that a hostile header
/// cannot exhaust memory.
pub const MAX_PIXELS: u64 = 4096 * 4096;

/// What went wrong decoding an image.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FaceError {
    /// A format this crate does not decode (WSQ, unknown); export the
    /// bytes as they are instead.
    #[error("{0} images are not decoded (export them as they are)")]
    Unsupported(ImageFormat),
    /// An image whose header announces more than [`MAX_PIXELS`].
    #[error("image of {width} x {height} pixels exceeds the limit of {MAX_PIXELS} pixels")]
    TooLarge {
        /// Width.
        width: u64,
        /// Height.
        height: u64,
    },
    /// The JPEG decoder refused the data.
    #[error("JPEG: {0}")]
    Jpeg(String),
    /// The JPEG 2000 decoder refused the data.
    #[error("JPEG 2000: {0}")]
    Jpeg2000(String),
    /// PNG encoding failed.
    #[error("PNG: {0}")]
    Png(String),
}

/// A decoded image: 8-bit RGB, row by row.
#[derive(Clone, PartialEq, Eq)]
pub struct RgbImage {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// `width * height * 3` bytes, R G B per pixel.
    pub pixels: Vec<u8>,
    /// The format it was decoded from.
    pub format: ImageFormat,
}

/// Pixels are biometric data: the debug view shows the size only.
impl fmt::Debug for RgbImage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RgbImage")
            .field("width", &self.width)
            .field("height", &self.height)
            .field("format", &self.format)
            .finish_non_exhaustive()
    }
}

impl RgbImage {
    /// The image as a PNG file.
    ///
    /// # Errors
    /// [`FaceError::Png`] if the encoder fails (it does not for a
    /// consistent image).
    pub fn to_png(&self) -> Result<Vec<u8>, FaceError> {
        let mut out = Vec::new();
        image::ImageEncoder::write_image(
            image::codecs::png::PngEncoder::new(&mut out),
            &self.pixels,
            self.width,
            self.height,
            image::ExtendedColorType::Rgb8,
        )
        .map_err(|e| FaceError::Png(e.to_string()))?;
        Ok(out)
    }
}

/// Decodes a JPEG or JPEG 2000 image (format by its signature).
///
/// # Errors
/// [`FaceError::Unsupported`] for other formats, the decoder's error for
/// broken data, [`FaceError::TooLarge`] for an image above [`MAX_PIXELS`].
pub fn decode(bytes: &[u8]) -> Result<RgbImage, FaceError> {
    match ImageFormat::detect(bytes) {
        ImageFormat::Jpeg => decode_jpeg(bytes),
        ImageFormat::Jp2 | ImageFormat::J2k => decode_jpeg2000(bytes),
        other => Err(FaceError::Unsupported(other)),
    }
}

fn check_size(width: u64, height: u64) -> Result<(), FaceError> {
    if width.saturating_mul(height) > MAX_PIXELS {
        return Err(FaceError::TooLarge { width, height });
    }
    Ok(())
}

/// Decodes a JPEG.
///
/// # Errors
/// As [`decode`].
pub fn decode_jpeg(bytes: &[u8]) -> Result<RgbImage, FaceError> {
    let jpeg = |e: image::ImageError| FaceError::Jpeg(e.to_string());
    let mut reader = image::ImageReader::with_format(Cursor::new(bytes), image::ImageFormat::Jpeg);
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(16_384);
    limits.max_image_height = Some(16_384);
    limits.max_alloc = Some(MAX_PIXELS * 4);
    reader.limits(limits);
    let (w, h) = reader.into_dimensions().map_err(jpeg)?;
    check_size(u64::from(w), u64::from(h))?;
    let mut reader = image::ImageReader::with_format(Cursor::new(bytes), image::ImageFormat::Jpeg);
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(MAX_PIXELS * 4);
    reader.limits(limits);
    let img = reader.decode().map_err(jpeg)?.into_rgb8();
    Ok(RgbImage {
        width: img.width(),
        height: img.height(),
        pixels: img.into_raw(),
        format: ImageFormat::Jpeg,
    })
}

/// Decodes JPEG 2000, a JP2 file or a raw codestream.
///
/// # Errors
/// As [`decode`].
pub fn decode_jpeg2000(bytes: &[u8]) -> Result<RgbImage, FaceError> {
    use hayro_jpeg2000::{ColorSpace, DecodeSettings, DecoderContext, Image};
    let j2k = |e: hayro_jpeg2000::DecodeError| FaceError::Jpeg2000(e.to_string());
    let format = ImageFormat::detect(bytes);
    let image = Image::new(bytes, &DecodeSettings::default()).map_err(j2k)?;
    let (width, height) = (image.width(), image.height());
    check_size(u64::from(width), u64::from(height))?;
    let channels = usize::from(image.color_space().num_channels());
    let alpha = usize::from(image.has_alpha());
    let color_space = image.color_space().clone();
    let mut ctx = DecoderContext::default();
    let decoded = image.decode(&mut ctx).map_err(j2k)?;
    let data = decoded.data_u8();
    let stride = channels + alpha;
    let pixels_n = (width as usize) * (height as usize);
    if channels == 0 || data.len() != pixels_n * stride {
        return Err(FaceError::Jpeg2000(format!(
            "decoder returned {} samples for {width} x {height} x {stride}",
            data.len()
        )));
    }
    let mut pixels = Vec::with_capacity(pixels_n * 3);
    for px in data.chunks_exact(stride) {
        match (&color_space, channels) {
            (ColorSpace::CMYK, 4) => {
                let k = 255 - u16::from(px[3]);
                for c in &px[..3] {
                    pixels.push(((255 - u16::from(*c)) * k / 255) as u8);
                }
            }
            (_, 1 | 2) => pixels.extend_from_slice(&[px[0], px[0], px[0]]),
            (_, _) => pixels.extend_from_slice(&px[..3]),
        }
    }
    Ok(RgbImage {
        width,
        height,
        pixels,
        format,
    })
}

/// The width and height an image's header states, without decoding the
/// pixels (JPEG and JPEG 2000).
///
/// # Errors
/// As [`decode`].
pub fn dimensions(bytes: &[u8]) -> Result<(u32, u32), FaceError> {
    match ImageFormat::detect(bytes) {
        ImageFormat::Jpeg => {
            image::ImageReader::with_format(Cursor::new(bytes), image::ImageFormat::Jpeg)
                .into_dimensions()
                .map_err(|e| FaceError::Jpeg(e.to_string()))
        }
        ImageFormat::Jp2 | ImageFormat::J2k => {
            let image =
                hayro_jpeg2000::Image::new(bytes, &hayro_jpeg2000::DecodeSettings::default())
                    .map_err(|e| FaceError::Jpeg2000(e.to_string()))?;
            Ok((image.width(), image.height()))
        }
        other => Err(FaceError::Unsupported(other)),
    }
}
