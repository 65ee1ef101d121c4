//! An actor and the actors named most often in the same briefings: the
//! actor in the middle, its peers on an ellipse around it, strongest first
//! clockwise from the top, a line from the middle to each peer as thick as
//! their count, and fainter lines between peers that appear together too.
//!
//! The layout is fixed by the order of the peers alone (no force
//! simulation, no randomness). No peer sits straight above the middle (the
//! first is half a step past the top), so the labels of the upper half go
//! right or left of their node, away from the middle, and do not run into
//! each other; only a peer straight below (an odd count) is labelled
//! under its node.

use super::ChartView;
use crate::render::xml::{Svg, num};

/// A peer: its name, page and the number of briefings shared.
pub struct Peer {
    pub name: String,
    pub url: String,
    pub count: u32,
}

const WIDTH: f64 = 560.0;
const HEIGHT: f64 = 400.0;
const CX: f64 = WIDTH / 2.0;
const CY: f64 = HEIGHT / 2.0;
const RX: f64 = 110.0;
const RY: f64 = 140.0;
/// Columns of a label (a CJK character takes two); the full name is in
/// the node's `<title>`.
const LABEL_COLUMNS: usize = 20;

fn plural(n: u32) -> &'static str {
    if n == 1 { "briefing" } else { "briefings" }
}

/// The network of `centre` with `peers` (strongest first) and `links`
/// between peers (indices into `peers`, count); `None` without peers.
pub fn network(centre: &str, peers: &[Peer], links: &[(usize, usize, u32)]) -> Option<ChartView> {
    if peers.is_empty() {
        return None;
    }
    let listed: Vec<String> = peers
        .iter()
        .map(|p| format!("{}, {} {}", p.name, p.count, plural(p.count)))
        .collect();
    let desc = format!(
        "{centre} appears most with: {}. \
         Lines join actors named in the same briefings; the thicker the line, the more briefings.",
        listed.join("; ")
    );
    let title = format!("Who appears with {centre}");
    let mut svg = Svg::new(
        "chart-network",
        "chart-svg chart-network-svg",
        // A group, not an image: its nodes are links, and an image's
        // children are hidden from assistive technology.
        "group",
        (WIDTH, HEIGHT),
        &title,
        &desc,
    );
    let at: Vec<(f64, f64, f64)> = (0..peers.len())
        .map(|i| {
            let angle = (-90.0 + (i as f64 + 0.5) * 360.0 / peers.len() as f64).to_radians();
            (CX + RX * angle.cos(), CY + RY * angle.sin(), angle)
        })
        .collect();
    let most_together = f64::from(links.iter().map(|l| l.2).max().unwrap_or(1).max(1));
    let between = links.iter().map(|&(i, j, count)| {
        let (a, b) = (at[i], at[j]);
        ((a.0, a.1), (b.0, b.1), f64::from(count) / most_together)
    });
    lines_by_width(
        &mut svg,
        "chart-edge chart-edge-peer",
        &[0.75, 1.5, 2.5],
        between,
    );
    let max = peers.iter().map(|p| p.count).max().unwrap_or(1).max(1) as f64;
    let spokes = peers
        .iter()
        .zip(&at)
        .map(|(p, &(x, y, _))| ((CX, CY), (x, y), f64::from(p.count) / max));
    lines_by_width(&mut svg, "chart-edge", &[1.5, 2.5, 3.5, 5.0], spokes);
    svg.empty(
        "circle",
        &[
            ("class", "chart-node chart-node-centre".into()),
            ("cx", CX.into()),
            ("cy", CY.into()),
            ("r", 12.0.into()),
        ],
    );
    svg.text(
        "text",
        &[
            ("class", "chart-label chart-label-centre".into()),
            ("x", CX.into()),
            ("y", (CY + 30.0).into()),
            ("text-anchor", "middle".into()),
        ],
        &shorten(centre, LABEL_COLUMNS + 8),
    );
    svg.start("g", &[("class", "chart-peers".into())]);
    for (p, &(x, y, angle)) in peers.iter().zip(&at) {
        peer_node(
            &mut svg,
            p,
            (x, y, angle),
            4.0 + 6.0 * (p.count as f64 / max).sqrt(),
        );
    }
    svg.end("g");
    Some(ChartView {
        svg: svg.finish(),
        caption: format!(
            "The actors named most often in the same briefings as {centre}: \
             the thicker the line, the more briefings they share. \
             Peers joined by a line appear together too."
        ),
    })
}

/// Lines from `a` to `b` as wide as their share of the largest (0 to 1),
/// rounded up to one of `widths`: one path per width, so that the 66 lines
/// between twelve peers stay small in the page.
fn lines_by_width(
    svg: &mut Svg,
    class: &str,
    widths: &[f64],
    lines: impl Iterator<Item = ((f64, f64), (f64, f64), f64)>,
) {
    let mut paths = vec![String::new(); widths.len()];
    for (a, b, share) in lines {
        let level = ((widths.len() as f64 * share).ceil() as usize).clamp(1, widths.len()) - 1;
        paths[level] += &format!("M{} {}L{} {}", num(a.0), num(a.1), num(b.0), num(b.1));
    }
    for (path, width) in paths.iter().zip(widths) {
        if !path.is_empty() {
            let attrs = [
                ("class", class.into()),
                ("d", path.as_str().into()),
                ("stroke-width", (*width).into()),
            ];
            svg.empty("path", &attrs);
        }
    }
}

/// A peer's node and label, one link to its page.
fn peer_node(svg: &mut Svg, p: &Peer, (x, y, angle): (f64, f64, f64), r: f64) {
    let (cos, sin) = (angle.cos(), angle.sin());
    // Right of the node on the right side, left on the left, under it at
    // the bottom; 4.5 units down centres a 13-unit line on the node.
    let (anchor, lx, ly) = if cos > 0.25 {
        ("start", x + r + 5.0, y + 4.5)
    } else if cos < -0.25 {
        ("end", x - r - 5.0, y + 4.5)
    } else if sin > 0.0 {
        ("middle", x, y + r + 15.0)
    } else {
        ("middle", x, y - r - 6.0)
    };
    svg.start("a", &[("href", p.url.as_str().into())]);
    let what = format!("{}: {} {} together", p.name, p.count, plural(p.count));
    svg.text("title", &[], &what);
    svg.empty(
        "circle",
        &[("cx", x.into()), ("cy", y.into()), ("r", r.into())],
    );
    svg.text(
        "text",
        &[
            ("x", lx.into()),
            ("y", ly.into()),
            ("text-anchor", anchor.into()),
        ],
        &shorten(&p.name, LABEL_COLUMNS),
    );
    svg.end("a");
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
    fn shortening_counts_columns_not_bytes() {
        assert_eq!(shorten("Ab", 2), "Ab");
        assert_eq!(shorten("Abc", 2), "A…");
        assert_eq!(shorten("习近平", 6), "习近平");
        assert_eq!(shorten("习近平主席", 6), "习近…");
        assert_eq!(shorten("Ñandú", 5), "Ñandú");
    }

    fn peer(name: &str, count: u32) -> Peer {
        Peer {
            name: name.to_string(),
            url: format!("/actors/{count}/"),
            count,
        }
    }

    #[test]
    fn no_peers_no_picture() {
        assert_eq!(network("A", &[], &[]), None);
    }

    #[test]
    fn labels_on_the_right_start_and_on_the_left_end() {
        let peers: Vec<Peer> = (1..=4).rev().map(|c| peer(&format!("P{c}"), c)).collect();
        let svg = network("A", &peers, &[(0, 1, 2)]).unwrap().svg;
        // Four peers at -45, 45, 135 and 225 degrees: two right, two left.
        assert_eq!(svg.matches("text-anchor=\"start\"").count(), 2, "{svg}");
        assert_eq!(svg.matches("text-anchor=\"end\"").count(), 2, "{svg}");
        assert_eq!(svg.matches("chart-edge-peer").count(), 1, "{svg}");
        assert_eq!(svg.matches("<a ").count(), 4, "{svg}");
    }

    #[test]
    fn a_lone_peer_is_drawn_with_finite_numbers() {
        let svg = network("A", &[peer("B", 1)], &[]).unwrap().svg;
        assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
        assert!(svg.contains("text-anchor=\"middle\""), "{svg}");
    }
}
