//! Which URLs an editor may link to. A source or a body link with a
//! `javascript:`, `data:` or other scheme is never rendered as a link.

/// Whether `url` is safe to put in an `href`: http(s) and mailto URLs, and
/// relative URLs (paths, fragments, queries).
pub fn is_safe_link(url: &str) -> bool {
    match scheme(url) {
        Some(s) => matches!(s.to_ascii_lowercase().as_str(), "http" | "https" | "mailto"),
        None => true,
    }
}

/// The scheme of an absolute URL (`https` in `https://...`), if any, read
/// as a browser reads it (the WHATWG URL parser): leading and trailing
/// controls and spaces are ignored, and so are ASCII tabs and line breaks
/// anywhere (`java\tscript:` is `javascript:`). A colon after a `/`, `?` or
/// `#` is part of a relative URL, not a scheme.
fn scheme(url: &str) -> Option<String> {
    let url = url.trim_matches(|c: char| c <= ' ');
    let end = url.find(':')?;
    let candidate: String = url[..end]
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    if candidate.contains(['/', '?', '#']) {
        return None;
    }
    Some(candidate)
}

/// Whether an external URL an editor wrote (a source, a profile's link, a
/// figure's `source_url`) is linked: an absolute http(s) or mailto URL with
/// a host. `www.example.org/x` is not (as a link it would lead inside the
/// site); it is shown as text.
pub fn is_external_link(url: &str) -> bool {
    check_source_url(url).is_ok()
}

/// Checks a source URL an editor wrote: `Err` says what is wrong.
pub fn check_source_url(url: &str) -> Result<(), String> {
    let trimmed = url.trim();
    if !is_safe_link(trimmed) || scheme(trimmed).is_none() {
        return Err(format!(
            "'{url}' is not an http(s) URL, so it will not be linked"
        ));
    }
    if trimmed.starts_with("mailto:") {
        return Ok(());
    }
    match url::Url::parse(trimmed) {
        Ok(u) if u.host_str().is_some_and(|h| !h.is_empty()) => Ok(()),
        Ok(_) => Err(format!("'{url}' has no host")),
        Err(e) => Err(format!("'{url}' is not a valid URL ({e})")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_and_mail_schemes_are_links() {
        assert!(is_safe_link("https://example.org/"));
        assert!(is_safe_link("HTTP://example.org/"));
        assert!(is_safe_link("mailto:desk@example.org"));
        assert!(is_safe_link("/about/"));
        assert!(is_safe_link("#source-1"));
        assert!(is_safe_link("page?x=a:b"));
        assert!(!is_safe_link("javascript:alert(1)"));
        assert!(!is_safe_link(" JavaScript:alert(1)"));
        assert!(!is_safe_link("data:text/html,<script>"));
        assert!(!is_safe_link("vbscript:x"));
        assert!(!is_safe_link("java\tscript:alert(1)"));
        assert!(!is_safe_link("\u{1}javascript:alert(1)"));
        assert!(!is_safe_link("jav\r\nascript:alert(1)"));
        assert!(!is_safe_link("data:image/png;base64,AAAA"));
    }

    #[test]
    fn source_urls_must_be_absolute_web_urls() {
        assert!(check_source_url("https://www.themoscowtimes.com/2023/11/15/a").is_ok());
        assert!(check_source_url("www.example.org").is_err());
        assert!(check_source_url("javascript:alert(1)").is_err());
        assert!(check_source_url("https://").is_err());
    }
}
