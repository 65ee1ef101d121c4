//! Making variants: decode once, apply the EXIF orientation, resize with
//! Lanczos3, encode each variant. Only pixels reach the encoders, so no
//! metadata of the source survives.
//!
//! The largest width is resized from the source; the smaller ones from
//! that copy, which is already at least as sharp as they can show and a
//! fraction of the source's pixels (4000 x 3000 to 1600 x 1200 is 6x
//! fewer). Resizes and encodes of one image run in parallel (rayon), and
//! each variant's bytes depend only on its own inputs, so the output is the
//! same whatever the thread count.

use super::probe::{guarded, problem};
use super::{Format, Probe, Problem, Variant};
use fast_image_resize as fr;
use image::{DynamicImage, ImageDecoder, ImageEncoder};
use rayon::prelude::*;
use std::borrow::Cow;

/// Decoded pixels, 8 bits per channel: RGB, or RGBA when `alpha`.
#[derive(Clone)]
struct Pixels {
    width: u32,
    height: u32,
    alpha: bool,
    data: Vec<u8>,
}

/// The bytes of each of `variants` (all of one raster source whose bytes
/// are `bytes` and whose probe is `probe`), in order.
pub(super) fn encode_all(
    bytes: &[u8],
    probe: &Probe,
    variants: &[Variant],
    quality: u8,
) -> Result<Vec<Vec<u8>>, Problem> {
    let source = decode(bytes, probe.format)?;
    if (source.width, source.height) != (probe.width, probe.height) {
        return Err(Problem::Changed);
    }
    let mut sizes: Vec<(u32, u32)> = variants.iter().map(|v| (v.width, v.height)).collect();
    sizes.sort_unstable_by(|a, b| b.cmp(a));
    sizes.dedup();
    let Some((&(w, h), smaller)) = sizes.split_first() else {
        return Ok(Vec::new());
    };
    let largest = resize(Cow::Owned(source), w, h)?;
    let smaller = smaller
        .par_iter()
        .map(|&(w, h)| resize(Cow::Borrowed(&largest), w, h))
        .collect::<Result<Vec<_>, _>>()?;
    let pixels = |v: &Variant| {
        std::iter::once(&largest)
            .chain(&smaller)
            .find(|p| (p.width, p.height) == (v.width, v.height))
            .expect("every variant's size was resized")
    };
    let lossless_source = match probe.format {
        Format::Png => true,
        Format::Webp => webp_is_lossless(bytes),
        _ => false,
    };
    let lossless_webp = lossless_source
        && variants
            .iter()
            .filter(|v| v.format == Format::Webp)
            .min_by_key(|v| v.width)
            .map(|v| webp_for_png(pixels(v), quality))
            .transpose()?
            .unwrap_or(false);
    let upright = probe.orientation <= 1;
    variants
        .par_iter()
        .map(|v| match v.format {
            // A PNG published at its own size is the source's own
            // compression (a chart's palette, say, which a re-encode as
            // full colour would double), less every chunk that is not
            // the picture itself.
            Format::Png
                if probe.format == Format::Png
                    && upright
                    && (v.width, v.height) == (probe.width, probe.height) =>
            {
                Ok(png_without_metadata(bytes))
            }
            _ => encode(pixels(v), v.format, quality, lossless_webp),
        })
        .collect()
}

/// The chunks of a PNG that make the picture (and how to show its
/// colours); text, EXIF, time stamps, physical size and animation are
/// left out.
const PNG_PICTURE_CHUNKS: &[&[u8; 4]] = &[
    b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT",
    b"bKGD",
];

/// `bytes` (a whole PNG: the probe checked its chunks run to IEND) with
/// only the chunks in [`PNG_PICTURE_CHUNKS`].
fn png_without_metadata(bytes: &[u8]) -> Vec<u8> {
    let mut out = bytes[..8].to_vec();
    let mut at = 8;
    while at + 12 <= bytes.len() {
        let len =
            u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]) as usize;
        let end = (at + 12).saturating_add(len).min(bytes.len());
        let kind = &bytes[at + 4..at + 8];
        if PNG_PICTURE_CHUNKS.iter().any(|k| k.as_slice() == kind) {
            out.extend_from_slice(&bytes[at..end]);
        }
        if kind == b"IEND" {
            break;
        }
        at = end;
    }
    out
}

/// The source's pixels, decoded under the limits, with its EXIF orientation
/// applied.
fn decode(bytes: &[u8], format: Format) -> Result<Pixels, Problem> {
    guarded(format, || {
        let mut decoder = super::probe::decoder(bytes, format)?;
        let orientation = decoder
            .orientation()
            .unwrap_or(image::metadata::Orientation::NoTransforms);
        let mut image = DynamicImage::from_decoder(decoder).map_err(|e| problem(format, e))?;
        image.apply_orientation(orientation);
        let (width, height) = (image.width(), image.height());
        let alpha = image.color().has_alpha();
        let pixels = if alpha {
            let data = image.into_rgba8().into_raw();
            if data.chunks_exact(4).all(|p| p[3] == u8::MAX) {
                // Opaque after all: encoders do better without the channel.
                Pixels {
                    width,
                    height,
                    alpha: false,
                    data: data
                        .chunks_exact(4)
                        .flat_map(|p| [p[0], p[1], p[2]])
                        .collect(),
                }
            } else {
                Pixels {
                    width,
                    height,
                    alpha: true,
                    data,
                }
            }
        } else {
            Pixels {
                width,
                height,
                alpha: false,
                data: image.into_rgb8().into_raw(),
            }
        };
        Ok(pixels)
    })
}

/// `source` at `width` x `height` (Lanczos3; alpha is premultiplied for
/// the resize, so transparent pixels do not darken the edges).
fn resize(source: Cow<'_, Pixels>, width: u32, height: u32) -> Result<Pixels, Problem> {
    if (source.width, source.height) == (width, height) {
        return Ok(source.into_owned());
    }
    let kind = if source.alpha {
        fr::PixelType::U8x4
    } else {
        fr::PixelType::U8x3
    };
    let failed = |e: &dyn std::fmt::Display| Problem::Corrupt {
        format: Format::Png,
        detail: format!("resizing failed: {e}"),
    };
    let from = fr::images::ImageRef::new(source.width, source.height, &source.data, kind)
        .map_err(|e| failed(&e))?;
    let mut to = fr::images::Image::new(width, height, kind);
    let options =
        fr::ResizeOptions::new().resize_alg(fr::ResizeAlg::Convolution(fr::FilterType::Lanczos3));
    fr::Resizer::new()
        .resize(&from, &mut to, &options)
        .map_err(|e| failed(&e))?;
    Ok(Pixels {
        width,
        height,
        alpha: source.alpha,
        data: to.into_vec(),
    })
}

/// Whether a PNG (or lossless WebP) source's WebP copies are lossless. PNGs are mostly charts,
/// maps and screenshots: flat colours and sharp text, which lossless WebP
/// keeps exactly and usually in fewer bytes than lossy WebP (whose 4:2:0
/// chroma smears coloured lines). A photo saved as PNG is the exception:
/// there lossless WebP is several times the lossy size. So the smallest
/// WebP variant is encoded both ways and lossless wins unless it is more
/// than [`LOSSLESS_WEBP_RATIO`] times the lossy size; the measurements are
/// in that constant's comment.
fn webp_for_png(pixels: &Pixels, quality: u8) -> Result<bool, Problem> {
    let lossless = webp(pixels, quality, true)?.len() as f64;
    let lossy = webp(pixels, quality, false)?.len() as f64;
    Ok(lossless <= lossy * LOSSLESS_WEBP_RATIO)
}

/// Whether a WebP file is lossless (its image is a `VP8L` chunk): then it
/// is treated like a PNG, as it most likely was one.
fn webp_is_lossless(bytes: &[u8]) -> bool {
    let mut at = 12;
    while let Some(head) = bytes.get(at..at + 8) {
        if &head[..4] == b"VP8L" {
            return true;
        }
        if &head[..4] == b"VP8 " {
            return false;
        }
        let len = u32::from_le_bytes([head[4], head[5], head[6], head[7]]) as usize;
        at = at
            .saturating_add(8)
            .saturating_add(len.saturating_add(len % 2));
    }
    false
}

/// How much larger than lossy a PNG's lossless WebP may be and still be
/// chosen. Measured at 480 pixels wide, quality 80 (`cargo test --release
/// --lib media::tests::webp_sizes_of_a_chart_and_a_photo -- --ignored
/// --nocapture`): a bar chart came out lossless at 0.76x the lossy size, a
/// textured photo at 23x (one of pixel noise at 11x); 1.5 sits between
/// with room on both sides.
const LOSSLESS_WEBP_RATIO: f64 = 1.5;

fn encode(
    pixels: &Pixels,
    format: Format,
    quality: u8,
    lossless_webp: bool,
) -> Result<Vec<u8>, Problem> {
    match format {
        Format::Jpeg => jpeg(pixels, quality),
        Format::Png => png(pixels),
        Format::Webp => webp(pixels, quality, lossless_webp),
        Format::Gif | Format::Svg => unreachable!("GIF and SVG are copied, never encoded"),
    }
}

fn jpeg(pixels: &Pixels, quality: u8) -> Result<Vec<u8>, Problem> {
    let too_large = || Problem::TooLarge {
        width: pixels.width,
        height: pixels.height,
    };
    let width = u16::try_from(pixels.width).map_err(|_| too_large())?;
    let height = u16::try_from(pixels.height).map_err(|_| too_large())?;
    let rgb: Cow<'_, [u8]> = if pixels.alpha {
        Cow::Owned(flatten_on_white(&pixels.data))
    } else {
        Cow::Borrowed(&pixels.data)
    };
    let mut out = Vec::new();
    // Optimized Huffman tables would save a few per cent, but zune-jpeg
    // 0.5 (the decoder in `image`) decodes jpeg-encoder 0.7's optimized
    // tables wrongly (blue comes out dark green; libjpeg reads them
    // right), so the standard tables it is.
    jpeg_encoder::Encoder::new(&mut out, quality)
        .encode(&rgb, width, height, jpeg_encoder::ColorType::Rgb)
        .map_err(|e| Problem::Corrupt {
            format: Format::Jpeg,
            detail: format!("encoding failed: {e}"),
        })?;
    Ok(out)
}

/// RGBA composited onto white, as RGB: for a JPEG copy of a transparent
/// image.
fn flatten_on_white(rgba: &[u8]) -> Vec<u8> {
    rgba.chunks_exact(4)
        .flat_map(|p| {
            let a = u16::from(p[3]);
            let over = |c: u8| ((u16::from(c) * a + 255 * (255 - a) + 127) / 255) as u8;
            [over(p[0]), over(p[1]), over(p[2])]
        })
        .collect()
}

fn png(pixels: &Pixels) -> Result<Vec<u8>, Problem> {
    use image::codecs::png::{CompressionType, FilterType, PngEncoder};
    let mut out = Vec::new();
    let color = if pixels.alpha {
        image::ExtendedColorType::Rgba8
    } else {
        image::ExtendedColorType::Rgb8
    };
    PngEncoder::new_with_quality(&mut out, CompressionType::Best, FilterType::Adaptive)
        .write_image(&pixels.data, pixels.width, pixels.height, color)
        .map_err(|e| Problem::Corrupt {
            format: Format::Png,
            detail: format!("encoding failed: {e}"),
        })?;
    Ok(out)
}

/// libwebp's effort, 0 (fastest) to 6; cwebp's default is 4. Measured on
/// a textured 4000 x 3000 photo to 1600 pixels wide at quality 80
/// (`one_camera_jpeg_cold` in media's tests): method 4 took about 210 ms
/// and 81.5 KB, method 3 the same, method 2 about 85 ms and 85.7 KB. Five
/// per cent more bytes for two and a half times the speed: 2.
const WEBP_METHOD: i32 = 2;

/// WebP's largest width or height.
const WEBP_MAX: u32 = 16383;

fn webp(pixels: &Pixels, quality: u8, lossless: bool) -> Result<Vec<u8>, Problem> {
    if pixels.width > WEBP_MAX || pixels.height > WEBP_MAX {
        return Err(Problem::TooLarge {
            width: pixels.width,
            height: pixels.height,
        });
    }
    let layout = if pixels.alpha {
        webp::PixelLayout::Rgba
    } else {
        webp::PixelLayout::Rgb
    };
    let encoder = webp::Encoder::new(&pixels.data, layout, pixels.width, pixels.height);
    let mut config = webp::WebPConfig::new().map_err(|()| Problem::Corrupt {
        format: Format::Webp,
        detail: "libwebp refused its default configuration".to_string(),
    })?;
    config.lossless = i32::from(lossless);
    config.alpha_compression = i32::from(!lossless);
    config.quality = f32::from(quality);
    config.method = WEBP_METHOD;
    let memory = encoder
        .encode_advanced(&config)
        .map_err(|e| Problem::Corrupt {
            format: Format::Webp,
            detail: format!("encoding failed: {e:?}"),
        })?;
    Ok(memory.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_png_at_its_own_size_keeps_its_compression_and_loses_its_metadata() {
        let img =
            image::RgbImage::from_fn(30, 20, |x, y| image::Rgb([x as u8 * 8, y as u8 * 12, 90]));
        let mut plain = std::io::Cursor::new(Vec::new());
        img.write_to(&mut plain, image::ImageFormat::Png).unwrap();
        let plain = plain.into_inner();
        // A text chunk after IHDR (8 + 25 bytes), as an editor's software
        // writes the author or a place into it.
        let mut tagged = plain[..33].to_vec();
        let text = b"Comment\0taken at 39.03N 125.76E";
        tagged.extend((text.len() as u32).to_be_bytes());
        tagged.extend(b"tEXt");
        tagged.extend(text);
        tagged.extend([0, 0, 0, 0]);
        tagged.extend(&plain[33..]);
        let stripped = png_without_metadata(&tagged);
        assert_eq!(stripped, plain);
        assert!(!stripped.windows(4).any(|w| w == b"tEXt"));
    }
}
