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

use super::probe::{check_size, guarded, image_format, limits, problem};
use super::{Format, Probe, Problem, Variant};
use fast_image_resize as fr;
use image::{DynamicImage, ImageDecoder, ImageEncoder, ImageReader};
use rayon::prelude::*;
use std::borrow::Cow;
use std::io::Cursor;

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
    let lossless_webp = probe.format == Format::Png
        && variants
            .iter()
            .filter(|v| v.format == Format::Webp)
            .min_by_key(|v| v.width)
            .map(|v| webp_for_png(pixels(v), quality))
            .transpose()?
            .unwrap_or(false);
    variants
        .par_iter()
        .map(|v| encode(pixels(v), v.format, quality, lossless_webp))
        .collect()
}

/// The source's pixels, decoded under the limits, with its EXIF orientation
/// applied.
fn decode(bytes: &[u8], format: Format) -> Result<Pixels, Problem> {
    guarded(format, || {
        let mut reader = ImageReader::with_format(Cursor::new(bytes), image_format(format));
        reader.limits(limits());
        let mut decoder = reader.into_decoder().map_err(|e| problem(format, e))?;
        let (w, h) = decoder.dimensions();
        check_size(w, h)?;
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

/// Whether a PNG source's WebP copies are lossless. PNGs are mostly charts,
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

/// How much larger than lossy a PNG's lossless WebP may be and still be
/// chosen. Measured at 480 pixels wide, quality 80 (`cargo test --release
/// --lib media::tests::webp_sizes_of_a_chart_and_a_photo -- --ignored
/// --nocapture`): a bar chart with anti-aliased text came out lossless
/// 0.5x the lossy size, a photo-like image 4x; 1.5 sits between with room
/// on both sides.
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
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, quality);
    encoder.set_optimized_huffman_tables(true);
    encoder
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
    PngEncoder::new_with_quality(&mut out, CompressionType::Default, FilterType::Adaptive)
        .write_image(&pixels.data, pixels.width, pixels.height, color)
        .map_err(|e| Problem::Corrupt {
            format: Format::Png,
            detail: format!("encoding failed: {e}"),
        })?;
    Ok(out)
}

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
    let memory = encoder
        .encode_simple(lossless, f32::from(quality))
        .map_err(|e| Problem::Corrupt {
            format: Format::Webp,
            detail: format!("encoding failed: {e:?}"),
        })?;
    Ok(memory.to_vec())
}
