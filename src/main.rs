//! The `attache` command line.

use attache::report::{
    Format, WARNINGS_SHOWN_WHILE_BUILDING, print_for_tools, print_human, print_timings,
};
use attache::site::{self, SiteOptions};
use clap::{Args, Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

// The build allocates many small strings and values across threads; mimalloc
// handles that pattern far better than the system allocator.
#[cfg(not(feature = "system-allocator"))]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "attache",
    version,
    about = "A static site generator for curated briefings"
)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Args, Clone)]
struct Common {
    /// The site's folder (holding attache.yaml and content/).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Include briefings and pages marked `draft: true`.
    #[arg(long)]
    drafts: bool,
    /// Keep processed images in DIR [default: the config's `cache`, else
    /// ROOT/.attache-cache].
    #[arg(long, value_name = "DIR")]
    cache: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Cmd {
    /// Build the site into the output folder.
    Build {
        #[command(flatten)]
        common: Common,
        /// Where to write the site [default: ROOT/public].
        #[arg(long)]
        output: Option<PathBuf>,
        /// The absolute URL the site is served from (overrides `base_url`).
        #[arg(long)]
        base_url: Option<String>,
        /// Update the output in place, rewriting only files whose bytes changed.
        #[arg(long)]
        incremental_write: bool,
        /// Write a JSON list of every output file with its SHA-256 to FILE.
        #[arg(long, value_name = "FILE")]
        manifest: Option<PathBuf>,
        /// Replace the output folder even if it holds files attache did not
        /// write (never the site's own content, templates, themes, static or .git).
        #[arg(long)]
        force: bool,
    },
    /// Validate every file and report every problem; writes nothing.
    Check {
        #[command(flatten)]
        common: Common,
        /// Treat unknown actors, topics, fields and bad source URLs as errors.
        #[arg(long)]
        strict: bool,
        /// How to print problems: for people, as GitHub annotations, or as JSON.
        #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
        format: OutputFormat,
    },
    /// Build in memory, serve, watch and rebuild; the browser reloads by itself.
    Serve {
        #[command(flatten)]
        common: Common,
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Port to listen on; 0 picks a free one (printed at start).
        #[arg(long, default_value_t = 1111)]
        port: u16,
    },
    /// Start a new briefing, actor or topic file (never overwrites).
    New {
        /// The site's folder.
        #[arg(long, default_value = ".", global = true)]
        root: PathBuf,
        #[command(subcommand)]
        kind: NewKind,
    },
    /// Create a new site that builds at once.
    Init {
        /// The folder to create (must be empty or missing).
        dir: PathBuf,
    },
    /// Turn a Hugo or Jekyll site into a new attache site (SRC is only read).
    Import {
        #[command(flatten)]
        args: ImportArgs,
    },
}

// What `attache import` was asked (a plain comment: a doc comment here would
// replace the subcommand's own help text).
#[derive(Args)]
struct ImportArgs {
    #[arg(value_enum)]
    generator: attache::import::Generator,
    /// The Hugo or Jekyll site.
    src: PathBuf,
    /// The new site's folder (must be empty or missing).
    dest: PathBuf,
    /// The Hugo section or Jekyll collection of the articles
    /// [default: the largest of posts, post, blog, news, _posts].
    #[arg(long)]
    section: Option<String>,
    /// Taxonomies whose terms become actors [default: authors,author].
    #[arg(long, value_delimiter = ',')]
    actors: Option<Vec<String>>,
    /// Taxonomies whose terms become topics [default: topics,tags,categories].
    #[arg(long, value_delimiter = ',')]
    topics: Option<Vec<String>>,
}

#[derive(Subcommand)]
enum NewKind {
    /// content/briefings/YYYY/YYYY-MM-DD-slug.md
    Briefing {
        title: String,
        /// Publication date [default: today].
        #[arg(long)]
        date: Option<String>,
    },
    /// content/actors/slug.md
    Actor { name: String },
    /// content/topics/slug.md
    Topic { name: String },
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum OutputFormat {
    Human,
    Github,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = match &cli.command {
        Cmd::Build { common, .. } | Cmd::Check { common, .. } | Cmd::Serve { common, .. } => {
            Some(&common.root)
        }
        Cmd::New { root, .. } => Some(root),
        Cmd::Init { .. } | Cmd::Import { .. } => None,
    };
    if let Some(Err(e)) = root.map(|root| site::open_root(root)) {
        eprintln!("error: {e}");
        return ExitCode::from(2);
    }
    match cli.command {
        Cmd::Build {
            common,
            output,
            base_url,
            incremental_write,
            manifest,
            force,
        } => {
            let write = site::WriteOptions {
                mode: if incremental_write {
                    attache::write::Mode::Incremental
                } else {
                    attache::write::Mode::Replace
                },
                manifest,
                other_files: if force {
                    attache::write::OtherFiles::Replace
                } else {
                    attache::write::OtherFiles::Refuse
                },
            };
            build(common, output, base_url, &write)
        }
        Cmd::Check {
            common,
            strict,
            format,
        } => check(common, strict, format),
        Cmd::Serve { common, bind, port } => serve(common, bind, port),
        Cmd::New { root, kind } => new(&root, &kind),
        Cmd::Import { args } => import(args),
        Cmd::Init { dir } => init(&dir),
    }
}

/// `attache serve`: serves until stopped; 2 when it cannot start.
fn serve(common: Common, bind: String, port: u16) -> ExitCode {
    let options = attache::serve::ServeOptions {
        root: common.root,
        bind,
        port,
        drafts: common.drafts,
        cache: common.cache,
    };
    match attache::serve::serve(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

/// `attache new`: prints the path of the file it made.
fn new(root: &Path, kind: &NewKind) -> ExitCode {
    let result = match kind {
        NewKind::Briefing { title, date } => {
            attache::scaffold::new_briefing(root, title, date.as_deref())
        }
        NewKind::Actor { name } => attache::scaffold::new_actor(root, name),
        NewKind::Topic { name } => attache::scaffold::new_topic(root, name),
    };
    match result {
        Ok(path) => {
            println!("{}", path.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

/// `attache init`: prints each file it made and how to serve the site.
fn init(dir: &Path) -> ExitCode {
    match attache::scaffold::init(dir) {
        Ok(files) => {
            for f in files {
                println!("{}", f.display());
            }
            println!(
                "Created a new site in {}. Try: attache serve --root {}",
                dir.display(),
                dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

/// `attache import`: the options with their defaults filled in; the import
/// prints its own report and gives the exit code.
fn import(args: ImportArgs) -> ExitCode {
    let mut options = attache::import::Options::new(args.generator, args.src, args.dest);
    options.section = args.section;
    options.actors = args.actors.unwrap_or(options.actors);
    options.topics = args.topics.unwrap_or(options.topics);
    ExitCode::from(attache::import::run(&options))
}

fn check(common: Common, strict: bool, format: OutputFormat) -> ExitCode {
    let options = SiteOptions {
        root: common.root,
        base_url: None,
        drafts: common.drafts,
        strict,
        cache: common.cache,
    };
    let diagnostics = site::run_check(&options);
    let failed = diagnostics.has_errors();
    match format {
        OutputFormat::Human => {
            if diagnostics.is_empty() {
                eprintln!("No problems found.");
            }
            print_human(diagnostics, &options.root, usize::MAX);
        }
        OutputFormat::Github => print_for_tools(diagnostics, &options.root, Format::Github),
        OutputFormat::Json => print_for_tools(diagnostics, &options.root, Format::Json),
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn build(
    common: Common,
    output: Option<PathBuf>,
    base_url: Option<String>,
    write: &site::WriteOptions,
) -> ExitCode {
    let output = output.unwrap_or_else(|| common.root.join("public"));
    let options = SiteOptions {
        root: common.root,
        base_url,
        drafts: common.drafts,
        strict: false,
        cache: common.cache,
    };
    let started = std::time::Instant::now();
    match site::build(&options, &output, write) {
        Ok(report) => {
            let failed = report.written.is_none();
            print_human(
                report.diagnostics,
                &options.root,
                WARNINGS_SHOWN_WHILE_BUILDING,
            );
            match report.written {
                Some(w) => {
                    eprintln!(
                        "Built {} pages ({} files) into {} in {:.2} s",
                        w.pages,
                        w.files,
                        w.output.display(),
                        started.elapsed().as_secs_f64()
                    );
                    if w.images.processed + w.images.reused > 0 {
                        eprintln!(
                            "  images: {} processed, {} from cache",
                            w.images.processed, w.images.reused
                        );
                    }
                    if write.mode == attache::write::Mode::Incremental {
                        eprintln!(
                            "  {} written, {} unchanged, {} removed",
                            w.stats.written, w.stats.unchanged, w.stats.removed
                        );
                    }
                    print_timings(&report.timings);
                    ExitCode::SUCCESS
                }
                None => {
                    debug_assert!(failed);
                    eprintln!(
                        "Build failed: nothing was written; {} is unchanged.",
                        output.display()
                    );
                    ExitCode::from(1)
                }
            }
        }
        Err((err, diagnostics)) => {
            print_human(diagnostics, &options.root, WARNINGS_SHOWN_WHILE_BUILDING);
            eprintln!("error: {err}");
            ExitCode::from(2)
        }
    }
}
