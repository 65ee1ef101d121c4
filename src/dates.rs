//! Dates as editors write them: full dates, RFC 3339 timestamps and the
//! partial dates (`2023`, `2023-11`) that events often have.

use jiff::civil::Date;
use jiff::{Timestamp, tz::TimeZone};
use serde::Serialize;
use std::fmt;

/// A publication date: a calendar date, optionally with a time of day.
/// `date` is the calendar date where the briefing was published (the offset
/// the editor wrote), so a late-evening briefing does not move to the next day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateTime {
    pub date: Date,
    pub timestamp: Timestamp,
}

impl DateTime {
    /// Parses `YYYY-MM-DD` or an RFC 3339 timestamp. Years past 9999 and
    /// UTC offsets beyond ±24:00 are refused with a message of our own,
    /// never the date library's.
    pub fn parse(text: &str) -> Result<DateTime, String> {
        let text = text.trim();
        if past_9999(text) {
            return Err(format!(
                "'{text}' is after the year 9999, the last year attache handles"
            ));
        }
        if let Some(offset) = offset_beyond_a_day(text) {
            return Err(format!(
                "'{text}' has the UTC offset {offset}, beyond ±24:00: write the offset of a real time zone, e.g. +03:00"
            ));
        }
        if text.len() <= 10 {
            let date = parse_date(text)?;
            let timestamp = date
                .to_zoned_datetime(TimeZone::UTC)
                .map_err(|_| {
                    format!(
                        "'{text}' is too late a date: the last day attache handles is 9999-12-30"
                    )
                })?
                .timestamp();
            return Ok(DateTime { date, timestamp });
        }
        let timestamp: Timestamp = text.parse().map_err(|_| {
            format!(
                "'{text}' is not a date: write YYYY-MM-DD or an RFC 3339 timestamp such as 2023-11-15T09:30:00+03:00"
            )
        })?;
        let offset = jiff::fmt::temporal::Pieces::parse(text)
            .ok()
            .and_then(|p| p.to_numeric_offset())
            .unwrap_or(jiff::tz::Offset::UTC);
        let zoned = timestamp.to_zoned_datetime(TimeZone::fixed(offset));
        Ok(DateTime {
            date: zoned.date(),
            timestamp: zoned.timestamp(),
        })
    }

    /// A moment as a date-time in UTC (for commit times).
    pub fn from_timestamp(timestamp: Timestamp) -> DateTime {
        DateTime {
            date: timestamp.to_zoned_datetime(TimeZone::UTC).date(),
            timestamp,
        }
    }

    /// `2023-11-15T00:00:00Z`, for feeds and machine-readable metadata.
    pub fn rfc3339(&self) -> String {
        self.timestamp.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
    }
}

/// Whether `text` starts with a year of five digits or more (`10000-01-01`,
/// `+010000-01-01`).
fn past_9999(text: &str) -> bool {
    let digits = text.strip_prefix('+').unwrap_or(text);
    let year = digits.bytes().take_while(u8::is_ascii_digit).count();
    year > 4 && digits[..year].trim_start_matches('0').len() > 4
}

/// The UTC offset written after the time (`+25:00`, `-2430`), when it is
/// more than a day.
fn offset_beyond_a_day(text: &str) -> Option<&str> {
    let time = &text[text.find(['T', 't', ' '])?..];
    let sign = time.rfind(['+', '-'])?;
    let offset = &time[sign..];
    let digits: Vec<u32> = offset[1..]
        .chars()
        .filter(|c| *c != ':')
        .map(|c| c.to_digit(10))
        .collect::<Option<_>>()?;
    if digits.len() < 2 {
        return None;
    }
    let hours = digits[0] * 10 + digits[1];
    let minutes = if digits.len() >= 4 {
        digits[2] * 10 + digits[3]
    } else {
        0
    };
    (hours * 60 + minutes > 24 * 60).then_some(offset)
}

fn parse_date(text: &str) -> Result<Date, String> {
    let bytes = text.as_bytes();
    let shaped = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if !shaped {
        if PartialDate::parse(text).is_ok() {
            return Err(format!(
                "'{text}' is a partial date; this field needs the day too: write YYYY-MM-DD"
            ));
        }
        return Err(format!("'{text}' is not a date: write YYYY-MM-DD"));
    }
    text.parse::<Date>()
        .map_err(|_| format!("'{text}' is not a real calendar date"))
}

/// A date that may be only a year or a year and month. Ordering puts a bare
/// year before its months, and a month before its days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    pub year: i16,
    pub month: Option<i8>,
    pub day: Option<i8>,
}

impl PartialDate {
    pub fn parse(text: &str) -> Result<PartialDate, String> {
        let text = text.trim();
        let hint = "write YYYY, YYYY-MM or YYYY-MM-DD";
        let parts: Vec<&str> = text.split('-').collect();
        let numbers: Option<Vec<i32>> = parts
            .iter()
            .map(|p| {
                if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) {
                    p.parse().ok()
                } else {
                    None
                }
            })
            .collect();
        let bad = || format!("'{text}' is not a date: {hint}");
        let numbers = numbers.ok_or_else(bad)?;
        if parts[0].len() != 4 || parts.iter().skip(1).any(|p| p.len() != 2) {
            return Err(bad());
        }
        let year = numbers[0] as i16;
        match numbers.len() {
            1 => Ok(PartialDate {
                year,
                month: None,
                day: None,
            }),
            2 if (1..=12).contains(&numbers[1]) => Ok(PartialDate {
                year,
                month: Some(numbers[1] as i8),
                day: None,
            }),
            3 => {
                let date = parse_date(text)?;
                Ok(PartialDate::from(date))
            }
            2 => Err(format!("'{text}' has no month {}", numbers[1])),
            _ => Err(bad()),
        }
    }

    pub fn iso(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{:04}-{:02}-{:02}", self.year, m, d),
            (Some(m), None) => format!("{:04}-{:02}", self.year, m),
            _ => format!("{:04}", self.year),
        }
    }
}

impl From<Date> for PartialDate {
    fn from(date: Date) -> Self {
        PartialDate {
            year: date.year(),
            month: Some(date.month()),
            day: Some(date.day()),
        }
    }
}

impl fmt::Display for PartialDate {
    /// `2023`, `November 2023` or `13 November 2023`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.month, self.day) {
            (Some(m), Some(d)) => write!(f, "{} {} {}", d, month_name(m), self.year),
            (Some(m), None) => write!(f, "{} {}", month_name(m), self.year),
            _ => write!(f, "{}", self.year),
        }
    }
}

pub fn month_name(month: i8) -> &'static str {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    NAMES[(month.clamp(1, 12) - 1) as usize]
}

/// A date as templates see it: machine and human forms side by side.
#[derive(Debug, Clone, Serialize)]
pub struct DateView {
    /// `2023-11-15` (or `2023-11`, `2023` for partial dates).
    pub iso: String,
    /// `15 November 2023`.
    pub display: String,
    /// The month and year, `November 2023` (the year alone for a bare year),
    /// for grouping lists by month.
    pub month_display: String,
    pub year: i16,
    pub month: Option<i8>,
    pub day: Option<i8>,
    /// `2023-11-15T00:00:00Z`; absent for partial dates.
    pub rfc3339: Option<String>,
}

impl From<&DateTime> for DateView {
    fn from(dt: &DateTime) -> Self {
        let partial = PartialDate::from(dt.date);
        DateView {
            rfc3339: Some(dt.rfc3339()),
            ..DateView::from(&partial)
        }
    }
}

impl From<&PartialDate> for DateView {
    fn from(p: &PartialDate) -> Self {
        DateView {
            iso: p.iso(),
            display: p.to_string(),
            month_display: PartialDate { day: None, ..*p }.to_string(),
            year: p.year,
            month: p.month,
            day: p.day,
            rfc3339: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_dates_and_timestamps() {
        let d = DateTime::parse("2023-11-15").unwrap();
        assert_eq!(d.rfc3339(), "2023-11-15T00:00:00Z");
        let t = DateTime::parse("2023-11-15T01:30:00+09:00").unwrap();
        assert_eq!(t.date.to_string(), "2023-11-15");
        assert_eq!(t.rfc3339(), "2023-11-14T16:30:00Z");
        assert!(DateTime::parse("2023-02-30").is_err());
        assert!(DateTime::parse("15/11/2023").is_err());
        assert!(
            DateTime::parse("2023-11")
                .unwrap_err()
                .contains("partial date")
        );
    }

    #[test]
    fn dates_beyond_the_range_get_messages_of_our_own() {
        for (text, says) in [
            ("10000-01-01", "after the year 9999"),
            ("+010000-01-01T00:00:00Z", "after the year 9999"),
            ("9999-12-31", "last day attache handles"),
            ("2023-11-15T09:30:00+25:00", "beyond ±24:00"),
            ("2023-11-15T09:30:00-24:30", "beyond ±24:00"),
            ("2023-11-15T09:30:00+2430", "beyond ±24:00"),
            ("9999-12-31T23:00:00-23:00", "not a date"),
        ] {
            let err = DateTime::parse(text).unwrap_err();
            assert!(err.contains(says), "{text}: {err}");
            assert!(err.contains(text), "{text}: {err}");
        }
        assert!(DateTime::parse("2023-11-15T09:30:00-12:00").is_ok());
        assert!(DateTime::parse("2023-11-15T09:30:00+24:00").is_ok());
        assert!(DateTime::parse("9999-12-30").is_ok());
        assert!(DateTime::parse("0001-01-01").is_ok());
    }

    #[test]
    fn partial_dates_order_year_before_month_before_day() {
        let y = PartialDate::parse("2023").unwrap();
        let m = PartialDate::parse("2023-11").unwrap();
        let d = PartialDate::parse("2023-11-14").unwrap();
        let earlier = PartialDate::parse("2023-09-13").unwrap();
        assert!(y < earlier && earlier < m && m < d);
        assert_eq!(m.to_string(), "November 2023");
        assert_eq!(DateView::from(&d).month_display, "November 2023");
        assert_eq!(DateView::from(&y).month_display, "2023");
        assert_eq!(d.iso(), "2023-11-14");
        assert!(PartialDate::parse("2023-13").is_err());
        assert!(PartialDate::parse("23-1").is_err());
        assert!(PartialDate::parse("2023-02-29").is_err());
    }
}
