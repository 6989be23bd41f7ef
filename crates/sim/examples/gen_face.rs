//! Draws the virtual passport's face image: a clearly synthetic cartoon
//! face (no real person), 360×480, encoded as a baseline JPEG of
//! 22–40 KiB so DG2 is realistically large (Doc 9303-10 §4.7.2: real DG2s
//! are 15–20 KB and more).
//!
//! ```text
//! cargo run -p mrtd-sim --example gen_face [-- OUT.jpg]
//! ```
//!
//! Default output: `test-vectors/sim/face.jpg`. Everything is
//! deterministic: the drawing is a pure function of the pixel position, and
//! the skin/cloth texture comes from a fixed-seed SplitMix64 stream, so the
//! same `image` version writes the same bytes.

use std::error::Error;
use std::path::PathBuf;

use image::codecs::jpeg::JpegEncoder;
use image::{Rgb, RgbImage};

const WIDTH: u32 = 360;
const HEIGHT: u32 = 480;
/// Supersampling per axis, for smooth (anti-aliased) outlines.
const SS: u32 = 3;
/// Seed of the noise texture.
const NOISE_SEED: u64 = 0x6d72_7464_2d66_6163; // "mrtd-fac"
/// Size window for the JPEG, in bytes.
const MIN_SIZE: usize = 22 * 1024;
const MAX_SIZE: usize = 40 * 1024;
/// Size the quality search aims below, leaving headroom under MAX_SIZE.
const TARGET_SIZE: usize = 34 * 1024;

type Color = [f32; 3];

const BACKGROUND_TOP: Color = [214.0, 224.0, 233.0];
const BACKGROUND_BOTTOM: Color = [232.0, 236.0, 240.0];
const SKIN: Color = [236.0, 190.0, 152.0];
const SKIN_SHADOW: Color = [196.0, 140.0, 104.0];
const HAIR: Color = [58.0, 40.0, 30.0];
const HAIR_SHINE: Color = [96.0, 70.0, 52.0];
const CLOTH: Color = [38.0, 58.0, 96.0];
const COLLAR: Color = [240.0, 240.0, 236.0];
const EYE_WHITE: Color = [246.0, 246.0, 242.0];
const IRIS: Color = [92.0, 62.0, 36.0];
const PUPIL: Color = [16.0, 12.0, 10.0];
const LIP: Color = [196.0, 108.0, 104.0];
const LIP_LINE: Color = [128.0, 60.0, 58.0];
const LINE: Color = [120.0, 78.0, 60.0];

fn main() -> Result<(), Box<dyn Error>> {
    let out = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../test-vectors/sim/face.jpg"
            ))
        });

    let img = render();
    let (quality, jpeg) = encode_for_size(&img)?;
    if !(MIN_SIZE..=MAX_SIZE).contains(&jpeg.len()) {
        return Err(format!(
            "JPEG is {} bytes at quality {quality}, outside {MIN_SIZE}..={MAX_SIZE}",
            jpeg.len()
        )
        .into());
    }
    // Baseline DCT only (SOF0); DG2 readers in the field choke on
    // progressive JPEG more often than on anything else.
    if !has_marker(&jpeg, 0xC0) || has_marker(&jpeg, 0xC2) {
        return Err("encoder did not produce a baseline (SOF0) JPEG".into());
    }
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(&out, &jpeg)?;
    println!(
        "wrote {} ({} bytes, {WIDTH}x{HEIGHT}, JPEG quality {quality})",
        out.display(),
        jpeg.len()
    );
    Ok(())
}

/// Highest quality whose output fits under [`TARGET_SIZE`].
fn encode_for_size(img: &RgbImage) -> Result<(u8, Vec<u8>), Box<dyn Error>> {
    let mut best = None;
    for quality in (50..=95).rev() {
        let mut buf = Vec::new();
        JpegEncoder::new_with_quality(&mut buf, quality).encode_image(img)?;
        let fits = buf.len() <= TARGET_SIZE;
        best = Some((quality, buf));
        if fits {
            break;
        }
    }
    best.ok_or_else(|| "no quality tried".into())
}

/// True if the JPEG has a `FF xx` marker segment before the scan data.
fn has_marker(jpeg: &[u8], marker: u8) -> bool {
    let mut i = 2; // after SOI
    while let (Some(&0xFF), Some(&m)) = (jpeg.get(i), jpeg.get(i + 1)) {
        if m == marker {
            return true;
        }
        if m == 0xDA {
            return false; // start of scan: no more frame headers
        }
        let Some(len) = jpeg.get(i + 2..i + 4) else {
            return false;
        };
        i += 2 + usize::from(u16::from_be_bytes([len[0], len[1]]));
    }
    false
}

fn render() -> RgbImage {
    let mut noise = SplitMix64(NOISE_SEED);
    RgbImage::from_fn(WIDTH, HEIGHT, |px, py| {
        let mut acc = [0.0f32; 3];
        for sy in 0..SS {
            for sx in 0..SS {
                let x = px as f32 + (sx as f32 + 0.5) / SS as f32;
                let y = py as f32 + (sy as f32 + 0.5) / SS as f32;
                let c = shade(x, y);
                for k in 0..3 {
                    acc[k] += c[k];
                }
            }
        }
        let n = (SS * SS) as f32;
        // Low-amplitude luminance grain plus a little chroma noise, like
        // sensor noise on a real photo; it gives the JPEG realistic entropy.
        let grain = noise.next_signed() * 5.0;
        let mut out = [0u8; 3];
        for k in 0..3 {
            let v = acc[k] / n + grain + noise.next_signed() * 1.5;
            out[k] = v.round().clamp(0.0, 255.0) as u8;
        }
        Rgb(out)
    })
}

/// Colour of the scene at (x, y), layers painted back to front.
fn shade(x: f32, y: f32) -> Color {
    let cx = WIDTH as f32 / 2.0;

    // Plain light background with a soft vertical gradient (ICAO photos
    // use a uniform light background).
    let mut c = mix(BACKGROUND_TOP, BACKGROUND_BOTTOM, y / HEIGHT as f32);

    // Shoulders and a jacket.
    let shoulders = ellipse(x, y, cx, 560.0, 178.0, 150.0);
    if shoulders < 1.0 {
        c = mix(CLOTH, scale(CLOTH, 0.7), ((x - cx).abs() / 178.0).powi(2));
        // Shirt collar: a V of white under the chin.
        if y > 408.0
            && (x - cx).abs() < (y - 408.0) * 0.55 + 6.0
            && (x - cx).abs() > (y - 430.0) * 0.9
        {
            c = COLLAR;
        }
    }

    // Neck.
    if (x - cx).abs() < 44.0
        && y > 330.0
        && y < 440.0
        && !(y > 408.0 && (x - cx).abs() > (y - 408.0) * 0.55 + 6.0 && shoulders < 1.0)
    {
        let shadow = if y < 372.0 { 0.55 } else { 0.15 };
        c = mix(
            SKIN,
            SKIN_SHADOW,
            shadow + ((x - cx).abs() / 44.0).powi(4) * 0.3,
        );
    }

    // Hair behind the head.
    let back_hair = ellipse(x, y, cx, 205.0, 128.0, 158.0);
    if back_hair < 1.0 && y < 300.0 {
        c = hair(x, y);
    }

    // Ears.
    for side in [-1.0f32, 1.0] {
        let e = ellipse(x, y, cx + side * 116.0, 232.0, 17.0, 30.0);
        if e < 1.0 {
            c = mix(SKIN, SKIN_SHADOW, 0.25 + 0.5 * e);
            if ellipse(x, y, cx + side * 118.0, 234.0, 7.0, 16.0) < 1.0 {
                c = mix(SKIN, SKIN_SHADOW, 0.7);
            }
        }
    }

    // Face: an egg shape (wider at the cheekbones than at the chin), lit
    // from the upper left.
    let face_cy = 228.0;
    let ry = 150.0;
    let taper = if y > face_cy {
        1.0 - 0.18 * ((y - face_cy) / ry).powi(2)
    } else {
        1.0
    };
    let face = ellipse(x, y, cx, face_cy, 116.0 * taper, ry);
    if face < 1.0 {
        let light = ((x - (cx - 40.0)) / 180.0).powi(2) + ((y - 170.0) / 260.0).powi(2);
        c = mix(
            SKIN,
            SKIN_SHADOW,
            (0.1 + 0.55 * face.powi(3) + 0.35 * light).min(1.0),
        );
        // Cheeks: a faint warm blush.
        for side in [-1.0f32, 1.0] {
            let b = ellipse(x, y, cx + side * 62.0, 272.0, 26.0, 16.0);
            if b < 1.0 {
                c = mix(c, [226.0, 150.0, 132.0], 0.25 * (1.0 - b));
            }
        }
        c = facial_features(x, y, cx, c);
    }

    // Fringe: hair over the forehead above a curved hairline.
    let hairline = 118.0 + 0.0035 * (x - cx).powi(2) - 10.0 * ((x - cx - 20.0) / 60.0).sin();
    if back_hair < 1.0 && y < hairline && (face < 1.2 || y < 150.0) {
        c = hair(x, y);
    }
    c
}

fn facial_features(x: f32, y: f32, cx: f32, mut c: Color) -> Color {
    let eye_y = 226.0;
    for side in [-1.0f32, 1.0] {
        let ex = cx + side * 44.0;
        // Eyebrow: a thick arc.
        let t = (x - ex) / 26.0;
        if t.abs() <= 1.0 {
            let brow_y = eye_y - 30.0 - 7.0 * (1.0 - t * t) + side * t * 2.0;
            let thickness = 5.0 * (1.0 - 0.5 * t.abs());
            if (y - brow_y).abs() < thickness {
                c = HAIR;
            }
        }
        // Eye: white, iris, pupil, highlight, upper lid line.
        let white = ellipse(x, y, ex, eye_y, 22.0, 10.5);
        if white < 1.0 {
            c = EYE_WHITE;
            let d = ((x - ex).powi(2) + (y - eye_y).powi(2)).sqrt();
            if d < 9.5 {
                c = mix(IRIS, scale(IRIS, 0.6), d / 9.5);
            }
            if d < 4.2 {
                c = PUPIL;
            }
            if ((x - ex + 3.0).powi(2) + (y - eye_y + 3.0).powi(2)).sqrt() < 1.8 {
                c = EYE_WHITE;
            }
        }
        if (1.0..1.35).contains(&white) && y < eye_y + 2.0 {
            c = scale(LINE, 0.6);
        }
        // Soft shadow under the eye.
        let under = ellipse(x, y, ex, eye_y + 14.0, 20.0, 5.0);
        if under < 1.0 && white >= 1.35 {
            c = mix(c, SKIN_SHADOW, 0.2 * (1.0 - under));
        }
    }

    // Nose: a shaded ridge on the shadow side, a tip, nostrils.
    if y > 236.0 && y < 282.0 && (x - (cx + 9.0 + (y - 236.0) * 0.05)).abs() < 1.6 {
        c = mix(c, SKIN_SHADOW, 0.55);
    }
    let tip = ellipse(x, y, cx, 282.0, 15.0, 9.0);
    if tip < 1.0 {
        c = mix(c, SKIN_SHADOW, 0.25 * (1.0 - tip) + 0.1);
    }
    for side in [-1.0f32, 1.0] {
        if ellipse(x, y, cx + side * 9.0, 287.0, 5.0, 2.8) < 1.0 {
            c = mix(SKIN_SHADOW, LIP_LINE, 0.5);
        }
    }

    // Mouth: closed, neutral expression (as ICAO photo rules require).
    let lips = ellipse(x, y, cx, 320.0, 33.0, 9.5);
    if lips < 1.0 {
        c = mix(LIP, scale(LIP, 0.8), if y < 320.0 { 0.4 } else { 0.0 });
        let line_y = 320.0 + 0.002 * (x - cx).powi(2);
        if (y - line_y).abs() < 1.3 {
            c = LIP_LINE;
        }
    }
    // Chin shadow.
    let chin = ellipse(x, y, cx, 356.0, 26.0, 7.0);
    if chin < 1.0 {
        c = mix(c, SKIN_SHADOW, 0.2 * (1.0 - chin));
    }
    c
}

/// Hair with diagonal strands and a shine band.
fn hair(x: f32, y: f32) -> Color {
    let strand = ((x * 0.9 + y * 0.35) * 0.45).sin() * 0.5 + 0.5;
    let shine = (-((y - 95.0 + 0.002 * (x - 150.0).powi(2)) / 14.0).powi(2)).exp();
    mix(
        mix(HAIR, scale(HAIR, 0.75), strand),
        HAIR_SHINE,
        0.6 * shine,
    )
}

/// Normalised squared distance to an ellipse's centre: < 1 inside.
fn ellipse(x: f32, y: f32, cx: f32, cy: f32, rx: f32, ry: f32) -> f32 {
    ((x - cx) / rx).powi(2) + ((y - cy) / ry).powi(2)
}

fn mix(a: Color, b: Color, t: f32) -> Color {
    let t = t.clamp(0.0, 1.0);
    [
        a[0] + (b[0] - a[0]) * t,
        a[1] + (b[1] - a[1]) * t,
        a[2] + (b[2] - a[2]) * t,
    ]
}

fn scale(a: Color, f: f32) -> Color {
    [a[0] * f, a[1] * f, a[2] * f]
}

/// SplitMix64 (Steele, Lea, Flood 2014): a tiny, well-mixed, fixed
/// algorithm, so the texture never changes with a dependency upgrade.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in [-1, 1).
    fn next_signed(&mut self) -> f32 {
        (self.next() >> 40) as f32 / (1u64 << 23) as f32 - 1.0
    }
}
