//! Images: what a picture is (probe), which files a figure is published as
//! (variants), and the cache folder that makes them once. The interface
//! only; processing lands with the image crates.

use std::path::{Path, PathBuf};

/// An image format, by file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    Jpeg,
    Png,
    Gif,
    Webp,
    Svg,
}

impl Format {
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "jpg" | "jpeg" => Format::Jpeg,
            "png" => Format::Png,
            "gif" => Format::Gif,
            "webp" => Format::Webp,
            "svg" => Format::Svg,
            _ => return None,
        })
    }
    pub fn extension(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::Gif => "gif",
            Format::Webp => "webp",
            Format::Svg => "svg",
        }
    }
    pub fn mime(self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::Gif => "image/gif",
            Format::Webp => "image/webp",
            Format::Svg => "image/svg+xml",
        }
    }
    pub fn passes_through(self) -> bool {
        matches!(self, Format::Gif | Format::Svg)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub widths: Vec<u32>,
    pub formats: Vec<Format>,
    pub quality: u8,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    pub width: u32,
    pub height: u32,
    pub format: Format,
    pub orientation: u8,
    pub gps: bool,
    pub len: u64,
    pub hash: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Unreadable(String),
}

impl Problem {
    pub fn message(&self) -> String {
        match self {
            Problem::Unreadable(e) => format!("the image cannot be read: {e}"),
        }
    }
    pub fn hint(&self) -> &'static str {
        "save the image again as JPEG, PNG, WebP, GIF or SVG"
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    pub width: u32,
    pub height: u32,
    pub format: Format,
    pub name: String,
}

pub fn variants(_probe: &Probe, _settings: &Settings, _stem: &str) -> Vec<Variant> {
    Vec::new()
}

pub struct Store {
    _dir: PathBuf,
}

impl Store {
    pub fn open(dir: &Path) -> Store {
        Store {
            _dir: dir.to_path_buf(),
        }
    }
    pub fn dir(&self) -> &Path {
        &self._dir
    }
    pub fn probe(&self, _path: &Path) -> Result<Probe, Problem> {
        Err(Problem::Unreadable("not yet".into()))
    }
    pub fn save(&self) -> std::io::Result<()> {
        Ok(())
    }
    pub fn produce(
        &self,
        _path: &Path,
        _probe: &Probe,
        _settings: &Settings,
        _stem: &str,
    ) -> Result<Vec<(Variant, PathBuf)>, Problem> {
        Err(Problem::Unreadable("not yet".into()))
    }
    pub fn processed(&self) -> usize {
        0
    }
    pub fn reused(&self) -> usize {
        0
    }
}
