//! Pictures in rendered pages: the view templates get of a lead image, a
//! portrait or an emblem (`ImageView`), and the files of every picture the
//! site shows.

use super::{Contents, OutputFile};
use crate::diagnostics::Diagnostics;
use crate::resolve::{Image, Site};
use rayon::prelude::*;
use serde::Serialize;

/// A picture as templates see it: enough for `<picture>` with its
/// `<source>`s and an `<img>` with `srcset`, size and alt text (the
/// `picture` component of `components.html` writes it), and its absolute
/// URL for link previews.
#[derive(Serialize, Debug, Clone)]
pub struct ImageView {
    /// Root-relative URL of the largest file in the original's format.
    pub src: String,
    /// Its absolute URL (for `og:image`, JSON-LD, feeds).
    pub url: String,
    /// `url 480w, ...` in the original's format; empty for SVG and GIF.
    pub srcset: String,
    /// The modern formats: `type` (MIME) and `srcset` each.
    pub sources: Vec<SourceView>,
    pub width: u32,
    pub height: u32,
    pub alt: String,
}

#[derive(Serialize, Debug, Clone)]
pub struct SourceView {
    pub r#type: &'static str,
    pub srcset: String,
}

impl ImageView {
    pub fn of(site: &Site, image: &Image) -> ImageView {
        let p = &image.picture;
        ImageView {
            src: p.src.clone(),
            url: site.config.base_url.permalink(&p.path),
            srcset: p.srcset.clone(),
            sources: p
                .sources
                .iter()
                .map(|(mime, srcset)| SourceView {
                    r#type: mime,
                    srcset: srcset.clone(),
                })
                .collect(),
            width: p.width,
            height: p.height,
            alt: image.alt.clone(),
        }
    }
}

/// The files of every picture the site shows, made in parallel (or found
/// in the cache from an earlier build) and copied from the cache. A file
/// that cannot be decoded after all (truncated past its header, say) is a
/// `bad-image` error at the image.
pub fn files(site: &Site, store: &crate::media::Store) -> (Vec<OutputFile>, Diagnostics) {
    let made: Vec<Result<Vec<OutputFile>, crate::diagnostics::Diagnostic>> = site
        .pictures
        .par_iter()
        .map(|p| {
            let files = p
                .make(store, &site.config.figures.settings)
                .map_err(|problem| {
                    // The cache folder failing is no fault of the image.
                    let code = if problem.is_cache() {
                        crate::diagnostics::Code::Io
                    } else {
                        crate::diagnostics::Code::BadImage
                    };
                    crate::diagnostics::Diagnostic::new(code, &p.source, problem.message())
                        .with_hint(problem.hint())
                })?;
            Ok(files
                .into_iter()
                .map(|(path, cached)| OutputFile {
                    path,
                    contents: Contents::Copy(cached),
                })
                .collect())
        })
        .collect();
    let mut files = Vec::new();
    let mut diagnostics = Diagnostics::new();
    for result in made {
        match result {
            Ok(made) => files.extend(made),
            Err(d) => diagnostics.push(d),
        }
    }
    (files, diagnostics)
}
