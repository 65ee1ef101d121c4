//! A small SVG writer over quick-xml: it escapes every attribute and text,
//! and writes numbers rounded to one decimal.

use quick_xml::Writer;
use quick_xml::events::{BytesEnd, BytesStart, BytesText, Event};

/// A number as an attribute value: rounded to one decimal, without a
/// trailing `.0` and never `-0`. Callers keep their arithmetic finite (no
/// division by a zero count); a NaN or infinity would be a bug, and is
/// written as `0` rather than break the picture.
pub fn num(v: f64) -> String {
    if !v.is_finite() {
        debug_assert!(false, "a chart coordinate is {v}");
        return "0".to_string();
    }
    let tenths = (v * 10.0).round() as i64;
    if tenths % 10 == 0 {
        (tenths / 10).to_string()
    } else {
        let sign = if tenths < 0 { "-" } else { "" };
        let t = tenths.unsigned_abs();
        format!("{sign}{}.{}", t / 10, t % 10)
    }
}

/// Attributes of one element; numbers are written with [`num`].
pub type Attrs<'a> = &'a [(&'a str, Value<'a>)];

/// An attribute value.
pub enum Value<'a> {
    Text(&'a str),
    Num(f64),
}

impl<'a> From<&'a str> for Value<'a> {
    fn from(s: &'a str) -> Self {
        Value::Text(s)
    }
}

impl From<f64> for Value<'_> {
    fn from(v: f64) -> Self {
        Value::Num(v)
    }
}

pub struct Svg {
    w: Writer<Vec<u8>>,
}

fn element<'a>(name: &'a str, attrs: Attrs) -> BytesStart<'a> {
    let mut e = BytesStart::new(name);
    for (k, v) in attrs {
        match v {
            Value::Text(s) => e.push_attribute((*k, *s)),
            Value::Num(n) => e.push_attribute((*k, num(*n).as_str())),
        }
    }
    e
}

impl Svg {
    /// An `<svg>` of `width` x `height` user units, with `role`, whose
    /// `<title>` and `<desc>` (ids `{id}-title`, `{id}-desc`) name it.
    pub fn new(
        id: &str,
        class: &str,
        role: &str,
        size: (f64, f64),
        title: &str,
        desc: &str,
    ) -> Svg {
        let mut svg = Svg {
            w: Writer::new(Vec::with_capacity(4096)),
        };
        let view_box = format!("0 0 {} {}", num(size.0), num(size.1));
        let (title_id, desc_id) = (format!("{id}-title"), format!("{id}-desc"));
        let labelled_by = format!("{title_id} {desc_id}");
        svg.start(
            "svg",
            &[
                ("xmlns", "http://www.w3.org/2000/svg".into()),
                ("class", class.into()),
                ("viewBox", view_box.as_str().into()),
                ("role", role.into()),
                ("aria-labelledby", labelled_by.as_str().into()),
            ],
        );
        svg.text("title", &[("id", title_id.as_str().into())], title);
        svg.text("desc", &[("id", desc_id.as_str().into())], desc);
        svg
    }

    fn write(&mut self, event: Event) {
        self.w.write_event(event).expect("writing to memory");
    }

    pub fn start(&mut self, name: &str, attrs: Attrs) {
        self.write(Event::Start(element(name, attrs)));
    }

    pub fn end(&mut self, name: &str) {
        self.write(Event::End(BytesEnd::new(name)));
    }

    /// An element with no content: `<circle .../>`.
    pub fn empty(&mut self, name: &str, attrs: Attrs) {
        self.write(Event::Empty(element(name, attrs)));
    }

    /// An element holding `text`.
    pub fn text(&mut self, name: &str, attrs: Attrs, text: &str) {
        self.start(name, attrs);
        self.write(Event::Text(BytesText::new(text)));
        self.end(name);
    }

    pub fn finish(mut self) -> String {
        self.end("svg");
        String::from_utf8(self.w.into_inner()).expect("the writer was given only strings")
    }
}

/// `name` in at most `max` columns (a CJK character takes two), with an
/// ellipsis when cut: a label's room in a picture is fixed.
pub fn shorten(name: &str, max: usize) -> String {
    use unicode_width::UnicodeWidthStr;
    if name.width() <= max {
        return name.to_string();
    }
    let mut s = String::new();
    let mut columns = 0;
    for c in name.chars() {
        columns += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if columns > max.saturating_sub(1) {
            break;
        }
        s.push(c);
    }
    s.push('…');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_have_one_decimal_at_most_and_no_negative_zero() {
        assert_eq!(num(1.0), "1");
        assert_eq!(num(1.25), "1.3");
        assert_eq!(num(-0.01), "0");
        assert_eq!(num(-2.46), "-2.5");
        assert_eq!(num(0.05), "0.1");
        assert_eq!(num(123.04), "123");
    }

    #[test]
    fn names_are_escaped_in_text_and_attributes() {
        let mut svg = Svg::new("c", "k", "img", (10.0, 10.0), "<a & \"b\">", "d");
        svg.text("text", &[("data-x", "\"><script>".into())], "</svg><b>&");
        let out = svg.finish();
        assert!(!out.contains("<script>"), "{out}");
        assert!(!out.contains("</svg><b>"), "{out}");
        assert!(out.contains("&lt;a &amp; &quot;b&quot;&gt;"), "{out}");
    }

    #[test]
    fn shortening_counts_columns_not_bytes() {
        assert_eq!(shorten("Ab", 2), "Ab");
        assert_eq!(shorten("Abc", 2), "A…");
        assert_eq!(shorten("习近平", 6), "习近平");
        assert_eq!(shorten("习近平主席", 6), "习近…");
        assert_eq!(shorten("Ñandú", 5), "Ñandú");
    }
}
