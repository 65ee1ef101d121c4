//! The preview server's HTTP side: files from the in-memory snapshot, with
//! correct content types, `index.html` for folders, the site's `404.html`
//! for misses, a live-reload script in HTML pages (only here, never in
//! `build` output) and a Server-Sent Events endpoint that says when to
//! reload. Paths are looked up in the snapshot, never on disk, so no request
//! can reach a file outside the site.

use super::{Found, Output, Served, Shared, Snapshot};
use std::io::Write;
use std::sync::Arc;
use std::time::Duration;
use tiny_http::{Header, Request, Response, Server, StatusCode};

const EVENTS_PATH: &str = "/__attache/events";

/// Injected before `</body>` of every HTML page served (and nowhere else).
pub const LIVE_RELOAD_SNIPPET: &str = "<script>(function(){var s=new EventSource(\"/__attache/events\");s.onmessage=function(){location.reload()};})();</script>";

pub fn run(server: Server, shared: Arc<Shared>) {
    for request in server.incoming_requests() {
        let shared = shared.clone();
        // One thread per request: live-reload connections stay open.
        std::thread::spawn(move || handle(request, shared));
    }
}

fn handle(request: Request, shared: Arc<Shared>) {
    let raw = request.url().to_string();
    let path = raw.split(['?', '#']).next().unwrap_or("/");
    if path == EVENTS_PATH {
        // Written by hand on the connection and flushed after each event:
        // a `Response` body would be buffered until 8 KiB had piled up.
        let writer = request.into_writer();
        let _ = stream_events(writer, &shared);
        return;
    }
    let snapshot = shared.current();
    let Some(output) = &snapshot.output else {
        // Nothing good was ever built: only the errors can be shown.
        let errors = snapshot
            .errors
            .as_deref()
            .unwrap_or("the site is being built");
        let _ = request.respond(
            Response::from_data(error_page(errors).into_bytes())
                .with_status_code(500)
                .with_header(header("Content-Type", "text/html; charset=utf-8")),
        );
        return;
    };
    let _ = match lookup(output, path) {
        Lookup::Found(key) => respond_file(request, &snapshot, output, &key, 200),
        Lookup::Redirect(to) => {
            request.respond(Response::empty(StatusCode(301)).with_header(header("Location", &to)))
        }
        Lookup::NotFound => {
            if output.has("404.html") {
                respond_file(request, &snapshot, output, "404.html", 404)
            } else {
                request.respond(Response::from_string("Not found").with_status_code(404))
            }
        }
    };
}

enum Lookup {
    Found(String),
    Redirect(String),
    NotFound,
}

/// Maps a request path to a file of the site.
fn lookup(output: &Output, path: &str) -> Lookup {
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    let rel = decoded.trim_start_matches('/');
    if rel
        .split('/')
        .any(|segment| segment == ".." || segment == ".")
    {
        return Lookup::NotFound;
    }
    let key = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    };
    if output.has(&key) {
        return Lookup::Found(key);
    }
    if !rel.is_empty() && !rel.ends_with('/') && output.has(&format!("{rel}/index.html")) {
        return Lookup::Redirect(format!("/{rel}/"));
    }
    Lookup::NotFound
}

fn respond_file(
    request: Request,
    snapshot: &Snapshot,
    output: &Output,
    key: &str,
    status: u16,
) -> std::io::Result<()> {
    let content_type = content_type(key);
    let is_html = content_type.starts_with("text/html");
    if is_html && let Some(errors) = &snapshot.errors {
        return request.respond(
            Response::from_data(error_page(errors).into_bytes())
                .with_status_code(500)
                .with_header(header("Content-Type", "text/html; charset=utf-8")),
        );
    }
    let bytes: Vec<u8> = match output.get(key) {
        Found::File(Served::Bytes(b)) => b.as_ref().clone(),
        Found::File(Served::File(p)) => match crate::input::read_file(&p, None) {
            Ok(b) => b,
            Err(_) => {
                return request.respond(Response::from_string("Not found").with_status_code(404));
            }
        },
        Found::Failed(diagnostic) => {
            let mut diagnostics = crate::diagnostics::Diagnostics::new();
            diagnostics.push(crate::diagnostics::Diagnostic::clone(&diagnostic));
            let text = super::report_text(&diagnostics, output.root());
            return request.respond(
                Response::from_data(error_page(&text).into_bytes())
                    .with_status_code(500)
                    .with_header(header("Content-Type", "text/html; charset=utf-8")),
            );
        }
        Found::Missing => {
            return request.respond(Response::from_string("Not found").with_status_code(404));
        }
    };
    let body = if is_html {
        inject_live_reload(bytes)
    } else {
        bytes
    };
    request.respond(
        Response::from_data(body)
            .with_status_code(status)
            .with_header(header("Content-Type", content_type))
            .with_header(header("Cache-Control", "no-store")),
    )
}

fn inject_live_reload(html: Vec<u8>) -> Vec<u8> {
    let text = String::from_utf8_lossy(&html);
    match text.rfind("</body>") {
        Some(i) => format!("{}{}{}", &text[..i], LIVE_RELOAD_SNIPPET, &text[i..]).into_bytes(),
        None => format!("{text}{LIVE_RELOAD_SNIPPET}").into_bytes(),
    }
}

fn error_page(errors: &str) -> String {
    let mut escaped = String::new();
    pulldown_cmark_escape::escape_html(&mut escaped, errors).expect("writing to a String");
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Build failed</title>\
<style>body{{font:16px/1.5 system-ui,sans-serif;margin:2rem;background:#1b1b1b;color:#eee}}h1{{color:#ff8a80}}pre{{white-space:pre-wrap;background:#000;padding:1rem;border-radius:6px}}</style></head>\
<body><h1>attache: the build failed</h1><p>Fix the problems below and save; this page reloads by itself.</p><pre>{escaped}</pre>{LIVE_RELOAD_SNIPPET}</body></html>\n"
    )
}

fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map_or("", |(_, e)| e)
        .to_ascii_lowercase();
    match (path, ext.as_str()) {
        (p, "xml") if p.ends_with("feed.xml") => "application/atom+xml; charset=utf-8",
        (_, "html" | "htm") => "text/html; charset=utf-8",
        (_, "css") => "text/css; charset=utf-8",
        (_, "js" | "mjs") => "text/javascript; charset=utf-8",
        (_, "json") => "application/json",
        (_, "xml") => "application/xml; charset=utf-8",
        (_, "txt") => "text/plain; charset=utf-8",
        (_, "svg") => "image/svg+xml",
        (_, "png") => "image/png",
        (_, "jpg" | "jpeg") => "image/jpeg",
        (_, "gif") => "image/gif",
        (_, "webp") => "image/webp",
        (_, "avif") => "image/avif",
        (_, "ico") => "image/x-icon",
        (_, "woff2") => "font/woff2",
        (_, "woff") => "font/woff",
        (_, "pdf") => "application/pdf",
        (p, "") if p.ends_with("_redirects") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes())
        .expect("header names and values are ASCII")
}

/// A Server-Sent Events stream: tells the browser to reload after every
/// rebuild; a comment every 15 s finds closed connections (the write fails
/// and the thread ends).
fn stream_events(mut out: Box<dyn Write + Send>, shared: &Shared) -> std::io::Result<()> {
    let mut seen = *shared.generation.lock().expect("generation lock poisoned");
    out.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\nretry: 500\n\n",
    )?;
    out.flush()?;
    loop {
        let guard = shared.generation.lock().expect("generation lock poisoned");
        let (guard, timeout) = shared
            .rebuilt
            .wait_timeout_while(guard, Duration::from_secs(15), |g| *g == seen)
            .expect("generation lock poisoned");
        let message: &[u8] = if timeout.timed_out() {
            b": keep-alive\n\n"
        } else {
            seen = *guard;
            b"data: reload\n\n"
        };
        drop(guard);
        out.write_all(message)?;
        out.flush()?;
    }
}
