//! The image boundary: reads an image's header (probe), plans the files a
//! figure publishes (variants), and makes them into a cache folder that
//! survives builds (Store). It is the only code that names `image`,
//! `fast_image_resize`, `webp`, `jpeg_encoder` and `exif`, and it names no
//! stage: a caller hands it paths and settings and gets back files.
//!
//! Decisions:
//! - Crates. `image` decodes (its JPEG decoder is zune-jpeg, with SIMD) and
//!   reads dimensions and the EXIF chunk from the header alone;
//!   `fast_image_resize` resizes (Lanczos3 with SSE4.1/AVX2/NEON, several
//!   times faster than `image`'s own resize); `jpeg-encoder` encodes JPEG
//!   (with AVX2 about 4x faster than `image`'s encoder at the same quality);
//!   the `webp` crate binds libwebp, the reference encoder, because `image`
//!   writes lossless WebP only; `image` writes PNG; `kamadak-exif` reads
//!   GPS tags from the EXIF chunk.
//! - Lossy WebP at `quality` for JPEG and WebP sources: they are photos,
//!   where lossless WebP is several times larger than the JPEG it sits
//!   beside. PNG sources (and lossless WebP ones) are usually charts, maps
//!   and screenshots, so their WebP is lossless unless it comes out much
//!   larger than a lossy one (a photo saved as PNG): see
//!   `encode::webp_for_png`, where the measurement behind the rule is.
//! - No AVIF (yet): the one Rust AV1 encoder, rav1e (through `ravif`),
//!   needs NASM for its x86_64 fast paths (its README says so), and
//!   neither the development machine nor CI has it (checked: no `nasm` on
//!   the PATH); how slow it is without them was not measured. A later
//!   format is one more `Format` and encoder here.
//! - Outputs carry no metadata at all: pixels are decoded and re-encoded,
//!   and none of the encoders is given EXIF, XMP, ICC or text chunks. EXIF
//!   orientation is applied to the pixels first. GIF and SVG are published
//!   as they are (animation, vectors), one file each.
//! - Decompression bombs: dimensions are checked from the header before any
//!   pixel is decoded (at most [`MAX_PIXELS`]), and decoders get
//!   `image::Limits` with a 1 GiB allocation ceiling.
//! - Every file name is derived from the source bytes' SHA-256 and the
//!   encoder settings, so a cached file never needs invalidating: a change
//!   of source or settings is a new name.

mod encode;
mod probe;
mod store;

#[cfg(test)]
mod tests;

use sha2::{Digest, Sha256};
use std::path::Path;

pub use store::Store;

/// The largest image (in pixels, as width x height) that is decoded: about
/// 100 megapixels, four times a high-end camera's photo. Larger headers are
/// a decompression bomb or a scan nobody should publish as is.
pub const MAX_PIXELS: u64 = 100_000_000;

/// The largest image file read: a picture is a few megabytes, a
/// scanner's or a medium-format camera's some tens; past this, a file
/// named `.jpg` is something else (a video, a disk image) and is refused
/// before it is read into memory.
pub const MAX_SOURCE_BYTES: u64 = 250_000_000;

/// Bumped whenever an encoder, its settings or the resizing changes what
/// bytes a variant gets: it is part of every fingerprint, so the published
/// names (and the cache entries) change with it.
const ENCODER_VERSION: u32 = 2;

/// An image format attache reads and publishes.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum Format {
    Jpeg,
    Png,
    Gif,
    Webp,
    Svg,
}

impl Format {
    /// Every format, in the order above.
    pub const ALL: [Format; 5] = [
        Format::Jpeg,
        Format::Png,
        Format::Gif,
        Format::Webp,
        Format::Svg,
    ];

    /// The format a file's extension names (case-insensitive: `.jpg`,
    /// `.jpeg`, `.png`, `.gif`, `.webp`, `.svg`), if any.
    pub fn from_path(path: &Path) -> Option<Format> {
        Format::from_name(path.extension()?.to_str()?)
    }

    /// The format a name names, as in config (`webp`, `jpeg`, `jpg`, ...),
    /// case-insensitive.
    pub fn from_name(name: &str) -> Option<Format> {
        match name.to_ascii_lowercase().as_str() {
            "jpg" | "jpeg" => Some(Format::Jpeg),
            "png" => Some(Format::Png),
            "gif" => Some(Format::Gif),
            "webp" => Some(Format::Webp),
            "svg" => Some(Format::Svg),
            _ => None,
        }
    }

    /// The extension published files get.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::Gif => "gif",
            Format::Webp => "webp",
            Format::Svg => "svg",
        }
    }

    /// The media type, for `<source type>` and the server.
    pub fn mime(self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::Gif => "image/gif",
            Format::Webp => "image/webp",
            Format::Svg => "image/svg+xml",
        }
    }

    /// Whether files of this format are published untouched (one file, no
    /// resizing): GIF (animation) and SVG (vectors).
    pub fn passes_through(self) -> bool {
        matches!(self, Format::Gif | Format::Svg)
    }
}

/// How raster images are published (`figures:` in attache.yaml).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Settings {
    /// The `srcset` widths; an original is never enlarged.
    pub widths: Vec<u32>,
    /// Formats published besides the original's (GIF and SVG are ignored).
    pub formats: Vec<Format>,
    /// JPEG and lossy WebP quality, 1..=100 (values outside are clamped).
    pub quality: u8,
}

impl Default for Settings {
    /// The defaults of attache.yaml: 480, 960 and 1600 wide, WebP besides
    /// the original, quality 80.
    fn default() -> Settings {
        Settings {
            widths: vec![480, 960, 1600],
            formats: vec![Format::Webp],
            quality: 80,
        }
    }
}

/// What the header of an image says, plus the bytes' identity.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Probe {
    /// Dimensions as displayed (after EXIF orientation); for an SVG, its
    /// `width`/`height` in pixels, else its `viewBox`, else 300 x 150.
    pub width: u32,
    pub height: u32,
    /// The format of the bytes (which may differ from the extension's).
    pub format: Format,
    /// The EXIF orientation, 1..=8 (1 when there is none).
    pub orientation: u8,
    /// Whether the EXIF holds a GPS position (latitude or longitude).
    pub gps: bool,
    /// The file's size in bytes.
    pub len: u64,
    /// The hex SHA-256 of the file's bytes.
    pub hash: String,
}

/// Why an image cannot be probed or published. The first five are about
/// the source file (the `bad-image` check); `Cache` is about the cache
/// folder.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Problem {
    /// The file cannot be read.
    Unreadable { error: String },
    /// The bytes are no image of a supported format.
    Unsupported { detail: String },
    /// The file ends before its image does (an interrupted copy or download).
    Truncated { format: Format },
    /// The image's data is damaged.
    Corrupt { format: Format, detail: String },
    /// Larger than [`MAX_PIXELS`] (or than its format allows).
    TooLarge { width: u32, height: u32 },
    /// The file changed between probing and processing it.
    Changed,
    /// The cache folder cannot be made or written.
    Cache { path: String, error: String },
}

impl Problem {
    /// What is wrong, for the user.
    pub fn message(&self) -> String {
        match self {
            Problem::Unreadable { error } => format!("cannot read the image: {error}"),
            Problem::Unsupported { detail } => format!("not a supported image: {detail}"),
            Problem::Truncated { format } => format!(
                "the {} image is truncated: the file ends before the image does",
                format_name(*format)
            ),
            Problem::Corrupt { format, detail } => {
                format!("the {} image is damaged: {detail}", format_name(*format))
            }
            Problem::TooLarge { width, height } => format!(
                "the image is {width} x {height} pixels, more than attache decodes ({} megapixels)",
                MAX_PIXELS / 1_000_000
            ),
            Problem::Changed => "the image changed while the site was being built".to_string(),
            Problem::Cache { path, error } => {
                format!("cannot write the image cache at {path}: {error}")
            }
        }
    }

    /// How to fix it.
    pub fn hint(&self) -> String {
        match self {
            Problem::Unreadable { .. } => {
                "check that the file exists and that you may read it".to_string()
            }
            Problem::Unsupported { .. } => {
                "attache publishes JPEG, PNG, WebP, GIF and SVG; export the image in one of them"
                    .to_string()
            }
            Problem::Truncated { .. } => {
                "copy or download the image again, or re-export it".to_string()
            }
            Problem::Corrupt { .. } => {
                "open the image in an image editor and export it again".to_string()
            }
            Problem::TooLarge { .. } => {
                "scale the image down before adding it (4000 pixels wide is plenty)".to_string()
            }
            Problem::Changed => "build again once the file is saved".to_string(),
            Problem::Cache { .. } => {
                "make the folder writable, or point `cache:` in attache.yaml (or --cache) elsewhere"
                    .to_string()
            }
        }
    }

    /// Whether the problem is the cache folder's rather than the image's.
    pub fn is_cache(&self) -> bool {
        matches!(self, Problem::Cache { .. })
    }
}

fn format_name(format: Format) -> &'static str {
    match format {
        Format::Jpeg => "JPEG",
        Format::Png => "PNG",
        Format::Gif => "GIF",
        Format::Webp => "WebP",
        Format::Svg => "SVG",
    }
}

/// One published file of an image.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Variant {
    pub width: u32,
    pub height: u32,
    pub format: Format,
    /// The file name under `/media/`:
    /// `<stem-slug>.<fingerprint10>.<width>.<ext>`, or
    /// `<stem-slug>.<fingerprint10>.<ext>` for GIF and SVG.
    pub name: String,
}

/// The files an image publishes, by the rule in the design: every
/// configured width the original reaches, plus the original's own width
/// when it is narrower than the largest configured one (so there is always
/// at least one, and nothing is enlarged); for each, the original's format
/// (a WebP source: WebP only) and then each of `settings.formats`. Ordered
/// by format, then width ascending. GIF and SVG: the one untouched file.
pub fn variants(probe: &Probe, settings: &Settings, stem: &str) -> Vec<Variant> {
    let slug = match crate::slug::slugify(stem) {
        s if s.is_empty() => "image".to_string(),
        s => s,
    };
    if probe.format.passes_through() {
        let fingerprint = fingerprint(&probe.hash, None);
        return vec![Variant {
            width: probe.width,
            height: probe.height,
            format: probe.format,
            name: format!("{slug}.{fingerprint}.{}", probe.format.extension()),
        }];
    }
    let fingerprint = fingerprint(&probe.hash, Some(quality(settings)));
    let widths = planned_widths(probe.width, &settings.widths);
    let mut formats = vec![probe.format];
    for &f in &settings.formats {
        if !f.passes_through() && !formats.contains(&f) {
            formats.push(f);
        }
    }
    let mut out = Vec::with_capacity(formats.len() * widths.len());
    for format in formats {
        for &width in &widths {
            out.push(Variant {
                width,
                height: scaled_height(probe.width, probe.height, width),
                format,
                name: format!("{slug}.{fingerprint}.{width}.{}", format.extension()),
            });
        }
    }
    out
}

/// The widths an original `width` pixels wide is published at, ascending.
fn planned_widths(width: u32, configured: &[u32]) -> Vec<u32> {
    let mut widths: Vec<u32> = configured
        .iter()
        .copied()
        .filter(|&w| w > 0 && w <= width)
        .collect();
    let largest = configured.iter().copied().max().unwrap_or(0);
    if width < largest || widths.is_empty() {
        widths.push(width);
    }
    widths.sort_unstable();
    widths.dedup();
    widths
}

/// The height of a `width`-wide copy of a `w0` x `h0` image, rounded, at
/// least 1.
fn scaled_height(w0: u32, h0: u32, width: u32) -> u32 {
    if width == w0 {
        return h0;
    }
    let h = (u64::from(h0) * u64::from(width) + u64::from(w0) / 2) / u64::from(w0.max(1));
    u32::try_from(h.max(1)).unwrap_or(u32::MAX)
}

fn quality(settings: &Settings) -> u8 {
    settings.quality.clamp(1, 100)
}

/// The first 10 hex digits of SHA-256 over the source's hash and the
/// encoder settings (`None`: copied untouched).
fn fingerprint(hash: &str, quality: Option<u8>) -> String {
    let settings = match quality {
        Some(q) => format!("quality {q}"),
        None => "copy".to_string(),
    };
    let digest = Sha256::digest(format!("{hash}\n{settings}\nencoder {ENCODER_VERSION}"));
    hex(&digest[..5])
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
