// Measures client-side search on a built site: the size of the index
// against the HTML, and the time from opening /search/?q=TERM to the first
// result on screen (median of RUNS page loads), in headless Chromium.
//
//   node search-latency.mjs BUILT_SITE_DIR [TERM] [RUNS]
import { createServer } from "node:http";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { extname, join, normalize } from "node:path";
import { chromium } from "playwright-core";

const [dir, term = "sanctions", runsArg = "7"] = process.argv.slice(2);
if (!dir) throw new Error("usage: node search-latency.mjs BUILT_SITE_DIR [TERM] [RUNS]");
const runs = Number(runsArg);

function sizes(root) {
  let html = 0, index = 0, shards = 0;
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const s = statSync(p);
      if (s.isDirectory()) walk(p);
      else if (name.endsWith(".html")) html += s.size;
      else if (p === join(root, "search-index.json")) index += s.size;
      else if (p.startsWith(join(root, "search")) && name.endsWith(".json")) { index += s.size; shards++; }
    }
  };
  walk(root);
  return { html, index, shards, first: statSync(join(root, "search-index.json")).size };
}

const types = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".json": "application/json" };
const server = createServer((req, res) => {
  let file = normalize(join(dir, decodeURIComponent(new URL(req.url, "http://x").pathname)));
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
  if (!existsSync(file)) { res.writeHead(404).end(); return; }
  res.writeHead(200, { "Content-Type": types[extname(file)] || "application/octet-stream" }).end(readFileSync(file));
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const base = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const first = [], all = [];
for (let i = 0; i < runs; i++) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const start = Date.now();
  await page.goto(`${base}/search/?q=${encodeURIComponent(term)}`);
  await page.waitForSelector(".search-result", { timeout: 60000 });
  first.push(Date.now() - start);
  await page.waitForFunction(() => !/still loading/.test(document.getElementById("search-status").textContent), null, { timeout: 120000 });
  all.push(Date.now() - start);
  await context.close();
}
await browser.close();
server.close();
const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const s = sizes(dir);
const mib = (n) => (n / 1048576).toFixed(1) + " MiB";
console.log(`HTML ${mib(s.html)}; search index ${mib(s.index)} in ${s.shards + 1} files (${(100 * s.index / s.html).toFixed(1)} % of the HTML); first file ${mib(s.first)}`);
console.log(`"${term}": first result after ${median(first)} ms (median of ${runs}; min ${Math.min(...first)}, max ${Math.max(...first)}); every shard searched after ${median(all)} ms`);
