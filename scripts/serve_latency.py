#!/usr/bin/env python3
"""Time from saving one briefing to `attache serve` serving the rebuilt page.

    scripts/serve_latency.py SITE_ROOT [RUNS]

Copies nothing: it edits one briefing of SITE_ROOT in place (appending and
then removing a marker line) and restores it at the end. Starts
`target/release/attache serve --port 0`, then for each run: appends a
marker to the newest briefing's body, polls the briefing's page until the
marker is served, and records the time. Prints the median and the range.
"""
import glob
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.request

root = sys.argv[1]
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
binary = os.environ.get("ATTACHE", os.path.join(os.path.dirname(__file__), "..", "target", "release", "attache"))
files = sorted(glob.glob(os.path.join(root, "content", "briefings", "**", "*.md"), recursive=True))
target = files[-1]
original = open(target, encoding="utf-8").read()
date = re.search(r"^date:\s*(\d{4})", original, re.M).group(1)
stem = os.path.basename(target)[:-3]
slug = re.sub(r"^\d{4}-\d{2}-\d{2}-", "", stem)
slug_field = re.search(r"^slug:\s*(\S+)", original, re.M)
if slug_field:
    slug = slug_field.group(1)

server = subprocess.Popen([binary, "serve", "--root", root, "--port", "0"],
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
try:
    first = server.stdout.readline()
    port = re.search(r"127\.0\.0\.1:(\d+)", first).group(1)
    built = re.search(r"built in (\d+) ms", first)
    url = f"http://127.0.0.1:{port}/briefings/{date}/{slug}/"
    print(f"serving {root}: first build {built.group(1) if built else '?'} ms; page {url}")
    times = []
    for i in range(runs):
        marker = f"latency-marker-{i}-{time.time_ns()}"
        time.sleep(1.0)
        start = time.perf_counter()
        with open(target, "w", encoding="utf-8") as f:
            f.write(original + f"\n\n{marker}\n")
        while True:
            body = urllib.request.urlopen(url).read().decode("utf-8", "replace")
            if marker in body:
                break
            if time.perf_counter() - start > 120:
                raise SystemExit("timed out waiting for the rebuilt page")
            time.sleep(0.005)
        times.append((time.perf_counter() - start) * 1000)
        print(f"  run {i + 1}: {times[-1]:.0f} ms")
    print(f"save to served: median {statistics.median(times):.0f} ms (min {min(times):.0f}, max {max(times):.0f}, {runs} runs)")
finally:
    with open(target, "w", encoding="utf-8") as f:
        f.write(original)
    server.terminate()
    server.wait()
