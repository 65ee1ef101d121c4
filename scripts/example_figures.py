#!/usr/bin/env python3
"""Draws the example site's figures from the site's own data.

    pip install matplotlib numpy pillow pyyaml
    python3 scripts/example_figures.py          # from the repository root

Python 3.11. The images are committed, so building the example site never
needs this script or its packages; run it again after changing the data the
charts are drawn from, and commit what it writes. The same content gives the
same files. It writes:

    content/media/actors-most-named.svg    bar chart: actors named in the most briefings
    content/media/events-per-quarter.png   bar chart: dated events per quarter, 2023-2024
    content/media/launches-2023.png        timeline of the launch table in the 2023 briefing
    content/media/ridge-road.jpg           generated, photo-like landscape (not a photograph)
    content/media/flag-north-korea.svg     the DPRK flag, drawn from its proportions
    content/briefings/2024/2024-06-20-putin-in-pyongyang-treaty/tumen-crossing.svg
                                           schematic map of the lower Tumen River

and prints the numbers each chart shows, for its alt text.
"""

import collections
import csv
import datetime
import io
import math
import re
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates  # noqa: E402
import matplotlib.ticker  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import yaml  # noqa: E402
from PIL import Image  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
MEDIA = CONTENT / "media"
BUNDLE = CONTENT / "briefings/2024/2024-06-20-putin-in-pyongyang-treaty"

INK = "#1d2733"
ACCENT = "#2f5d8a"
MUTED = "#6b7785"
FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"


# --- the site's data -----------------------------------------------------------


def front_matter(path):
    """The YAML front matter of a Markdown file (all values as strings) and its body."""
    text = path.read_text(encoding="utf-8")
    _, fields, body = text.split("---\n", 2)
    return yaml.load(fields, Loader=yaml.BaseLoader), body


def slugify(name):
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def briefing_files():
    files = sorted(CONTENT.glob("briefings/*/*.md")) + sorted(CONTENT.glob("briefings/*/*/index.md"))
    return sorted(files)


def actor_names():
    """Every name, alias and slug of a profiled actor, to its profile's name."""
    canonical = {}
    for path in sorted(CONTENT.glob("actors/*.md")):
        fields, _ = front_matter(path)
        name = fields["name"]
        for alias in [name, path.stem, *fields.get("aliases", [])]:
            canonical[alias.lower()] = name
            canonical[slugify(alias)] = name
    return canonical


def actors_named():
    """Actor name -> number of briefings that name it."""
    canonical = actor_names()
    counts = collections.Counter()
    for path in briefing_files():
        fields, _ = front_matter(path)
        names = set()
        for actor in fields.get("actors", []):
            name = actor["name"] if isinstance(actor, dict) else actor
            names.add(canonical.get(name.lower(), canonical.get(slugify(name), name)))
        counts.update(names)
    return counts, len(briefing_files())


def events_per_quarter():
    """(year, quarter) -> number of dated events, 2023 and 2024 only."""
    counts = collections.Counter()
    for path in briefing_files():
        fields, _ = front_matter(path)
        for event in fields.get("events", []):
            date = event["date"]
            if len(date) >= 7 and date[:4] in ("2023", "2024"):
                counts[(int(date[:4]), (int(date[5:7]) - 1) // 3 + 1)] += 1
    return {(y, q): counts[(y, q)] for y in (2023, 2024) for q in (1, 2, 3, 4)}


def launch_table():
    """The csv table in the 2023 launch-record briefing."""
    _, body = front_matter(CONTENT / "briefings/2023/2023-12-20-launch-record-2023.md")
    block = re.search(r"```csv\n(.*?)```", body, re.S).group(1)
    return list(csv.DictReader(io.StringIO(block)))


# --- charts ----------------------------------------------------------------------


def esc(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def actors_chart(counts, total, least=3):
    rows = sorted(((n, c) for n, c in counts.items() if c >= least), key=lambda r: (-r[1], r[0]))
    width, left, right, top_y, bar, gap = 800, 250, 60, 70, 26, 10
    height = top_y + len(rows) * (bar + gap) + 50
    most = max(n for _, n in rows)
    scale = (width - left - right) / most
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="t d">',
        '<title id="t">Actors named in the most briefings</title>',
        f'<desc id="d">Horizontal bar chart. Of the desk\'s {total} briefings, '
        + ", ".join(f"{esc(n)} is named in {c}" for n, c in rows)
        + ".</desc>",
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="20" y="32" font-family="{FONT}" font-size="20" font-weight="bold" fill="{INK}">'
        "Actors named in the most briefings</text>",
        f'<text x="20" y="54" font-family="{FONT}" font-size="14" fill="{MUTED}">'
        f"Briefings naming each actor, of the desk's {total} (April 2023 to December 2024); {least} or more"
        "</text>",
    ]
    for i, (name, n) in enumerate(rows):
        y = top_y + i * (bar + gap)
        out.append(
            f'<text x="{left - 10}" y="{y + bar * 0.7:.1f}" text-anchor="end" font-family="{FONT}" '
            f'font-size="15" fill="{INK}">{esc(name)}</text>'
        )
        out.append(f'<rect x="{left}" y="{y}" width="{n * scale:.1f}" height="{bar}" fill="{ACCENT}"/>')
        out.append(
            f'<text x="{left + n * scale + 6:.1f}" y="{y + bar * 0.7:.1f}" font-family="{FONT}" '
            f'font-size="15" fill="{INK}">{n}</text>'
        )
    out.append(
        f'<text x="20" y="{height - 16}" font-family="{FONT}" font-size="12" fill="{MUTED}">'
        "Source: the front matter of the desk's briefings; aliases counted under the profile's name.</text>"
    )
    out.append("</svg>")
    (MEDIA / "actors-most-named.svg").write_text("\n".join(out) + "\n", encoding="utf-8")
    return rows


def save_png(fig, path):
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=200, metadata={"Software": None})
    plt.close(fig)
    # through Pillow: a palette image is a fraction of the size
    image = Image.open(buf).convert("RGB").quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=0)
    image.save(path, optimize=True)


def style():
    plt.rcParams.update(
        {
            "font.family": "DejaVu Sans",
            "font.size": 11,
            "axes.edgecolor": MUTED,
            "axes.labelcolor": INK,
            "xtick.color": INK,
            "ytick.color": INK,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )


def events_chart(counts):
    style()
    labels = [f"Q{q}\n{y}" if q == 1 else f"Q{q}" for (y, q) in counts]
    values = list(counts.values())
    fig, ax = plt.subplots(figsize=(8, 4.5))
    bars = ax.bar(range(len(values)), values, color=ACCENT, width=0.7)
    for rect, v in zip(bars, values):
        ax.annotate(str(v), (rect.get_x() + rect.get_width() / 2, v), ha="center", va="bottom",
                    xytext=(0, 3), textcoords="offset points", color=INK)
    ax.set_xticks(range(len(values)), labels)
    ax.set_ylabel("dated events")
    ax.set_ylim(0, max(values) * 1.2)
    ax.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax.set_title("Dated events recorded in the desk's briefings, by quarter", loc="left",
                 color=INK, fontweight="bold")
    fig.text(0.01, 0.01, "Source: the events lists of the desk's briefings, 2023-2024",
             color=MUTED, fontsize=9)
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    save_png(fig, MEDIA / "events-per-quarter.png")


def launches_chart(rows):
    style()
    systems = ["Hwasong-18", "Chollima-1 / Malligyong-1"]
    names = ["Hwasong-18\nsolid-fuel ICBM", "Chollima-1\nsatellite launch"]
    fig, ax = plt.subplots(figsize=(8, 3.6))
    for row in rows:
        d = datetime.date.fromisoformat(row["date"])
        y = systems.index(row["system"])
        ok = row["outcome"] == "success"
        ax.plot([d], [y], marker="o" if ok else "X", markersize=13,
                color=ACCENT if ok else "#b3261e", markerfacecolor=ACCENT if ok else "#b3261e",
                linestyle="none")
        ax.annotate(f"{d.day} {d.strftime('%b')}\n{row['outcome']}", (d, y), xytext=(0, 14),
                    textcoords="offset points", ha="center", va="bottom", fontsize=9, color=INK)
    ax.set_yticks([0, 1], names)
    ax.set_ylim(-0.6, 1.9)
    ax.set_xlim(datetime.date(2023, 1, 1), datetime.date(2024, 1, 15))
    ax.xaxis.set_major_locator(matplotlib.dates.MonthLocator())
    ax.xaxis.set_major_formatter(matplotlib.dates.DateFormatter("%b"))
    ax.grid(axis="x", color="#e3e7ec")
    ax.set_title("North Korea's 2023 Hwasong-18 and satellite launches", loc="left",
                 color=INK, fontweight="bold")
    fig.text(0.01, 0.01, "Circle: success. Cross: failure. Source: the table in this briefing",
             color=MUTED, fontsize=9)
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    save_png(fig, MEDIA / "launches-2023.png")


# --- a schematic map ---------------------------------------------------------------

# Approximate positions (latitude, longitude) of public geographic features.
# The map is schematic: positions are rounded and coastlines simplified.
TUMEN = [(42.86, 130.25), (42.76, 130.31), (42.66, 130.41), (42.56, 130.49),
         (42.47, 130.55), (42.42, 130.60), (42.39, 130.64), (42.34, 130.67),
         (42.29, 130.70)]
TRIPOINT = (42.42, 130.60)
RUSSIA_CHINA = [TRIPOINT, (42.47, 130.58), (42.56, 130.53), (42.66, 130.47),
                (42.78, 130.46), (42.92, 130.50)]
COAST_RUSSIA = [(42.29, 130.70), (42.36, 130.76), (42.46, 130.79), (42.56, 130.79),
                (42.62, 130.82), (42.66, 130.90)]
COAST_KOREA = [(42.29, 130.70), (42.31, 130.60), (42.33, 130.50), (42.29, 130.41),
                (42.24, 130.33), (42.20, 130.25)]
PLACES = [  # name, (lat, lon), anchor, dx, dy
    ("Khasan", (42.43, 130.65), "start", 10, -4),
    ("Tumangang", (42.39, 130.62), "end", -10, 8),
    ("Fangchuan (China)", (42.50, 130.55), "end", -10, 0),
    ("Hunchun", (42.87, 130.36), "start", 10, 4),
    ("Sonbong", (42.34, 130.40), "end", -8, -8),
    ("Posyet", (42.65, 130.80), "end", -10, 4),
]
BOX = (42.18, 42.92, 130.20, 130.92)  # south, north, west, east


def project(lat, lon, width, height):
    south, north, west, east = BOX
    k = math.cos(math.radians((south + north) / 2))
    span_x = (east - west) * k
    span_y = north - south
    scale = min(width / span_x, height / span_y)
    return (lon - west) * k * scale, (north - lat) * scale


def tumen_map():
    width, height = 700, 760
    pad_top = 60
    body_h = height - pad_top - 40

    def xy(p):
        x, y = project(p[0], p[1], width, body_h)
        return x, y + pad_top

    def path(points):
        return " ".join(("M" if i == 0 else "L") + f"{x:.1f},{y:.1f}" for i, (x, y) in enumerate(map(xy, points)))

    # sea: everything east / south of the two coast lines, closed round the corner
    sea = COAST_KOREA[::-1] + COAST_RUSSIA
    sea_path = path(sea) + f" L{width},{xy(COAST_RUSSIA[-1])[1]:.1f} L{width},{height - 40} L0,{height - 40} " \
        f"L0,{xy(COAST_KOREA[-1])[1]:.1f} Z"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="t d">',
        "<title id=\"t\">Schematic map of the lower Tumen River</title>",
        '<desc id="d">Schematic map, not to scale. The Tumen River runs south-east to the Sea of Japan. '
        "Above the point where China, Russia and North Korea meet, it divides China (north bank) "
        "from North Korea; below it, for its last 17 km or so, it is the only border between "
        "Russia and North Korea. The Friendship Bridge carries the railway between Khasan in "
        "Russia and Tumangang in North Korea.</desc>",
        f'<rect width="{width}" height="{height}" fill="#f4f1ea"/>',
        f'<path d="{sea_path}" fill="#cfe0ee"/>',
        f'<path d="{path(TUMEN)}" fill="none" stroke="#4a86b8" stroke-width="6" stroke-linejoin="round" '
        'stroke-linecap="round"/>',
        f'<path d="{path(RUSSIA_CHINA)}" fill="none" stroke="{INK}" stroke-width="2" stroke-dasharray="10 5"/>',
        f'<path d="{path(COAST_RUSSIA)}" fill="none" stroke="#7f9fb8" stroke-width="1.5"/>',
        f'<path d="{path(COAST_KOREA)}" fill="none" stroke="#7f9fb8" stroke-width="1.5"/>',
    ]

    def text(x, y, s, size=15, anchor="start", weight="normal", fill=INK, style=""):
        out.append(
            f'<text x="{x:.1f}" y="{y:.1f}" font-family="{FONT}" font-size="{size}" text-anchor="{anchor}" '
            f'font-weight="{weight}" fill="{fill}"{style}>{esc(s)}</text>'
        )

    # the bridge: a short bar across the river between Khasan and Tumangang
    bx, by = xy((42.415, 130.635))
    out.append(f'<rect x="{bx - 14:.1f}" y="{by - 3:.1f}" width="28" height="6" fill="{INK}" '
               f'transform="rotate(50 {bx:.1f} {by:.1f})"/>')
    text(bx + 18, by + 26, "Friendship Bridge", 14, weight="bold")
    text(bx + 18, by + 44, "(railway, opened 1959)", 13, fill=MUTED)
    tx, ty = xy(TRIPOINT)
    out.append(f'<circle cx="{tx:.1f}" cy="{ty:.1f}" r="6" fill="#ffffff" stroke="{INK}" stroke-width="2"/>')
    text(tx - 12, ty - 12, "tripoint", 13, anchor="end", fill=MUTED)
    for name, pos, anchor, dx, dy in PLACES:
        x, y = xy(pos)
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{INK}"/>')
        text(x + dx, y + dy + 5, name, 14, anchor=anchor)
    # countries and water
    for name, pos, anchor in [("CHINA", (42.76, 130.39), "middle"), ("RUSSIA", (42.80, 130.70), "middle"),
                              ("NORTH KOREA", (42.43, 130.205), "start")]:
        x, y = xy(pos)
        text(x, y, name, 20, anchor=anchor, weight="bold", fill="#4b5563", style=' letter-spacing="3"')
    x, y = xy((42.30, 130.83))
    text(x, y, "Sea of Japan", 16, anchor="middle", fill="#2f5d8a", style=' font-style="italic"')
    text(x, y + 20, "(East Sea)", 14, anchor="middle", fill="#2f5d8a", style=' font-style="italic"')
    x, y = xy((42.62, 130.43))
    text(x, y, "Tumen River", 15, anchor="middle", fill="#2f5d8a",
         style=f' font-style="italic" transform="rotate(-48 {x:.1f} {y:.1f})"')
    # scale bar: 10 km
    k = math.cos(math.radians(42.5))
    x0, y0 = xy((42.21, 130.55))
    x1, _ = xy((42.21, 130.55 + 10 / (111.32 * k)))
    out.append(f'<path d="M{x0:.1f},{y0:.1f} h{x1 - x0:.1f}" stroke="{INK}" stroke-width="3"/>')
    text(x0, y0 - 8, "10 km (approximate)", 12)
    # north arrow
    out.append(f'<path d="M{width - 40},{pad_top + 50} l10,-34 l10,34 l-10,-8 z" fill="{INK}"/>')
    text(width - 30, pad_top + 68, "N", 14, anchor="middle", weight="bold")
    # title and note
    text(20, 32, "The lower Tumen River: Russia's border with North Korea", 19, weight="bold")
    text(20, height - 16, "Schematic map, not to scale; positions approximate. Drawn by The Peninsula Desk.", 12,
         fill=MUTED)
    out.append("</svg>")
    (BUNDLE / "tumen-crossing.svg").write_text("\n".join(out) + "\n", encoding="utf-8")


# --- an emblem ---------------------------------------------------------------------


def star(cx, cy, r):
    points = []
    for i in range(10):
        radius = r if i % 2 == 0 else r * math.sin(math.radians(18)) / math.sin(math.radians(126))
        angle = math.radians(-90 + 36 * i)
        points.append(f"{cx + radius * math.cos(angle):.2f},{cy + radius * math.sin(angle):.2f}")
    return " ".join(points)


def flag_north_korea():
    # proportions 1:2; stripes blue 6, white 1, red 22, white 1, blue 6 (of 36)
    w, h = 720, 360
    u = h / 36
    cx, cy, r = w * 0.375, h / 2, 8 * u
    svg = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
        'role="img" aria-labelledby="t">',
        '<title id="t">Flag of North Korea</title>',
        f'<rect width="{w}" height="{h}" fill="#024fa2"/>',
        f'<rect y="{6 * u:.1f}" width="{w}" height="{24 * u:.1f}" fill="#ffffff"/>',
        f'<rect y="{7 * u:.1f}" width="{w}" height="{22 * u:.1f}" fill="#ed1c27"/>',
        f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{r:.1f}" fill="#ffffff"/>',
        f'<polygon points="{star(cx, cy, r)}" fill="#ed1c27"/>',
        "</svg>",
    ]
    (MEDIA / "flag-north-korea.svg").write_text("\n".join(svg) + "\n", encoding="utf-8")


# --- a generated, photo-like picture ------------------------------------------------


def smooth(rng, rows, cols, w, h):
    coarse = rng.uniform(-1.0, 1.0, (rows, cols)).astype(np.float32)
    return np.asarray(Image.fromarray(coarse, mode="F").resize((w, h), Image.BICUBIC))


def ridge_road():
    """Hills under an overcast sky with an empty road running to the ridge."""
    rng = np.random.default_rng(2024)
    w, h = 1600, 1000
    y = np.linspace(0.0, 1.0, h, dtype=np.float32)[:, None]
    x = np.linspace(0.0, 1.0, w, dtype=np.float32)[None, :]
    # sky: pale overcast with soft cloud banks
    sky = np.stack([np.full((h, w), c, np.float32) for c in (196, 204, 212)], axis=2)
    sky -= (40 * y)[:, :, None]
    sky += (14 * smooth(rng, 5, 12, w, h) + 6 * smooth(rng, 20, 48, w, h))[:, :, None]
    # two ridge lines, the far one hazier
    far = 0.40 + 0.05 * np.sin(x * 7 + 1.3) + 0.03 * smooth(rng, 1, 14, w, 1)
    near = 0.52 + 0.06 * np.sin(x * 4.3 + 0.2) + 0.02 * smooth(rng, 1, 10, w, 1) \
        + 0.006 * smooth(rng, 1, 90, w, 1)

    def mask(line, sharp=400.0):
        return (1.0 / (1.0 + np.exp(np.clip((line - y) * sharp, -60, 60))))[:, :, None]

    far_m, near_m = mask(far), mask(near)
    far_col = np.array([120, 132, 140], np.float32)
    near_col = np.array([62, 78, 52], np.float32)
    tex = (18 * smooth(rng, 40, 64, w, h) + 10 * smooth(rng, 200, 320, w, h))[:, :, None]
    img = sky * (1 - far_m) + far_col * far_m
    land = (near_col * (0.8 + 0.5 * y[:, :, None]) + tex * np.array([0.8, 1.0, 0.6], np.float32))
    img = img * (1 - near_m) + land * near_m
    # the road: a wedge from the bottom centre to a vanishing point on the near ridge
    vx, vy = 0.55, float(near[0, int(0.55 * w)]) + 0.01
    half = np.clip((y - vy) / (1 - vy), 0, 1) * 0.22 + 0.002
    road = ((np.abs(x - (vx + (0.5 - vx) * np.clip((y - vy) / (1 - vy), 0, 1))) < half) & (y > vy))
    road_m = road[:, :, None].astype(np.float32)
    asphalt = np.array([92, 92, 96], np.float32) + tex * 0.3
    img = img * (1 - road_m) + asphalt * road_m
    # centre line, dashed
    t = np.clip((y - vy) / (1 - vy), 0, 1)
    centre = vx + (0.5 - vx) * t
    dash = (np.sin(np.log(t + 0.02) * 28) > 0) & road
    line = (np.abs(x - centre) < 0.004 + 0.006 * t) & dash
    img[line] = [210, 200, 150]
    # film-like grain and a gentle vignette
    img += rng.standard_normal((h, w, 1), dtype=np.float32) * 4.0
    r2 = (x - 0.5) ** 2 + (y - 0.5) ** 2
    img *= (1.0 - 0.35 * r2)[:, :, None]
    Image.fromarray(np.clip(img, 0, 255).astype(np.uint8), "RGB").save(
        MEDIA / "ridge-road.jpg", quality=72, optimize=True, progressive=False
    )


def main():
    MEDIA.mkdir(parents=True, exist_ok=True)
    if not BUNDLE.is_dir():
        sys.exit(f"example_figures: {BUNDLE} is missing")
    counts, total = actors_named()
    rows = actors_chart(counts, total)
    print(f"actors-most-named.svg ({total} briefings):", ", ".join(f"{n} {c}" for n, c in rows))
    quarters = events_per_quarter()
    events_chart(quarters)
    print("events-per-quarter.png:", ", ".join(f"{y} Q{q} {n}" for (y, q), n in quarters.items()),
          f"(total {sum(quarters.values())})")
    table = launch_table()
    launches_chart(table)
    print("launches-2023.png:", "; ".join(f"{r['date']} {r['system']} {r['outcome']}" for r in table))
    tumen_map()
    flag_north_korea()
    ridge_road()
    for path in sorted(MEDIA.iterdir()) + sorted(BUNDLE.glob("*.svg")):
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
