//! Pictures: which image file of `content/` a path written in a document
//! names, what a page shows of it (`Picture`: the files it is published
//! as, their URLs and size), and the problems of each use: a missing or
//! unreadable file, missing alt text or credit, GPS in the original.
//!
//! A path is relative to the document (`launches.png` beside a bundle's
//! `index.md`, `../../media/map.svg`) or rooted in `content/`
//! (`/media/map.svg`). Only pictures some page shows are published.

use super::model::PublishedPicture;
use crate::config::{BaseUrl, Figures};
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::load::MediaFile;
use crate::load::document::Origin;
use crate::markdown::figure::{FigureMeta, ImageUse, Lead, Picture};
use crate::media::{self, Format, Variant};
use rustc_hash::FxHashMap as HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Every image file of the site, by path, with what pages show of it.
pub struct Catalogue {
    entries: HashMap<PathBuf, Entry>,
    figures: Figures,
}

struct Entry {
    media: Arc<MediaFile>,
    /// `None` when the file cannot be read as an image.
    shown: Option<(Arc<Picture>, Vec<Variant>)>,
}

impl Catalogue {
    pub fn new(media: &[Arc<MediaFile>], figures: &Figures, base: &BaseUrl) -> Catalogue {
        let entries = media
            .iter()
            .map(|m| {
                let shown = m.probe.as_ref().ok().map(|probe| {
                    let stem = m
                        .path
                        .file_stem()
                        .and_then(|s| s.to_str())
                        .unwrap_or("image");
                    let variants = media::variants(probe, &figures.settings, stem);
                    (Arc::new(picture(&m.path, probe, &variants, base)), variants)
                });
                (
                    m.path.clone(),
                    Entry {
                        media: m.clone(),
                        shown,
                    },
                )
            })
            .collect();
        Catalogue {
            entries,
            figures: figures.clone(),
        }
    }

    /// The image file `written` in the document at `document` names.
    fn find(&self, document: &Path, written: &str) -> Option<&Entry> {
        self.entries.get(&file_path(document, written)?)
    }

    /// What a page shows of the picture `written` names, if it names a
    /// readable image file.
    pub fn picture(&self, document: &Path, written: &str) -> Option<Arc<Picture>> {
        self.find(document, written)?
            .shown
            .as_ref()
            .map(|(p, _)| p.clone())
    }

    /// Every picture among `shown` (by source path), with its files, sorted
    /// by path: what the site publishes.
    pub fn published<'a>(
        &self,
        shown: impl IntoIterator<Item = &'a Path>,
    ) -> Vec<PublishedPicture> {
        let mut paths: Vec<&Path> = shown.into_iter().collect();
        paths.sort_unstable();
        paths.dedup();
        paths
            .into_iter()
            .filter_map(|path| {
                let entry = self.entries.get(path)?;
                let (_, variants) = entry.shown.as_ref()?;
                let probe = entry.media.probe.as_ref().ok()?;
                Some(PublishedPicture {
                    file: entry.media.file.clone(),
                    source: entry.media.path.clone(),
                    probe: probe.clone(),
                    variants: variants
                        .iter()
                        .map(|v| (v.clone(), crate::routes::media_file(&v.name)))
                        .collect(),
                })
            })
            .collect()
    }

    /// The problems of the images a body shows (at their places in the
    /// body, through `position`).
    pub fn check_body(
        &self,
        images: &[ImageUse],
        origin: &Origin,
        position: &mut dyn FnMut(usize) -> (usize, usize),
        d: &mut Diagnostics,
    ) {
        for image in images {
            let at = position(image.offset);
            let Some(picture) = &image.picture else {
                self.unusable(&origin.path, &image.written, at, d);
                continue;
            };
            self.check_original(&picture.source, &origin.path, at, d);
            if image.alt.is_empty() && !image.decorative {
                d.push(missing_alt(&origin.path, at, &image.written));
            }
            if image.figure && !image.credited && self.figures.require_credit {
                d.push(missing_credit(&origin.path, at, &image.written));
            }
        }
    }

    /// The picture of an `image:` field (a lead image, a portrait), with
    /// its problems; `None` when it names no readable image.
    pub fn field(&self, meta: &FigureMeta, origin: &Origin, d: &mut Diagnostics) -> Option<Lead> {
        let picture = self.picture(&origin.path, &meta.src);
        let Some(picture) = picture else {
            self.unusable(&origin.path, &meta.src, meta.at, d);
            return None;
        };
        self.check_original(&picture.source, &origin.path, meta.at, d);
        let alt = meta.alt.clone().unwrap_or_default();
        if alt.is_empty() && !meta.decorative {
            d.push(missing_alt(&origin.path, meta.at, &meta.src));
        }
        Some(Lead { picture, alt })
    }

    /// `written` names no readable image: a missing file (with the near
    /// path) or an unreadable one.
    fn unusable(&self, document: &Path, written: &str, at: (usize, usize), d: &mut Diagnostics) {
        if let Some(entry) = self.find(document, written)
            && let Err(problem) = &entry.media.probe
        {
            d.push(
                Diagnostic::new(
                    Code::BadImage,
                    document,
                    format!(
                        "'{written}' ({}): {}",
                        entry.media.path.display(),
                        problem.message()
                    ),
                )
                .at(at.0, at.1)
                .with_hint(problem.hint()),
            );
            return;
        }
        let near = self.near(document, written);
        d.push(
            Diagnostic::new(
                Code::MissingImage,
                document,
                format!("'{written}' names no image file of the site"),
            )
            .at(at.0, at.1)
            .with_hint(match near {
                Some(near) => format!("did you mean '{near}'?"),
                None => "put the image beside the Markdown file (a page bundle) or in content/media/, and write its path relative to the file, or from content/ as /media/name.png".to_string(),
            }),
        );
    }

    /// The image path nearest to `written`, written as the document would:
    /// relative to its folder when the image is in it or below, else from
    /// `content/`.
    fn near(&self, document: &Path, written: &str) -> Option<String> {
        let folder = document.parent().unwrap_or(Path::new(""));
        let mut candidates: Vec<String> = self
            .entries
            .keys()
            .filter_map(|path| match path.strip_prefix(folder) {
                Ok(inside) if !written.starts_with('/') => {
                    Some(inside.to_string_lossy().into_owned())
                }
                _ => path
                    .strip_prefix("content")
                    .ok()
                    .map(|p| format!("/{}", p.to_string_lossy())),
            })
            .collect();
        candidates.sort_unstable();
        crate::suggest::did_you_mean(written, candidates.iter().map(String::as_str))
            .map(str::to_string)
    }

    /// Warnings about the original a page shows: over the size limit, or
    /// carrying GPS coordinates.
    fn check_original(
        &self,
        source: &Path,
        document: &Path,
        at: (usize, usize),
        d: &mut Diagnostics,
    ) {
        let Some(probe) = self
            .entries
            .get(source)
            .and_then(|e| e.media.probe.as_ref().ok())
        else {
            return;
        };
        if probe.len > self.figures.max_bytes {
            d.push(
                Diagnostic::new(
                    Code::LargeImage,
                    document,
                    format!(
                        "{} is {:.1} MB, over the {:.1} MB `figures.max_bytes`",
                        source.display(),
                        probe.len as f64 / 1e6,
                        self.figures.max_bytes as f64 / 1e6
                    ),
                )
                .at(at.0, at.1)
                .with_hint("export a smaller original (readers get resized copies, but the repository keeps every byte)"),
            );
        }
        if probe.gps {
            d.push(
                Diagnostic::new(
                    Code::ImageGps,
                    document,
                    format!(
                        "{} holds GPS coordinates in its metadata; the published copies leave them out",
                        source.display()
                    ),
                )
                .at(at.0, at.1)
                .with_hint("the original stays in the repository with them: strip them there too if where it was taken is sensitive (exiftool -gps:all= FILE)"),
            );
        }
    }
}

/// The source file `written` names from the document at `document`, if it
/// stays inside `content/`.
fn file_path(document: &Path, written: &str) -> Option<PathBuf> {
    let written = percent_encoding::percent_decode_str(written)
        .decode_utf8()
        .ok()?;
    let path = match written.strip_prefix('/') {
        Some(rooted) => Path::new("content").join(rooted),
        None => document.parent().unwrap_or(Path::new("")).join(&*written),
    };
    let path = crate::paths::normalize(&path);
    path.starts_with("content").then_some(path)
}

/// What a page shows of the image at `source`: the largest file in the
/// original's format as `src`, each format's files as a srcset.
fn picture(source: &Path, probe: &media::Probe, variants: &[Variant], base: &BaseUrl) -> Picture {
    // Every browser shows the original's format: the `<img>`'s files.
    let fallback = probe.format;
    let srcset = |format: Format| -> String {
        variants
            .iter()
            .filter(|v| v.format == format)
            .map(|v| {
                format!(
                    "{} {}w",
                    base.link(&crate::routes::media_file(&v.name)),
                    v.width
                )
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let largest = variants
        .iter()
        .filter(|v| v.format == fallback)
        .max_by_key(|v| v.width);
    let (width, height, path) = match largest {
        Some(v) => (v.width, v.height, crate::routes::media_file(&v.name)),
        None => (probe.width, probe.height, String::new()),
    };
    let mut formats: Vec<Format> = variants.iter().map(|v| v.format).collect();
    formats.sort_unstable();
    formats.dedup();
    Picture {
        source: source.to_path_buf(),
        width,
        height,
        src: base.link(&path),
        path,
        srcset: if probe.format.passes_through() {
            String::new()
        } else {
            srcset(fallback)
        },
        sources: formats
            .into_iter()
            .filter(|f| *f != fallback)
            .map(|f| (f.mime(), srcset(f)))
            .collect(),
    }
}

fn missing_alt(document: &Path, at: (usize, usize), written: &str) -> Diagnostic {
    Diagnostic::new(
        Code::MissingAlt,
        document,
        format!("'{written}' has no alt text: a reader who cannot see it is told nothing"),
    )
    .at(at.0, at.1)
    .with_hint("describe what it shows in the image's text (![Bar chart of launches per year, 2019 to 2024](launches.png)) or its `figures` entry's `alt`; `decorative: true` with `alt: \"\"` for a picture that adds nothing")
}

fn missing_credit(document: &Path, at: (usize, usize), written: &str) -> Diagnostic {
    Diagnostic::new(
        Code::MissingCredit,
        document,
        format!("the figure '{written}' has no credit, and this site requires one (`figures.require_credit`)"),
    )
    .at(at.0, at.1)
    .with_hint(format!(
        "add it to the front matter: `figures: [{{src: {written}, credit: \"Photo: Name / Agency\"}}]`"
    ))
}
