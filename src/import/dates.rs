//! The dates Hugo and Jekyll sites hold: `2017-03-08`, `2017-03-08 2:05:17
//! -0400`, RFC 3339, `2014-03-21 12:00 EDT`, `April 9, 2015`, and the date
//! at the start of a Jekyll file name.

use jiff::civil::{Date, Time};
use jiff::tz::Offset;

/// A date as the source wrote it: the calendar date, and the time and UTC
/// offset when it gave them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourceDate {
    pub date: Date,
    pub time: Option<Time>,
    pub offset: Option<Offset>,
}

/// US zone abbreviations that Jekyll sites write after a time.
const ZONES: [(&str, i32); 10] = [
    ("UTC", 0),
    ("GMT", 0),
    ("EST", -5),
    ("EDT", -4),
    ("CST", -6),
    ("CDT", -5),
    ("MST", -7),
    ("MDT", -6),
    ("PST", -8),
    ("PDT", -7),
];

impl SourceDate {
    /// Reads a date in any of the forms above; text after a readable date
    /// and time that is neither an offset nor a zone is ignored.
    pub fn parse(text: &str) -> Option<SourceDate> {
        let text = text.trim().trim_matches(['"', '\'']).trim();
        if let Some(d) = month_name_date(text) {
            return Some(d);
        }
        let (date, rest) = leading_date(text)?;
        let rest = rest.strip_prefix(['T', 't']).unwrap_or(rest).trim_start();
        let Some((time, rest)) = leading_time(rest) else {
            return Some(SourceDate {
                date,
                time: None,
                offset: None,
            });
        };
        Some(SourceDate {
            date,
            time: Some(time),
            offset: offset(rest.trim()),
        })
    }

    /// The date at the start of a file name (`2015-05-21-tocking-time`), and
    /// the rest of the name after it.
    pub fn from_file_name(stem: &str) -> Option<(SourceDate, &str)> {
        let (date, rest) = leading_date(stem)?;
        let rest = rest.strip_prefix('-')?;
        Some((
            SourceDate {
                date,
                time: None,
                offset: None,
            },
            rest,
        ))
    }

    /// The date as attache's `date` field takes it: RFC 3339 when the time
    /// and offset are known, else the calendar date.
    pub fn attache(&self) -> String {
        match (self.time, self.offset) {
            (Some(time), Some(offset)) => {
                let seconds = offset.seconds();
                let sign = if seconds < 0 { '-' } else { '+' };
                let minutes = seconds.abs() / 60;
                format!(
                    "{}T{}{}{:02}:{:02}",
                    self.date,
                    time.strftime("%H:%M:%S"),
                    sign,
                    minutes / 60,
                    minutes % 60
                )
            }
            _ => self.date.to_string(),
        }
    }
}

fn number(text: &str, max_digits: usize) -> Option<(i32, &str)> {
    let n = text
        .bytes()
        .take(max_digits)
        .take_while(u8::is_ascii_digit)
        .count();
    if n == 0 {
        return None;
    }
    Some((text[..n].parse().ok()?, &text[n..]))
}

/// `YYYY-M-D` at the start of `text` (one- or two-digit month and day).
fn leading_date(text: &str) -> Option<(Date, &str)> {
    let (year, rest) = number(text, 4)?;
    let rest = rest.strip_prefix('-')?;
    let (month, rest) = number(rest, 2)?;
    let rest = rest.strip_prefix('-')?;
    let (day, rest) = number(rest, 2)?;
    if rest.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let date = Date::new(year as i16, month as i8, day as i8).ok()?;
    Some((date, rest))
}

/// `H:MM[:SS[.fff]]` at the start of `text`.
fn leading_time(text: &str) -> Option<(Time, &str)> {
    let (hour, rest) = number(text, 2)?;
    let rest = rest.strip_prefix(':')?;
    let (minute, mut rest) = number(rest, 2)?;
    let mut second = 0;
    if let Some(r) = rest.strip_prefix(':') {
        let (s, r) = number(r, 2)?;
        second = s;
        rest = r;
        if let Some(r) = rest.strip_prefix('.') {
            rest = r.trim_start_matches(|c: char| c.is_ascii_digit());
        }
    }
    let time = Time::new(hour as i8, minute as i8, second as i8, 0).ok()?;
    Some((time, rest))
}

/// `Z`, `+HH:MM`, `-HHMM`, `+HH` or a zone abbreviation such as `EDT`.
fn offset(text: &str) -> Option<Offset> {
    let word = text.split_whitespace().next()?;
    if word.eq_ignore_ascii_case("z") {
        return Some(Offset::UTC);
    }
    if let Some((_, hours)) = ZONES
        .iter()
        .find(|(name, _)| word.eq_ignore_ascii_case(name))
    {
        return Offset::from_hours(*hours as i8).ok();
    }
    let (sign, digits) = match word.as_bytes().first()? {
        b'+' => (1, &word[1..]),
        b'-' => (-1, &word[1..]),
        _ => return None,
    };
    let digits: String = digits.chars().filter(|c| *c != ':').collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m) = match digits.len() {
        2 => (digits.parse::<i32>().ok()?, 0),
        4 => (digits[..2].parse().ok()?, digits[2..].parse().ok()?),
        _ => return None,
    };
    if h > 23 || m > 59 {
        return None;
    }
    Offset::from_seconds(sign * (h * 3600 + m * 60)).ok()
}

/// `April 9, 2015`, `Apr 9 2015` or `9 April 2015`.
fn month_name_date(text: &str) -> Option<SourceDate> {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    if words.len() < 3 {
        return None;
    }
    let month = |w: &str| {
        let w = w.trim_end_matches('.').to_lowercase();
        (w.len() >= 3)
            .then(|| (1..=12).find(|&m| crate::dates::month_name(m).to_lowercase().starts_with(&w)))
            .flatten()
    };
    let (m, d, y) = if let Some(m) = month(words[0]) {
        (m, words[1], words[2])
    } else {
        (month(words[1])?, words[0], words[2])
    };
    let d: i8 = d
        .trim_end_matches(|c: char| c.is_ascii_alphabetic())
        .parse()
        .ok()?;
    let y: i16 = y.parse().ok()?;
    Some(SourceDate {
        date: Date::new(y, m, d).ok()?,
        time: None,
        offset: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attache(text: &str) -> String {
        SourceDate::parse(text)
            .map(|d| d.attache())
            .unwrap_or_default()
    }

    #[test]
    fn hugo_and_jekyll_date_forms_parse() {
        assert_eq!(
            attache("2017-03-08 2:05:17 -0400"),
            "2017-03-08T02:05:17-04:00"
        );
        assert_eq!(
            attache("'2017-03-08 2:05:17 -0400'"),
            "2017-03-08T02:05:17-04:00"
        );
        assert_eq!(
            attache("2014-03-21T12:00:00-04:00"),
            "2014-03-21T12:00:00-04:00"
        );
        assert_eq!(
            attache("2016-05-18T15:00:00.000Z"),
            "2016-05-18T15:00:00+00:00"
        );
        assert_eq!(attache("2014-06-03 10:00 EDT"), "2014-06-03T10:00:00-04:00");
        assert_eq!(
            attache("2015-01-01 12:00-0500"),
            "2015-01-01T12:00:00-05:00"
        );
        assert_eq!(attache("2015-06-10 09:00"), "2015-06-10");
        assert_eq!(attache("2016-02-9"), "2016-02-09");
        assert_eq!(attache("2016-05-10 (optional)"), "2016-05-10");
        assert_eq!(attache("April 9, 2015"), "2015-04-09");
        assert_eq!(attache("9 Sept 2015"), "2015-09-09");
        assert_eq!(attache("2015-03-00"), "");
        assert_eq!(attache("soon"), "");
    }

    #[test]
    fn a_jekyll_file_name_gives_the_date_and_the_title_part() {
        let (date, rest) = SourceDate::from_file_name("2015-05-21-TockingTime").unwrap();
        assert_eq!(date.attache(), "2015-05-21");
        assert_eq!(rest, "TockingTime");
        assert!(SourceDate::from_file_name("about").is_none());
    }
}
