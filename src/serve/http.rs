//! The preview server's HTTP side: files from the in-memory snapshot, with
//! correct content types, `index.html` for folders, the site's `404.html`
//! for misses, a live-reload script in HTML pages (only here, never in
//! `build` output) and a Server-Sent Events endpoint that says when to
//! reload. Paths are looked up in the snapshot, never on disk, so no request
//! can reach a file outside the site.
//!
//! hyper (HTTP/1.1) on a small tokio runtime: a connection costs a task, not
//! a thread. What a client can make the server hold is bounded: a request
//! head (request line and headers) of at most `MAX_HEADER_BYTES` (else 431
//! and the connection is closed), sent within `HEADER_TIMEOUT`;
//! `MAX_CONNECTIONS` connections and `MAX_EVENT_STREAMS` live-reload
//! streams at once (more streams get 503); pages are rendered on at most
//! `MAX_BLOCKING_THREADS` threads. A redirect's `Location` is the request
//! path percent-encoded, so no request can add a header line or point the
//! browser at another host.

use super::{Found, Output, Served, Shared, Snapshot};
use crate::routes;
use http_body_util::{BodyExt, Full, combinators::BoxBody};
use hyper::body::{Bytes, Frame, Incoming};
use hyper::header::{CACHE_CONTROL, CONTENT_TYPE, HeaderValue, LOCATION, RETRY_AFTER};
use hyper::{Request, Response, StatusCode};
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use std::convert::Infallible;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::sync::{Semaphore, mpsc};

const EVENTS_PATH: &str = "/__attache/events";

/// Injected before `</body>` of every HTML page served (and nowhere else).
pub const LIVE_RELOAD_SNIPPET: &str = "<script>(function(){var s=new EventSource(\"/__attache/events\");s.onmessage=function(){location.reload()};})();</script>";

/// The largest request head (request line and headers) read; a browser
/// sends a few hundred bytes.
const MAX_HEADER_BYTES: usize = 16 * 1024;
/// A client that has not sent a whole request head by then is disconnected.
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// Connections open at once; one more is closed as soon as it is accepted
/// (a browser opens about six).
const MAX_CONNECTIONS: usize = 512;
/// Live-reload streams open at once (one per open tab); more get 503.
pub const MAX_EVENT_STREAMS: usize = 64;
/// Threads that render pages and read static files for requests.
const MAX_BLOCKING_THREADS: usize = 8;
/// How often an idle event stream gets a comment, which finds closed
/// connections.
const KEEP_ALIVE_EVERY: Duration = Duration::from_secs(15);

/// Characters a `Location` path may not hold as they are: controls (CR and
/// LF would end the header), space, non-ASCII (percent-encoded always),
/// `%` (so that a name with `%` comes back as itself), the backslash
/// (browsers read `/\host` as `//host`, another site) and what a URL path
/// may not contain.
const PATH_ESCAPES: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'\\')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

type Body = BoxBody<Bytes, Infallible>;

/// Serves `listener` until the process is stopped.
pub fn run(listener: std::net::TcpListener, shared: Arc<Shared>) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .max_blocking_threads(MAX_BLOCKING_THREADS)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the server: {e}"))?;
    runtime.block_on(accept(listener, shared))
}

async fn accept(listener: std::net::TcpListener, shared: Arc<Shared>) -> Result<(), String> {
    listener
        .set_nonblocking(true)
        .map_err(|e| format!("cannot serve: {e}"))?;
    let listener =
        tokio::net::TcpListener::from_std(listener).map_err(|e| format!("cannot serve: {e}"))?;
    let connections = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let streams = Arc::new(Semaphore::new(MAX_EVENT_STREAMS));
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(_) => {
                // Out of file descriptors, say: wait for some to close.
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let Ok(permit) = connections.clone().try_acquire_owned() else {
            drop(stream);
            continue;
        };
        let shared = shared.clone();
        let streams = streams.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request: Request<Incoming>| {
                let shared = shared.clone();
                let streams = streams.clone();
                async move { Ok::<_, Infallible>(handle(request, shared, &streams).await) }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .max_header_size(MAX_HEADER_BYTES)
                .max_buf_size(4 * MAX_HEADER_BYTES)
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .await;
            drop(permit);
        });
    }
}

async fn handle(
    request: Request<Incoming>,
    shared: Arc<Shared>,
    streams: &Arc<Semaphore>,
) -> Response<Body> {
    let path = request.uri().path().to_string();
    if path == EVENTS_PATH {
        return events(&shared, streams);
    }
    // Rendering a page is work for a thread, not for the event loop.
    tokio::task::spawn_blocking(move || respond(&shared, &path))
        .await
        .unwrap_or_else(|_| text(500, "internal error"))
}

fn respond(shared: &Shared, path: &str) -> Response<Body> {
    let snapshot = shared.current();
    let Some(output) = &snapshot.output else {
        // Nothing good was ever built: only the errors can be shown.
        let errors = snapshot
            .errors
            .as_deref()
            .unwrap_or("the site is being built");
        return html(500, error_page(errors));
    };
    match lookup(output, path) {
        Lookup::Found(key) => respond_file(&snapshot, output, &key, 200),
        Lookup::Redirect(to) => {
            let mut response = text(301, "");
            response.headers_mut().insert(
                LOCATION,
                HeaderValue::from_str(&to).expect("a percent-encoded path is visible ASCII"),
            );
            response
        }
        Lookup::NotFound => {
            if output.has(routes::NOT_FOUND) {
                respond_file(&snapshot, output, routes::NOT_FOUND, 404)
            } else {
                text(404, "Not found")
            }
        }
    }
}

enum Lookup {
    Found(String),
    /// To this `Location` (percent-encoded).
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
        routes::html_file(rel)
    } else {
        rel.to_string()
    };
    if output.has(&key) {
        return Lookup::Found(key);
    }
    if !rel.is_empty() && !rel.ends_with('/') && output.has(&routes::html_file(&format!("{rel}/")))
    {
        return Lookup::Redirect(location(rel));
    }
    Lookup::NotFound
}

/// The `Location` of the folder `rel` (no leading `/`): one `/`, then the
/// encoded path, so it never starts `//` or `/\` (another host).
fn location(rel: &str) -> String {
    format!("/{}/", utf8_percent_encode(rel, PATH_ESCAPES))
}

fn respond_file(snapshot: &Snapshot, output: &Output, key: &str, status: u16) -> Response<Body> {
    let content_type = content_type(key);
    let is_html = content_type.starts_with("text/html");
    let bytes: Vec<u8> = match output.get(key) {
        Found::File(Served::Bytes(b)) => b.as_ref().clone(),
        Found::File(Served::File(p)) => match crate::input::read_file(&p, None) {
            Ok(b) => b,
            Err(_) => return text(404, "Not found"),
        },
        Found::Failed(diagnostic) => {
            let mut diagnostics = crate::diagnostics::Diagnostics::new();
            diagnostics.push(crate::diagnostics::Diagnostic::clone(&diagnostic));
            let text = crate::report::plain_text(&diagnostics, output.root());
            return html(500, error_page(&text));
        }
        Found::Missing => return text(404, "Not found"),
    };
    let (status, body) = match (&snapshot.errors, is_html) {
        // The last good version of the page, under the errors of the build
        // that failed (a 500, so no tool takes it for a good page).
        (Some(errors), true) => (500, inject_live_reload(with_error_banner(bytes, errors))),
        (None, true) => (status, inject_live_reload(bytes)),
        (_, false) => (status, bytes),
    };
    let mut response = full(status, body);
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&content_type) {
        headers.insert(CONTENT_TYPE, value);
    }
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn full(status: u16, body: Vec<u8>) -> Response<Body> {
    let mut response = Response::new(Full::new(Bytes::from(body)).boxed());
    *response.status_mut() = StatusCode::from_u16(status).expect("statuses used here are valid");
    response
}

fn text(status: u16, body: &str) -> Response<Body> {
    let mut response = full(status, body.as_bytes().to_vec());
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

fn html(status: u16, page: String) -> Response<Body> {
    let mut response = full(status, page.into_bytes());
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
}

fn inject_live_reload(html: Vec<u8>) -> Vec<u8> {
    let text = String::from_utf8_lossy(&html);
    match text.rfind("</body>") {
        Some(i) => format!("{}{}{}", &text[..i], LIVE_RELOAD_SNIPPET, &text[i..]).into_bytes(),
        None => format!("{text}{LIVE_RELOAD_SNIPPET}").into_bytes(),
    }
}

/// `html` with the errors of the last build over it, right after `<body>`:
/// the editor sees what to fix and still reads the last good page.
fn with_error_banner(html: Vec<u8>, errors: &str) -> Vec<u8> {
    let mut escaped = String::new();
    pulldown_cmark_escape::escape_html(&mut escaped, errors).expect("writing to a String");
    let banner = format!(
        "<div role=\"alert\" id=\"attache-build-errors\" style=\"position:sticky;top:0;z-index:2147483647;max-height:60vh;overflow:auto;margin:0;padding:1rem 1.25rem;font:15px/1.45 system-ui,sans-serif;background:#1b1b1b;color:#eee;border-bottom:4px solid #ff8a80\">\
<strong style=\"color:#ff8a80\">attache: the last build failed.</strong> This is the last good version of the page; fix the problems below and save.\
<pre style=\"white-space:pre-wrap;margin:.75rem 0 0;font-size:13px\">{escaped}</pre></div>"
    );
    let text = String::from_utf8_lossy(&html);
    let at = text
        .find("<body")
        .and_then(|i| text[i..].find('>').map(|j| i + j + 1))
        .unwrap_or(0);
    format!("{}{banner}{}", &text[..at], &text[at..]).into_bytes()
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

/// The `Content-Type` of an output file: mime_guess's table by extension,
/// with attache's own files named (feeds are Atom, `_redirects` is text) and
/// a UTF-8 charset on text, which every file attache writes is.
fn content_type(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    let essence = match name {
        routes::FEED => "application/atom+xml".to_string(),
        routes::REDIRECTS => "text/plain".to_string(),
        _ => mime_guess::from_path(name)
            .first_or_octet_stream()
            .essence_str()
            .to_string(),
    };
    let text = essence.starts_with("text/")
        || essence.ends_with("+xml")
        || essence == "application/xml"
        || essence == "application/javascript";
    if text {
        format!("{essence}; charset=utf-8")
    } else {
        essence
    }
}

/// A Server-Sent Events stream: tells the browser to reload after every
/// rebuild; a comment every 15 s finds closed connections. At most
/// `MAX_EVENT_STREAMS` at once: the slot is freed when the connection
/// closes.
fn events(shared: &Shared, streams: &Arc<Semaphore>) -> Response<Body> {
    let Ok(permit) = streams.clone().try_acquire_owned() else {
        let mut response = text(503, "too many live-reload connections; close some tabs\n");
        response
            .headers_mut()
            .insert(RETRY_AFTER, HeaderValue::from_static("5"));
        return response;
    };
    let mut reloads = shared.reloads.subscribe();
    let (sender, receiver) = mpsc::channel::<Bytes>(4);
    tokio::spawn(async move {
        let _permit = permit;
        if sender
            .send(Bytes::from_static(b"retry: 500\n\n"))
            .await
            .is_err()
        {
            return;
        }
        loop {
            let message: &'static [u8] = tokio::select! {
                changed = reloads.changed() => match changed {
                    Ok(()) => b"data: reload\n\n",
                    Err(_) => return,
                },
                () = tokio::time::sleep(KEEP_ALIVE_EVERY) => b": keep-alive\n\n",
                () = sender.closed() => return,
            };
            if sender.send(Bytes::from_static(message)).await.is_err() {
                return;
            }
        }
    });
    let mut response = Response::new(BoxBody::new(Events(receiver)));
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("text/event-stream"));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// An event stream's body: each message as it comes, written at once.
struct Events(mpsc::Receiver<Bytes>);

impl hyper::body::Body for Events {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        self.0
            .poll_recv(cx)
            .map(|message| message.map(|bytes| Ok(Frame::data(bytes))))
    }
}

#[cfg(test)]
mod tests {
    use super::{content_type, location};

    #[test]
    fn content_types_come_from_the_extension_with_a_charset_on_text() {
        for (path, expected) in [
            ("index.html", "text/html; charset=utf-8"),
            ("briefings/2024/x/index.html", "text/html; charset=utf-8"),
            ("feed.xml", "application/atom+xml; charset=utf-8"),
            ("actors/kim/feed.xml", "application/atom+xml; charset=utf-8"),
            ("sitemap.xml", "text/xml; charset=utf-8"),
            ("feed.json", "application/json"),
            ("style.css", "text/css; charset=utf-8"),
            ("search.js", "text/javascript; charset=utf-8"),
            ("robots.txt", "text/plain; charset=utf-8"),
            ("_redirects", "text/plain; charset=utf-8"),
            ("logo.svg", "image/svg+xml; charset=utf-8"),
            ("photo.JPG", "image/jpeg"),
            ("map.webp", "image/webp"),
            ("font.woff2", "font/woff2"),
            ("report.pdf", "application/pdf"),
            ("data.bin", "application/octet-stream"),
            ("no-extension", "application/octet-stream"),
        ] {
            assert_eq!(content_type(path), expected, "{path}");
        }
    }

    #[test]
    fn locations_are_percent_encoded_and_stay_on_the_site() {
        assert_eq!(location("actors"), "/actors/");
        assert_eq!(location("caf\u{e9}"), "/caf%C3%A9/");
        assert_eq!(
            location("a\r\nSet-Cookie: x=1"),
            "/a%0D%0ASet-Cookie:%20x=1/"
        );
        assert_eq!(location("\\evil.com"), "/%5Cevil.com/");
        assert_eq!(location("100%"), "/100%25/");
    }
}
