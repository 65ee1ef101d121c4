#!/usr/bin/env python3
"""Time from saving one briefing to `attache serve` serving the rebuilt page.

    scripts/serve_latency.py SITE_ROOT [RUNS] [--edit body|actor] [--pause S]

Edits the newest briefing of SITE_ROOT in place and restores it at the end.
Starts `target/release/attache serve --port 0` (or $ATTACHE), then for each
run: saves the briefing with a new marker line at the end of its body (with
`--edit actor`, every other save also adds to its front matter an actor
that other briefings name, and the saves between take it out again, so each
save changes the graph), then does what the browser does: waits for the
live-reload event, fetches the briefing's page (again after the next event
if the marker is not in it yet), and records the time from the save to the
page with the marker. Prints each run, the median and the range, and the
server's first (full) build.

`--pause` is the time between saves (default 2 s): an editor reads the page
before saving again. While it is idle the server renders the other pages
in the background; a save stops that at once.
"""
import argparse
import glob
import os
import re
import statistics
import subprocess
import time
import urllib.request

parser = argparse.ArgumentParser()
parser.add_argument("root")
parser.add_argument("runs", nargs="?", type=int, default=5)
parser.add_argument("--edit", choices=["body", "actor"], default="body")
parser.add_argument("--pause", type=float, default=2.0)
args = parser.parse_args()

binary = os.environ.get("ATTACHE", os.path.join(os.path.dirname(__file__), "..", "target", "release", "attache"))
files = sorted(glob.glob(os.path.join(args.root, "content", "briefings", "**", "*.md"), recursive=True))
target = files[-1]
original = open(target, encoding="utf-8").read()
date = re.search(r"^date:\s*(\d{4})", original, re.M).group(1)
stem = os.path.basename(target)[:-3]
slug = re.sub(r"^\d{4}-\d{2}-\d{2}-", "", stem)
slug_field = re.search(r"^slug:\s*(\S+)", original, re.M)
if slug_field:
    slug = slug_field.group(1)

edited = original
if args.edit == "actor":
    # An actor of the oldest briefing that this one does not name yet.
    other = open(files[0], encoding="utf-8").read()
    block = re.search(r"^actors:\s*\n((?:\s+-.*\n)+)", other, re.M)
    names = [re.sub(r"^\s*-\s*(name:\s*)?", "", line).strip() for line in block.group(1).splitlines()]
    extra = next(n for n in names if n and n not in original)
    edited, count = re.subn(r"^actors:\s*\n", f"actors:\n  - {extra}\n", original, count=1, flags=re.M)
    assert count == 1, "the briefing has no block list of actors"
    print(f"every other save adds the actor {extra!r}, the others take it out")

server = subprocess.Popen([binary, "serve", "--root", args.root, "--port", "0"],
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
import threading
rebuilt = []

try:
    first = server.stdout.readline()
    port = re.search(r"127\.0\.0\.1:(\d+)", first).group(1)
    built = re.search(r"built in (\d+) ms", first)
    url = f"http://127.0.0.1:{port}/briefings/{date}/{slug}/"
    def drain():
        for line in server.stdout:
            m = re.match(r"Rebuilt .* in (\d+) ms", line)
            if m:
                rebuilt.append(int(m.group(1)))
    threading.Thread(target=drain, daemon=True).start()
    print(f"serving {args.root}: first build {built.group(1) if built else '?'} ms; page {url}")
    times = []
    for i in range(args.runs):
        marker = f"latency-marker-{i}-{time.time_ns()}"
        time.sleep(args.pause)
        events = urllib.request.urlopen(f"http://127.0.0.1:{port}/__attache/events", timeout=120)
        start = time.perf_counter()
        with open(target, "w", encoding="utf-8") as f:
            f.write((edited if i % 2 == 0 else original) + f"\n\n{marker}\n")
        while True:
            line = events.readline().decode("utf-8", "replace")
            if not line.startswith("data:"):
                continue
            body = urllib.request.urlopen(url).read().decode("utf-8", "replace")
            if marker in body:
                break
            if time.perf_counter() - start > 120:
                raise SystemExit("timed out waiting for the rebuilt page")
        times.append((time.perf_counter() - start) * 1000)
        events.close()
        print(f"  run {i + 1}: {times[-1]:.0f} ms (rebuilds: {rebuilt})")
        rebuilt.clear()
    print(f"save to served ({args.edit} edit): median {statistics.median(times):.0f} ms "
          f"(min {min(times):.0f}, max {max(times):.0f}, {args.runs} runs)")
finally:
    with open(target, "w", encoding="utf-8") as f:
        f.write(original)
    server.terminate()
    server.wait()
