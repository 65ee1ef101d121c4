//! attache: a static site generator for curated briefings.
//!
//! The pipeline is the module list: [`load`] reads `content/` into typed
//! documents, [`resolve`] turns names into ids and builds the site model,
//! [`render`] turns the model into output files, and [`write`] replaces the
//! output folder atomically. [`site`] runs the stages for the commands.

pub mod config;
pub mod dates;
pub mod diagnostics;
pub mod import;
pub mod input;
pub mod load;
pub mod markdown;
pub mod media;
pub mod packed;
pub mod paths;
pub mod render;
pub mod report;
pub mod resolve;
pub mod routes;
pub mod scaffold;
pub mod serve;
pub mod site;
pub mod slug;
pub mod suggest;
pub mod urls;
pub mod write;
