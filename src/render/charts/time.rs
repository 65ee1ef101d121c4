//! Pictures over time: the strip of an actor's or topic's briefings (bars
//! per month) and events (dots per month, rings for events dated only by
//! year), and a topic's briefings per month with labelled axes.
//!
//! Time runs left to right in months, from the first month with something
//! to the last, so one month and twenty years both fill the width; months
//! with nothing draw nothing. The axis names months when the span is short
//! (up to 18 months) and otherwise years, every 1, 2, 5, 10... so that at
//! most ten labels fit.

use super::ChartView;
use crate::dates::{PartialDate, month_name};
use crate::render::xml::{Svg, num};
use std::collections::BTreeMap;

/// A month as a number: `year * 12 + month - 1`.
type Month = i32;

fn month_of(year: i16, month: i8) -> Month {
    i32::from(year) * 12 + i32::from(month) - 1
}

/// `Jun 2024`.
fn month_label(m: Month) -> String {
    let month = (m.rem_euclid(12) + 1) as i8;
    format!("{} {}", &month_name(month)[..3], m.div_euclid(12))
}

/// `Jun 2024`, or `Jan 2023–Dec 2024`.
fn span_label(first: Month, last: Month) -> String {
    if first == last {
        month_label(first)
    } else {
        format!("{}–{}", month_label(first), month_label(last))
    }
}

/// How many briefings each month has, months in order (empty ones left out).
pub struct MonthCounts(Vec<(Month, u32)>);

impl MonthCounts {
    pub fn new(dates: impl Iterator<Item = jiff::civil::Date>) -> MonthCounts {
        let mut counts: BTreeMap<Month, u32> = BTreeMap::new();
        for d in dates {
            *counts.entry(month_of(d.year(), d.month())).or_default() += 1;
        }
        MonthCounts(counts.into_iter().collect())
    }

    fn span(&self) -> Option<(Month, Month)> {
        Some((self.0.first()?.0, self.0.last()?.0))
    }

    fn total(&self) -> u32 {
        self.0.iter().map(|(_, c)| c).sum()
    }

    /// The month with the most, the earliest of equals.
    fn peak(&self) -> Option<(Month, u32)> {
        self.0
            .iter()
            .copied()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
    }
}

/// How many events each month has, and how many are dated only by year.
pub struct EventCounts {
    months: Vec<(Month, u32)>,
    /// By year, for the events dated only by year.
    years: Vec<(i32, u32)>,
}

impl EventCounts {
    pub fn new(dates: impl Iterator<Item = PartialDate>) -> EventCounts {
        let mut months: BTreeMap<Month, u32> = BTreeMap::new();
        let mut years: BTreeMap<i32, u32> = BTreeMap::new();
        for d in dates {
            match d.month {
                Some(m) => *months.entry(month_of(d.year, m)).or_default() += 1,
                None => *years.entry(i32::from(d.year)).or_default() += 1,
            }
        }
        EventCounts {
            months: months.into_iter().collect(),
            years: years.into_iter().collect(),
        }
    }

    fn total(&self) -> u32 {
        self.months.iter().chain(&self.years).map(|(_, c)| c).sum()
    }

    /// The first and last month its events may fall in.
    fn span(&self) -> Option<(Month, Month)> {
        let months = self.months.iter().map(|(m, _)| (*m, *m));
        let years = self.years.iter().map(|(y, _)| (y * 12, y * 12 + 11));
        months
            .chain(years)
            .reduce(|a, b| (a.0.min(b.0), a.1.max(b.1)))
    }
}

/// A horizontal time scale: months `first..=last` over `left..left+width`.
struct Scale {
    first: Month,
    months: f64,
    left: f64,
    width: f64,
}

impl Scale {
    fn new((first, last): (Month, Month), left: f64, width: f64) -> Scale {
        Scale {
            first,
            months: f64::from(last - first + 1),
            left,
            width,
        }
    }

    /// Where month `m` (plus a fraction) begins.
    fn x(&self, m: f64) -> f64 {
        self.left + (m - f64::from(self.first)) / self.months * self.width
    }

    fn slot(&self) -> f64 {
        self.width / self.months
    }

    /// A bar's left edge and width within month `m`'s slot: gaps between
    /// bars while there is room, never wider than `max`, never thinner
    /// than a hairline.
    fn bar(&self, m: Month, max: f64) -> (f64, f64) {
        let slot = self.slot();
        let width = if slot >= 3.0 { slot * 0.75 } else { slot }
            .min(max)
            .max(0.6);
        (self.x(f64::from(m)) + (slot - width) / 2.0, width)
    }

    /// The labels of the time axis: (x, text, anchor). Months for a short
    /// span, else years; none that would run off the right edge.
    fn labels(&self, right: f64) -> Vec<(f64, String, &'static str)> {
        let last = self.first + self.months as Month - 1;
        let mut out = Vec::new();
        if self.months <= 18.0 {
            let step = (self.months as Month + 7) / 8;
            for m in (self.first..=last).step_by(step as usize) {
                let text = if m == self.first || m.rem_euclid(12) == 0 {
                    month_label(m)
                } else {
                    month_label(m)[..3].to_string()
                };
                out.push((self.x(f64::from(m) + 0.5), text, "middle"));
            }
        } else {
            let (y0, y1) = (self.first.div_euclid(12), last.div_euclid(12));
            let step = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000]
                .into_iter()
                .find(|s| (y1 - y0 + 1) / s <= 10)
                .unwrap_or(10_000);
            for y in (y0..=y1).filter(|y| y % step == 0 && y * 12 >= self.first) {
                let x = self.x(f64::from(y * 12));
                if x + 32.0 <= right {
                    out.push((x, y.to_string(), "start"));
                }
            }
        }
        out
    }
}

/// The time axis under a plot: its line, a tick at each label and the
/// labels, text baseline at `label_y`.
fn time_axis(svg: &mut Svg, scale: &Scale, axis_y: f64, label_y: f64, right: f64) {
    svg.empty(
        "line",
        &[
            ("class", "chart-axis".into()),
            ("x1", scale.left.into()),
            ("y1", axis_y.into()),
            ("x2", (scale.left + scale.width).into()),
            ("y2", axis_y.into()),
        ],
    );
    for (x, text, anchor) in scale.labels(right) {
        svg.empty(
            "line",
            &[
                ("class", "chart-tick".into()),
                ("x1", x.into()),
                ("y1", axis_y.into()),
                ("x2", x.into()),
                ("y2", (axis_y + 4.0).into()),
            ],
        );
        let lx = if anchor == "start" { x + 3.0 } else { x };
        svg.text(
            "text",
            &[
                ("class", "chart-tick-label".into()),
                ("x", lx.into()),
                ("y", label_y.into()),
                ("text-anchor", anchor.into()),
            ],
            &text,
        );
    }
}

fn plural(n: u32, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A bar of `count` briefings in month `m`, bottom at `base`.
fn bar(svg: &mut Svg, (x, width): (f64, f64), base: f64, height: f64, tip: &str) {
    svg.start(
        "rect",
        &[
            ("class", "chart-bar".into()),
            ("x", x.into()),
            ("y", (base - height).into()),
            ("width", width.into()),
            ("height", height.into()),
        ],
    );
    svg.text("title", &[], tip);
    svg.end("rect");
}

/// Events as dots on the strip's second row, by month (rings at mid-year
/// for events dated only by year), in three sizes by count. A dot is a
/// round-capped line of no length, so each size is one path.
fn event_dots(svg: &mut Svg, scale: &Scale, events: &EventCounts) {
    let most = events.months.iter().chain(&events.years).map(|e| e.1).max();
    let most = f64::from(most.unwrap_or(1).max(1));
    let level = |count: u32| ((3.0 * f64::from(count) / most).ceil() as usize).clamp(1, 3) - 1;
    let mut dots = [String::new(), String::new(), String::new()];
    for (m, count) in &events.months {
        let x = scale.x(f64::from(*m) + 0.5);
        dots[level(*count)] += &format!("M{} 60h0", num(x));
    }
    for (path, width) in dots.iter().zip([5.0, 7.5, 10.0]) {
        if !path.is_empty() {
            let attrs = [
                ("class", "chart-event".into()),
                ("d", path.as_str().into()),
                ("stroke-width", width.into()),
            ];
            svg.empty("path", &attrs);
        }
    }
    for (y, count) in &events.years {
        svg.empty(
            "circle",
            &[
                ("class", "chart-event-year".into()),
                ("cx", scale.x(f64::from(y * 12 + 6)).into()),
                ("cy", 60.0.into()),
                ("r", [2.5, 3.75, 5.0][level(*count)].into()),
            ],
        );
    }
}

const STRIP: (f64, f64) = (600.0, 92.0);
const STRIP_PAD: f64 = 12.0;

/// The strip of `subject`'s briefings and events; `None` with neither.
pub fn strip(subject: &str, briefings: &MonthCounts, events: &EventCounts) -> Option<ChartView> {
    let span = match (briefings.span(), events.span()) {
        (Some(a), Some(b)) => (a.0.min(b.0), a.1.max(b.1)),
        (a, b) => a.or(b)?,
    };
    let mut words = Vec::new();
    if let (Some((first, last)), Some((peak, most))) = (briefings.span(), briefings.peak()) {
        words.push(format!(
            "{} from {} to {} (most in {}: {most})",
            plural(briefings.total(), "briefing", "briefings"),
            month_label(first),
            month_label(last),
            month_label(peak),
        ));
    }
    if let Some((first, last)) = events.span() {
        words.push(format!(
            "{} from {} to {}",
            plural(events.total(), "event", "events"),
            first.div_euclid(12),
            last.div_euclid(12),
        ));
    }
    let desc = format!(
        "{}. Bars: briefings per month; dots: events per month (rings: events dated only by year).",
        words.join("; ")
    );
    let mut svg = Svg::new(
        "chart-strip",
        "chart-svg chart-strip-svg",
        "img",
        STRIP,
        &format!("{subject} over time"),
        &desc,
    );
    let scale = Scale::new(span, STRIP_PAD, STRIP.0 - 2.0 * STRIP_PAD);
    let (base, tallest) = (46.0, 34.0);
    // One path for all bars, and dots without tooltips: an actor's page
    // may hold a hundred months; the desc and caption say what they show.
    let most = briefings.peak().map_or(1, |p| p.1).max(1);
    let mut bars = String::new();
    for &(m, count) in &briefings.0 {
        let height = tallest * f64::from(count) / f64::from(most);
        let (x, width) = scale.bar(m, 16.0);
        let (x, y, w, h) = (num(x), num(base - height), num(width), num(height));
        bars += &format!("M{x} {y}h{w}v{h}h-{w}z");
    }
    if !bars.is_empty() {
        let attrs = [("class", "chart-bar".into()), ("d", bars.as_str().into())];
        svg.empty("path", &attrs);
    }
    event_dots(&mut svg, &scale, events);
    time_axis(&mut svg, &scale, base, 86.0, STRIP.0);
    Some(ChartView {
        svg: svg.finish(),
        caption: format!(
            "{subject} over time, {}: briefings per month (bars) and events (dots).",
            span_label(span.0, span.1)
        ),
    })
}

const MONTHS: (f64, f64) = (600.0, 220.0);
/// Plot area: left, top, right, bottom margins.
const PLOT: (f64, f64, f64, f64) = (40.0, 24.0, 12.0, 30.0);
/// The most months the chart shows: the last twenty years.
const MONTHS_SHOWN: Month = 240;

/// The smallest of 1, 2, 5, 10, 20, 50... at least `n`, and the step of
/// its gridlines.
fn nice_scale(n: u32) -> (u32, u32) {
    let mut unit = 1u32;
    loop {
        for (k, parts) in [(1, 5), (2, 4), (5, 5)] {
            let top = k * unit;
            if top >= n {
                return (top, (top / parts).max(1));
            }
        }
        unit = unit.saturating_mul(10);
    }
}

/// `subject`'s briefings per month, over the whole span or its last twenty
/// years; `None` without briefings.
pub fn months(subject: &str, briefings: &MonthCounts) -> Option<ChartView> {
    let (first, last) = briefings.span()?;
    let first = first.max(last - (MONTHS_SHOWN - 1));
    let shown: Vec<(Month, u32)> = briefings
        .0
        .iter()
        .copied()
        .filter(|(m, _)| *m >= first)
        .collect();
    let shown = MonthCounts(shown);
    let (peak, most) = shown.peak()?;
    let caption = format!(
        "Briefings per month, {}: peak {most} in {}; {} in all.",
        span_label(first, last),
        month_label(peak),
        shown.total()
    );
    let mut svg = Svg::new(
        "chart-months",
        "chart-svg chart-months-svg",
        "img",
        MONTHS,
        &format!("Briefings per month on {subject}"),
        &caption,
    );
    let (left, top, right, bottom) = PLOT;
    let (w, h) = (MONTHS.0 - left - right, MONTHS.1 - top - bottom);
    let base = top + h;
    let (ceiling, step) = nice_scale(most);
    svg.text(
        "text",
        &[
            ("class", "chart-axis-title".into()),
            ("x", 4.0.into()),
            ("y", 12.0.into()),
        ],
        "Briefings per month",
    );
    for v in (0..=ceiling).step_by(step as usize) {
        let y = base - h * f64::from(v) / f64::from(ceiling);
        svg.empty(
            "line",
            &[
                ("class", "chart-grid".into()),
                ("x1", left.into()),
                ("y1", y.into()),
                ("x2", (left + w).into()),
                ("y2", y.into()),
            ],
        );
        let label = [
            ("class", "chart-tick-label".into()),
            ("x", (left - 6.0).into()),
            ("y", (y + 4.0).into()),
            ("text-anchor", "end".into()),
        ];
        svg.text("text", &label, &v.to_string());
    }
    let scale = Scale::new((first, last), left, w);
    for &(m, count) in &shown.0 {
        let height = h * f64::from(count) / f64::from(ceiling);
        let tip = format!(
            "{}: {}",
            month_label(m),
            plural(count, "briefing", "briefings")
        );
        bar(&mut svg, scale.bar(m, 40.0), base, height, &tip);
    }
    time_axis(&mut svg, &scale, base, base + 20.0, MONTHS.0);
    Some(ChartView {
        svg: svg.finish(),
        caption,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn counts(dates: &[(i16, i8)]) -> MonthCounts {
        MonthCounts::new(dates.iter().map(|(y, m)| date(*y, *m, 1)))
    }

    #[test]
    fn the_scale_rounds_up_to_one_two_or_five() {
        assert_eq!(nice_scale(1), (1, 1));
        assert_eq!(nice_scale(2), (2, 1));
        assert_eq!(nice_scale(3), (5, 1));
        assert_eq!(nice_scale(7), (10, 2));
        assert_eq!(nice_scale(11), (20, 5));
        assert_eq!(nice_scale(3000), (5000, 1000));
    }

    #[test]
    fn one_month_draws_one_bar_and_names_the_month() {
        let c = months("T", &counts(&[(2024, 3)])).unwrap();
        assert_eq!(c.svg.matches("<rect").count(), 1);
        assert!(c.svg.contains(">Mar 2024<"), "{}", c.svg);
        assert_eq!(
            c.caption,
            "Briefings per month, Mar 2024: peak 1 in Mar 2024; 1 in all."
        );
    }

    #[test]
    fn twenty_years_are_labelled_by_years_and_the_caption_names_the_peak() {
        let mut dates: Vec<(i16, i8)> = (2000..2020).map(|y| (y, 1)).collect();
        dates.extend([(2010, 6), (2010, 6)]);
        let c = months("T", &counts(&dates)).unwrap();
        assert!(
            c.svg.contains(">2000<") && c.svg.contains(">2010<"),
            "{}",
            c.svg
        );
        assert!(!c.svg.contains(">Feb"), "{}", c.svg);
        assert_eq!(
            c.caption,
            "Briefings per month, Jan 2000–Jan 2019: peak 2 in Jun 2010; 22 in all."
        );
    }

    #[test]
    fn more_than_twenty_years_shows_the_last_twenty() {
        let c = months("T", &counts(&[(1990, 1), (2024, 12)])).unwrap();
        assert!(
            c.caption
                .starts_with("Briefings per month, Jan 2005–Dec 2024"),
            "{}",
            c.caption
        );
        assert_eq!(c.svg.matches("<rect").count(), 1);
    }

    #[test]
    fn events_dated_by_year_are_rings_and_widen_the_strip() {
        let events = EventCounts::new(
            [
                PartialDate::parse("1991").unwrap(),
                PartialDate::parse("2024-02-03").unwrap(),
            ]
            .into_iter(),
        );
        let c = strip("A", &counts(&[(2024, 2)]), &events).unwrap();
        assert!(c.svg.contains("chart-event-year"), "{}", c.svg);
        assert!(c.caption.contains("Jan 1991–Feb 2024"), "{}", c.caption);
        assert!(!c.svg.contains("NaN") && !c.svg.contains("inf"));
    }

    #[test]
    fn nothing_to_draw_is_no_picture() {
        assert!(months("T", &counts(&[])).is_none());
        assert!(strip("T", &counts(&[]), &EventCounts::new(std::iter::empty())).is_none());
    }
}
