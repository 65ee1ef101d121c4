// Browser tests for attache: build the example site, serve it from a local
// server, and drive the system Chromium with playwright-core.
//
//   node run.mjs            (from tests/browser, after `npm ci`)
//
// - a reader's path: search for an actor, open the actor page, open a briefing;
// - axe-core finds no accessibility violation on each page kind, light and dark;
// - the Nu HTML Checker (vnu) finds no error in any built page;
// - screenshots of the main page kinds go to tests/browser/screenshots/.
// Ends with a line "N passed, N failed" and a non-zero exit if any failed.
import { spawnSync } from "node:child_process";
import { createServer } from "node:http";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, cpSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

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

const types = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".json": "application/json", ".xml": "application/xml", ".txt": "text/plain" };
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

const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

const themes = ["default", ...(existsSync(join(repo, "themes/wire")) ? ["wire"] : [])];
for (const theme of themes) {
  const out = buildSite(theme);
  const server = await serve(out);
  const base = `http://127.0.0.1:${server.address().port}`;
  const pages = {
    home: "/",
    briefing: "/briefings/2023/russian-delegation-in-pyongyang/",
    actor: "/actors/kim-jong-un/",
    topic: "/topics/sanctions/",
    timeline: "/timeline/",
    search: "/search/?q=kozlov",
    "404": "/no-such-page/",
  };

  for (const scheme of ["light", "dark"]) {
    const context = await browser.newContext({ colorScheme: scheme, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    for (const [kind, path] of Object.entries(pages)) {
      await test(`${theme} ${scheme}: axe finds no violation on ${kind} (${path})`, async () => {
        const response = await page.goto(base + path, { waitUntil: "networkidle" });
        assert(response.status() === (kind === "404" ? 404 : 200), `status ${response.status()}`);
        if (kind === "search") await page.waitForSelector(".search-result");
        const matches = await page.evaluate((s) => matchMedia(`(prefers-color-scheme: ${s})`).matches, scheme);
        assert(matches, `the page does not see prefers-color-scheme: ${scheme}`);
        const violations = await axe(page);
        if (["home", "briefing", "actor"].includes(kind)) {
          await page.screenshot({ path: join(shots, `${theme}-${kind}-${scheme}.png`), fullPage: true });
        }
        assert(violations.length === 0, violations.join("\n     "));
      });
    }
    await context.close();
  }

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
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
