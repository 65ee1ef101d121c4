//! Probing: what an image's bytes are, read from the header without
//! decoding a pixel, and whether the file is whole.
//!
//! The truncation checks walk the container (JPEG segments and scans, PNG
//! chunks) by their lengths, so they cost about one pass of `memchr` over
//! the bytes. A JPEG is whole once its scans reach the EOI marker; bytes
//! after it (zero padding, or the video a "motion photo" appends) are
//! allowed. A PNG is whole once its IEND chunk is there, a GIF once its
//! last byte (before zero padding) is the trailer `;`, a WebP once the file
//! holds the length its RIFF header gives.

use super::{Format, MAX_PIXELS, Probe, Problem, hex};
use image::{ImageDecoder, ImageError, ImageFormat, ImageReader, Limits};
use sha2::{Digest, Sha256};
use std::io::Cursor;

/// The format the bytes are in, by their signature; SVG by an `<svg` tag
/// in text.
pub(super) fn sniff(bytes: &[u8]) -> Option<Format> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(Format::Jpeg)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(Format::Png)
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some(Format::Gif)
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some(Format::Webp)
    } else if svg_root(bytes).is_some() {
        Some(Format::Svg)
    } else {
        None
    }
}

/// The probe of an image file's bytes.
pub(super) fn probe(bytes: &[u8]) -> Result<Probe, Problem> {
    if bytes.is_empty() {
        return Err(Problem::Unsupported {
            detail: "the file is empty".to_string(),
        });
    }
    let Some(format) = sniff(bytes) else {
        return Err(Problem::Unsupported {
            detail: "the file does not start like a JPEG, PNG, WebP, GIF or SVG image".to_string(),
        });
    };
    let (width, height, orientation, gps) = match format {
        Format::Svg => {
            let (w, h) = svg_size(bytes)?;
            (w, h, 1, false)
        }
        _ => {
            if truncated(format, bytes) {
                return Err(Problem::Truncated { format });
            }
            raster_header(format, bytes)?
        }
    };
    Ok(Probe {
        width,
        height,
        format,
        orientation,
        gps,
        len: bytes.len() as u64,
        hash: hash(bytes),
    })
}

/// The hex SHA-256 of `bytes`.
pub(super) fn hash(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// The limits every decoder gets: 1 GiB of allocations (a 100-megapixel
/// RGBA image is 400 MB).
pub(super) fn limits() -> Limits {
    let mut limits = Limits::default();
    limits.max_alloc = Some(1 << 30);
    limits
}

pub(super) fn image_format(format: Format) -> ImageFormat {
    match format {
        Format::Jpeg => ImageFormat::Jpeg,
        Format::Png => ImageFormat::Png,
        Format::Gif => ImageFormat::Gif,
        Format::Webp => ImageFormat::WebP,
        // Never decoded; SVG is probed by `svg_size`.
        Format::Svg => ImageFormat::Png,
    }
}

/// The problem an `image` error means for an image of `format`.
pub(super) fn problem(format: Format, err: ImageError) -> Problem {
    match err {
        ImageError::IoError(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
            Problem::Truncated { format }
        }
        ImageError::Limits(_) => Problem::Corrupt {
            format,
            detail: "decoding it would need more memory than attache allows".to_string(),
        },
        ImageError::Unsupported(e) => Problem::Unsupported {
            detail: e.to_string(),
        },
        e => Problem::Corrupt {
            format,
            detail: e.to_string(),
        },
    }
}

/// Runs a decoder step, turning a panic inside a decoder (which should
/// never happen, but the bytes are anyone's) into a `Corrupt` problem.
pub(super) fn guarded<T>(
    format: Format,
    step: impl FnOnce() -> Result<T, Problem>,
) -> Result<T, Problem> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(step)).unwrap_or_else(|_| {
        Err(Problem::Corrupt {
            format,
            detail: "the decoder could not make sense of it".to_string(),
        })
    })
}

/// Displayed width and height, EXIF orientation and GPS presence, from the
/// header.
fn raster_header(format: Format, bytes: &[u8]) -> Result<(u32, u32, u8, bool), Problem> {
    guarded(format, || {
        let mut reader = ImageReader::with_format(Cursor::new(bytes), image_format(format));
        reader.limits(limits());
        let mut decoder = reader.into_decoder().map_err(|e| problem(format, e))?;
        let (w, h) = decoder.dimensions();
        check_size(w, h)?;
        // A damaged EXIF block is not worth refusing the image for: it is
        // dropped from the outputs anyway.
        let exif = decoder.exif_metadata().ok().flatten();
        let orientation = exif
            .as_deref()
            .and_then(image::metadata::Orientation::from_exif_chunk)
            .map_or(1, |o| o.to_exif());
        let gps = exif.is_some_and(has_gps);
        let (w, h) = if (5..=8).contains(&orientation) {
            (h, w)
        } else {
            (w, h)
        };
        Ok((w, h, orientation, gps))
    })
}

/// Refuses empty images and decompression bombs.
pub(super) fn check_size(width: u32, height: u32) -> Result<(), Problem> {
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(Problem::TooLarge { width, height });
    }
    if width == 0 || height == 0 {
        return Err(Problem::Unsupported {
            detail: format!("the image is {width} x {height} pixels"),
        });
    }
    Ok(())
}

/// Whether a raw EXIF chunk (a TIFF structure) holds a GPS position.
fn has_gps(chunk: Vec<u8>) -> bool {
    let Ok(exif) = exif::Reader::new().read_raw(chunk) else {
        return false;
    };
    [exif::Tag::GPSLatitude, exif::Tag::GPSLongitude]
        .iter()
        .any(|&tag| exif.get_field(tag, exif::In::PRIMARY).is_some())
}

/// Whether the file ends before its image does.
fn truncated(format: Format, bytes: &[u8]) -> bool {
    match format {
        Format::Jpeg => !jpeg_complete(bytes),
        Format::Png => !png_complete(bytes),
        Format::Gif => {
            let end = bytes.iter().rposition(|&b| b != 0);
            end.is_none_or(|i| bytes[i] != b';')
        }
        Format::Webp => {
            let riff = u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]);
            (bytes.len() as u64) < u64::from(riff) + 8
        }
        Format::Svg => false,
    }
}

/// Whether the JPEG's segments and scans run, whole, up to an EOI marker.
fn jpeg_complete(bytes: &[u8]) -> bool {
    let mut at = 2; // after SOI
    loop {
        // Markers may be preceded by fill bytes 0xFF.
        while bytes.get(at) == Some(&0xFF) && bytes.get(at + 1) == Some(&0xFF) {
            at += 1;
        }
        let (Some(&0xFF), Some(&marker)) = (bytes.get(at), bytes.get(at + 1)) else {
            return false;
        };
        at += 2;
        match marker {
            0xD9 => return true,
            // Markers without a length.
            0x01 | 0xD0..=0xD7 => continue,
            _ => {}
        }
        let Some(len) = bytes.get(at..at + 2) else {
            return false;
        };
        at += usize::from(u16::from_be_bytes([len[0], len[1]]));
        if marker == 0xDA {
            // Entropy-coded data: it ends at the first 0xFF that is not a
            // stuffed zero or a restart marker.
            loop {
                let Some(i) = bytes.get(at..).and_then(memchr_ff) else {
                    return false;
                };
                at += i;
                match bytes.get(at + 1) {
                    None => return false,
                    Some(0x00 | 0xD0..=0xD7) => at += 2,
                    Some(0xFF) => at += 1,
                    Some(_) => break,
                }
            }
        }
    }
}

fn memchr_ff(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == 0xFF)
}

/// Whether the PNG's chunks run, whole, up to IEND.
fn png_complete(bytes: &[u8]) -> bool {
    let mut at = 8;
    while let Some(head) = bytes.get(at..at + 8) {
        let len = u32::from_be_bytes([head[0], head[1], head[2], head[3]]) as usize;
        let end = at.saturating_add(12).saturating_add(len);
        if end > bytes.len() {
            return false;
        }
        if &head[4..8] == b"IEND" {
            return true;
        }
        at = end;
    }
    false
}

/// The `<svg ...>` start tag (its attributes' text), if the bytes are an
/// SVG document: text whose first element is `svg`.
fn svg_root(bytes: &[u8]) -> Option<&str> {
    let text = std::str::from_utf8(bytes).ok()?;
    let text = text.trim_start_matches('\u{feff}');
    let mut rest = text;
    // Skip the prolog: whitespace, <?xml ...?>, comments, <!DOCTYPE ...>.
    loop {
        rest = rest.trim_start();
        if let Some(r) = rest.strip_prefix("<?") {
            rest = &r[r.find("?>")? + 2..];
        } else if let Some(r) = rest.strip_prefix("<!--") {
            rest = &r[r.find("-->")? + 3..];
        } else if let Some(r) = rest.strip_prefix("<!") {
            rest = &r[r.find('>')? + 1..];
        } else {
            break;
        }
    }
    let attrs = rest.strip_prefix("<svg")?;
    if !attrs.starts_with(|c: char| c.is_whitespace() || c == '>' || c == '/') {
        return None;
    }
    // The tag ends at the first `>` outside quotes.
    let mut quote = None;
    for (i, c) in attrs.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(&attrs[..i]),
            _ => {}
        }
    }
    None
}

/// An SVG's size in CSS pixels: its `width` and `height` (unitless, px,
/// in, cm, mm, pt or pc), the missing one from the `viewBox`'s aspect, or
/// the `viewBox`'s size; else the 300 x 150 browsers give a replaced
/// element of unknown size. An SVG whose root element never ends is
/// truncated.
fn svg_size(bytes: &[u8]) -> Result<(u32, u32), Problem> {
    let attrs = svg_root(bytes).ok_or(Problem::Truncated {
        format: Format::Svg,
    })?;
    let self_closing = attrs.trim_end().ends_with('/');
    let text = String::from_utf8_lossy(bytes);
    if !self_closing && !text.contains("</svg") {
        return Err(Problem::Truncated {
            format: Format::Svg,
        });
    }
    let width = attribute(attrs, "width").and_then(length);
    let height = attribute(attrs, "height").and_then(length);
    let view_box = attribute(attrs, "viewBox").and_then(|v| {
        let n: Vec<f64> = v
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|s| !s.is_empty())
            .map(|s| s.parse::<f64>().ok())
            .collect::<Option<_>>()?;
        match n[..] {
            [_, _, w, h] if w > 0.0 && h > 0.0 && w.is_finite() && h.is_finite() => Some((w, h)),
            _ => None,
        }
    });
    let (w, h) = match (width, height, view_box) {
        (Some(w), Some(h), _) => (w, h),
        (Some(w), None, Some((vw, vh))) => (w, w * vh / vw),
        (None, Some(h), Some((vw, vh))) => (h * vw / vh, h),
        (None, None, Some(size)) => size,
        _ => (300.0, 150.0),
    };
    let px = |v: f64| v.round().clamp(1.0, f64::from(u32::MAX)) as u32;
    Ok((px(w), px(h)))
}

/// The value of attribute `name` in a start tag's attribute text.
fn attribute<'a>(attrs: &'a str, name: &str) -> Option<&'a str> {
    let mut rest = attrs;
    loop {
        rest = rest.trim_start();
        let eq = rest.find('=')?;
        let key = rest[..eq].trim();
        let value = rest[eq + 1..].trim_start();
        let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let value = &value[1..];
        let end = value.find(quote)?;
        // A key is the last word before `=` (so a valueless attribute
        // before it does not hide it).
        if key.rsplit(char::is_whitespace).next() == Some(name) {
            return Some(&value[..end]);
        }
        rest = &value[end + 1..];
    }
}

/// A CSS length in pixels; `None` for percentages and font-relative units.
fn length(value: &str) -> Option<f64> {
    let value = value.trim();
    let split = value
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-' || c == '+' || c == 'e'))
        .unwrap_or(value.len());
    let (number, unit) = value.split_at(split);
    let number: f64 = number.parse().ok()?;
    let scale = match unit.trim() {
        "" | "px" => 1.0,
        "in" => 96.0,
        "cm" => 96.0 / 2.54,
        "mm" => 96.0 / 25.4,
        "pt" => 96.0 / 72.0,
        "pc" => 16.0,
        _ => return None,
    };
    let px = number * scale;
    (px.is_finite() && px > 0.0).then_some(px)
}
