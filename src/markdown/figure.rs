//! Pictures in bodies: what a body is told of an image file (`Picture`:
//! its published files, URLs and size), what the front matter says of a
//! figure (`FigureMeta`: alt text, caption, credit), and the HTML of both.
//!
//! An image alone in its paragraph is a figure (`<figure>` with a
//! `<figcaption>` holding the caption and credit); one inside text stays an
//! inline `<img>`. Both get `width` and `height` (no layout shift), a
//! `srcset` of every width, a `<source>` per modern format and
//! `decoding="async"`; every one but the body's first is `loading="lazy"`.

use std::path::PathBuf;
use std::sync::Arc;

/// An image file of the site as published: what its `<img>` and
/// `<source>` elements say. Made by `resolve` from the file's probe and the
/// site's figure settings; equal pictures give equal HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    /// The source file, relative to the site root: the picture's identity.
    pub source: PathBuf,
    /// The size of the largest file in the original's format (the `img`'s
    /// `src`), as displayed.
    pub width: u32,
    pub height: u32,
    /// Root-relative URL of that file, and its site path (for absolute
    /// URLs in feeds and `og:image`).
    pub src: String,
    pub path: String,
    /// `url 480w, url 960w, ...` in the original's format; empty for a file
    /// published once (SVG, GIF).
    pub srcset: String,
    /// The modern formats: MIME type and srcset each.
    pub sources: Vec<(&'static str, String)>,
}

/// What the front matter says of one figure (`figures:` entries, `image:`),
/// matched to a body's image by `src` as written.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FigureMeta {
    pub src: String,
    /// Line and column of `src` in the file.
    pub at: (usize, usize),
    pub alt: Option<String>,
    pub caption: Option<String>,
    pub credit: Option<String>,
    pub license: Option<String>,
    pub source_url: Option<String>,
    /// `alt: ""` is meant: the picture adds nothing a reader would miss.
    pub decorative: bool,
}

/// One image in a body, for checking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageUse {
    pub written: String,
    pub offset: usize,
    /// The picture it names, or `None` when no image file of the site has
    /// that path (or it cannot be read).
    pub picture: Option<Arc<Picture>>,
    /// Alone in its paragraph: a figure.
    pub figure: bool,
    /// The alt text it ends up with, empty when none.
    pub alt: String,
    pub decorative: bool,
    pub credited: bool,
}

/// A figure's first use in a body: the lead image when the front matter
/// names none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lead {
    pub picture: Arc<Picture>,
    pub alt: String,
}

/// `sizes` for pictures in a body: the text column is at most 41rem (the
/// default theme's measure) wide, the whole screen on a phone.
pub const BODY_SIZES: &str = "(min-width: 45rem) 41rem, 100vw";

/// The `<picture>` (or lone `<img>`) element for `picture`.
pub fn picture_html(out: &mut String, picture: &Picture, alt: &str, lazy: bool, sizes: &str) {
    let plain = picture.sources.is_empty() && picture.srcset.is_empty();
    if !plain {
        out.push_str("<picture>");
        for (mime, srcset) in &picture.sources {
            out.push_str("<source type=\"");
            out.push_str(mime);
            out.push_str("\" srcset=\"");
            super::escape_attr(out, srcset);
            out.push_str("\" sizes=\"");
            out.push_str(sizes);
            out.push_str("\">");
        }
    }
    out.push_str("<img src=\"");
    super::escape_attr(out, &picture.src);
    out.push('"');
    if !picture.srcset.is_empty() {
        out.push_str(" srcset=\"");
        super::escape_attr(out, &picture.srcset);
        out.push_str("\" sizes=\"");
        out.push_str(sizes);
        out.push('"');
    }
    out.push_str(&format!(
        " width=\"{}\" height=\"{}\" alt=\"",
        picture.width, picture.height
    ));
    super::escape_attr(out, alt);
    out.push('"');
    if lazy {
        out.push_str(" loading=\"lazy\"");
    }
    out.push_str(" decoding=\"async\">");
    if !plain {
        out.push_str("</picture>");
    }
}

/// A `<figure>`: the picture, then the caption and credit, if any.
pub fn figure_html(
    picture: &Picture,
    alt: &str,
    caption: Option<&str>,
    meta: Option<&FigureMeta>,
    lazy: bool,
) -> String {
    let mut out = String::from("<figure class=\"media-figure\">");
    picture_html(&mut out, picture, alt, lazy, BODY_SIZES);
    let credit = meta
        .and_then(|m| m.credit.as_deref())
        .filter(|c| !c.trim().is_empty());
    let license = meta
        .and_then(|m| m.license.as_deref())
        .filter(|c| !c.trim().is_empty());
    let caption = caption.filter(|c| !c.trim().is_empty());
    if caption.is_some() || credit.is_some() {
        out.push_str("<figcaption>");
        if let Some(caption) = caption {
            super::escape_attr(&mut out, caption.trim());
        }
        if let Some(credit) = credit {
            if caption.is_some() {
                out.push(' ');
            }
            out.push_str("<span class=\"credit\">");
            let url = meta
                .and_then(|m| m.source_url.as_deref())
                .filter(|u| crate::urls::is_external_link(u));
            match url {
                Some(url) => {
                    out.push_str("<a href=\"");
                    super::escape_attr(&mut out, url);
                    out.push_str("\">");
                    super::escape_attr(&mut out, credit.trim());
                    out.push_str("</a>");
                }
                None => super::escape_attr(&mut out, credit.trim()),
            }
            if let Some(license) = license {
                out.push_str(" (");
                super::escape_attr(&mut out, license.trim());
                out.push(')');
            }
            out.push_str("</span>");
        }
        out.push_str("</figcaption>");
    }
    out.push_str("</figure>\n");
    out
}

/// Whether `dest` names a file of the site rather than a page elsewhere:
/// no scheme, not protocol-relative.
pub fn is_local(dest: &str) -> bool {
    !dest.starts_with("//") && !dest.contains(':') && !dest.is_empty()
}
