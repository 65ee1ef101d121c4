// Browser tests for attache: build the example site, serve it from a local
// server, and drive the system Chromium with playwright-core.
//
//   node run.mjs            (from tests/browser, after `npm ci`)
//
// - a reader's path: search for an actor, open the actor page, open a briefing;
// - axe-core finds no accessibility violation on each page kind, light and
//   dark, on a desktop and a phone screen;
// - every page kind looks as its reference in tests/browser/reference/ does
//   (visual.mjs: each theme, desktop and phone, light and dark);
// - no page kind scrolls sideways on a 320 px screen;
// - the Nu HTML Checker (vnu) finds no error in any built page.
// Failed comparisons leave the screenshot and the difference in
// tests/browser/screenshots/. UPDATE_REFERENCES=1 rewrites the references.
// Ends with a line "N passed, N failed" and a non-zero exit if any failed.
import { spawnSync } from "node:child_process";
import { createServer } from "node:http";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, cpSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";
import { compare, shrink, updating } from "./visual.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "../..");
const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const vnuJar = join(dirname(require.resolve("vnu-jar/package.json")), "build/dist/vnu.jar");
const shots = join(here, "screenshots");
mkdirSync(shots, { recursive: true });

const attache = [process.env.ATTACHE, join(repo, "target/release/attache"), join(repo, "target/debug/attache")]
  .find((p) => p && existsSync(p));
if (!attache) throw new Error("no attache binary: run cargo build first, or set ATTACHE");
const chromiumPath = process.env.CHROMIUM || "/usr/bin/chromium";

let passed = 0, failed = 0;
async function test(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok   ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}\n     ${String(e && e.message || e).split("\n").join("\n     ")}`);
  }
}
function assert(cond, message) { if (!cond) throw new Error(message); }

/// Builds the repository's example site with `theme` into a temp folder.
function buildSite(theme) {
  const work = mkdtempSync(join(tmpdir(), `attache-browser-${theme}-`));
  const site = join(work, "site");
  // Not templates/: in this repository it holds the built-in templates,
  // which a site's own templates/ would put above the theme's.
  for (const part of ["content", "themes"]) cpSync(join(repo, part), join(site, part), { recursive: true });
  let config = readFileSync(join(repo, "attache.yaml"), "utf8");
  if (theme !== "default") config += `\ntheme: ${theme}\n`;
  writeFileSync(join(site, "attache.yaml"), config);
  const out = join(work, "public");
  const r = spawnSync(attache, ["build", "--root", site, "--output", out], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`build failed:\n${r.stderr}`);
  return out;
}

const types = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".json": "application/json", ".xml": "application/xml", ".txt": "text/plain", ".woff2": "font/woff2", ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".webp": "image/webp" };
function serve(dir) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    let file = normalize(join(dir, path));
    if (!file.startsWith(dir)) { res.writeHead(403).end(); return; }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!existsSync(file)) {
      res.writeHead(404, { "Content-Type": types[".html"] }).end(readFileSync(join(dir, "404.html")));
      return;
    }
    res.writeHead(200, { "Content-Type": types[extname(file)] || "application/octet-stream" }).end(readFileSync(file));
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => ok(server)));
}

async function axe(page) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n       ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join("\n       ")}`);
}

/// Waits until the page is as it will stay: fonts loaded, every picture
/// loaded (lazy ones too, so that a full-page screenshot shows them all).
async function settle(page) {
  await page.evaluate(async () => {
    for (const img of document.images) img.loading = "eager";
    await Promise.all([...document.images].map((img) =>
      img.complete ? null : new Promise((done) => { img.onload = img.onerror = done; })));
    await document.fonts.ready;
  });
}

const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

const themes = ["default", ...(existsSync(join(repo, "themes/wire")) ? ["wire"] : [])];
for (const theme of themes) {
  const out = buildSite(theme);
  const server = await serve(out);
  const base = `http://127.0.0.1:${server.address().port}`;
  // Every kind of page the site has.
  const pages = {
    home: "/",
    "home-2": "/page/2/",
    briefing: "/briefings/2023/russian-delegation-in-pyongyang/",
    actors: "/actors/",
    actor: "/actors/kim-jong-un/",
    topics: "/topics/",
    topic: "/topics/sanctions/",
    timeline: "/timeline/",
    "timeline-year": "/timeline/2024/",
    archive: "/archive/",
    "archive-year": "/archive/2024/",
    sources: "/sources/",
    publisher: "/sources/tass/",
    page: "/about/",
    corrections: "/corrections/",
    search: "/search/?q=kozlov",
    "search-empty": "/search/",
    "404": "/no-such-page/",
  };
  const screens = {
    desktop: { viewport: { width: 1280, height: 900 }, shrink: 4 },
    phone: { viewport: { width: 390, height: 844 }, shrink: 2, isMobile: true, hasTouch: true },
  };

  for (const [screen, setup] of Object.entries(screens)) {
    for (const scheme of ["light", "dark"]) {
      const context = await browser.newContext({
        colorScheme: scheme,
        viewport: setup.viewport,
        isMobile: !!setup.isMobile,
        hasTouch: !!setup.hasTouch,
        reducedMotion: "reduce",
      });
      const page = await context.newPage();
      for (const [kind, path] of Object.entries(pages)) {
        await test(`${theme} ${screen} ${scheme}: ${kind} (${path}) has no axe violation and looks as its reference`, async () => {
          const response = await page.goto(base + path, { waitUntil: "networkidle" });
          assert(response.status() === (kind === "404" ? 404 : 200), `status ${response.status()}`);
          if (kind === "search") await page.waitForSelector(".search-result");
          const matches = await page.evaluate((s) => matchMedia(`(prefers-color-scheme: ${s})`).matches, scheme);
          assert(matches, `the page does not see prefers-color-scheme: ${scheme}`);
          const violations = await axe(page);
          assert(violations.length === 0, violations.join("\n     "));
          await settle(page);
          const height = await page.evaluate(() => document.documentElement.scrollHeight);
          const clip = { x: 0, y: 0, width: setup.viewport.width, height: Math.min(height, 3000) };
          const shot = await page.screenshot({ fullPage: true, clip, animations: "disabled", caret: "hide" });
          const name = `${theme}-${kind}-${screen}-${scheme}`;
          const problem = compare(shrink(shot, setup.shrink), name, 0.01, shots);
          assert(problem === null, problem);
        });
      }
      await context.close();
    }
  }

  await test(`${theme}: no page kind scrolls sideways on a 320 px screen`, async () => {
    const context = await browser.newContext({ viewport: { width: 320, height: 640 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const wide = [];
    for (const [kind, path] of Object.entries(pages)) {
      await page.goto(base + path, { waitUntil: "networkidle" });
      const overflow = await page.evaluate(() => {
        const width = document.documentElement.clientWidth;
        if (document.documentElement.scrollWidth <= width) return null;
        // The outermost elements that stick out.
        const out = [...document.querySelectorAll("body *")]
          .filter((e) => e.getBoundingClientRect().right > width + 0.5)
          .filter((e) => !e.parentElement || e.parentElement.getBoundingClientRect().right <= width + 0.5)
          .slice(0, 3)
          .map((e) => `<${e.tagName.toLowerCase()} class="${e.className}"> to ${Math.round(e.getBoundingClientRect().right)} px`);
        return `${document.documentElement.scrollWidth} px wide: ${out.join("; ")}`;
      });
      if (overflow) wide.push(`${kind} (${path}): ${overflow}`);
    }
    await context.close();
    assert(wide.length === 0, wide.join("\n     "));
  });

  await test(`${theme}: search -> actor page -> briefing`, async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(base + "/search/", { waitUntil: "networkidle" });
    await page.fill("#search-q", "Kozlov");
    await page.waitForSelector(".search-result");
    const count = await page.locator(".search-result").count();
    assert(count >= 2, `expected results for Kozlov, got ${count}`);
    assert((await page.locator("#search-status").textContent()).includes("match"), "no status line");
    await page.locator(".search-result-actors a", { hasText: "Alexander Kozlov" }).first().click();
    await page.waitForURL("**/actors/alexander-kozlov/");
    assert((await page.locator("h1").textContent()).trim() === "Alexander Kozlov", "not the actor page");
    const first = page.locator("main a[href*='/briefings/']").first();
    const title = (await first.textContent()).trim();
    await first.click();
    await page.waitForURL("**/briefings/**");
    assert((await page.locator("h1").textContent()).trim() === title, `briefing title is not "${title}"`);
    assert(await page.locator("a[href='/actors/alexander-kozlov/']").count() > 0, "the briefing does not link back to the actor");
    // The actor filter narrows results.
    await page.goto(base + "/search/?actor=Sergei%20Shoigu", { waitUntil: "networkidle" });
    await page.waitForSelector(".search-result");
    const filtered = await page.locator(".search-result").count();
    assert(filtered >= 1, "no results for the actor filter");
    await context.close();
  });

  await new Promise((ok) => server.close(ok));

  await test(`${theme}: the Nu HTML Checker finds no error in any page`, async () => {
    const r = spawnSync("java", ["-jar", vnuJar, "--errors-only", "--skip-non-html", out], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    if (r.error) throw r.error;
    const errors = (r.stderr || "").trim();
    assert(r.status === 0 && errors === "", errors.split("\n").slice(0, 20).join("\n"));
  });
}

await browser.close();
if (updating) console.log("references written to tests/browser/reference/: review them before committing");
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
