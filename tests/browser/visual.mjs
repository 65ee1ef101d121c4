// Visual regression: a page's screenshot, shrunk, compared with the
// reference committed in tests/browser/reference/.
//
// The screenshot (the first 3,000 CSS pixels of the page) is shrunk by an
// integer factor (each pixel the mean of a square of pixels) and kept as
// grey levels: layout, spacing and contrast (light and dark) still show,
// one-pixel anti-aliasing differences fade, and the references stay small
// (about 25 KB each). Two
// pictures match when pixelmatch (threshold 0.15, anti-aliased pixels not
// counted) finds at most `tolerance` of their pixels differing; a height
// difference counts as differing rows.
//
// UPDATE_REFERENCES=1 writes the current screenshots as the references.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PNG } from "pngjs";
import pixelmatch from "pixelmatch";

const here = dirname(fileURLToPath(import.meta.url));
export const referenceDir = join(here, "reference");
export const updating = process.env.UPDATE_REFERENCES === "1";

/// The screenshot `buffer` (a PNG) shrunk by `factor`, in grey levels, as a
/// PNG object (each pixel's three channels equal).
export function shrink(buffer, factor) {
  const src = PNG.sync.read(buffer);
  const width = Math.floor(src.width / factor);
  const height = Math.floor(src.height / factor);
  const out = new PNG({ width, height });
  const n = factor * factor;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let r = 0, g = 0, b = 0;
      for (let dy = 0; dy < factor; dy++) {
        let i = ((y * factor + dy) * src.width + x * factor) * 4;
        for (let dx = 0; dx < factor; dx++, i += 4) {
          r += src.data[i];
          g += src.data[i + 1];
          b += src.data[i + 2];
        }
      }
      const o = (y * width + x) * 4;
      const grey = Math.round((0.299 * r + 0.587 * g + 0.114 * b) / n);
      out.data[o] = grey;
      out.data[o + 1] = grey;
      out.data[o + 2] = grey;
      out.data[o + 3] = 255;
    }
  }
  return out;
}

function encode(png) {
  return PNG.sync.write(png, { colorType: 0, deflateLevel: 9 });
}

/// Compares `actual` (a shrunk PNG object) with the reference `name`.
/// Returns null when they match (or the reference was just written), else
/// a message; on a mismatch the actual picture and the difference are
/// written to `failures` for a look.
export function compare(actual, name, tolerance, failures) {
  const file = join(referenceDir, `${name}.png`);
  if (updating) {
    mkdirSync(referenceDir, { recursive: true });
    writeFileSync(file, encode(actual));
    return null;
  }
  if (!existsSync(file)) return `no reference ${file}: run with UPDATE_REFERENCES=1 and review it`;
  const expected = PNG.sync.read(readFileSync(file));
  if (expected.width !== actual.width) {
    return `width ${actual.width} px, the reference has ${expected.width} px`;
  }
  const width = actual.width;
  const height = Math.min(actual.height, expected.height);
  const crop = (png) => {
    const data = Buffer.alloc(width * height * 4);
    png.data.copy(data, 0, 0, width * height * 4);
    return data;
  };
  const diff = new PNG({ width, height });
  const changed = pixelmatch(crop(actual), crop(expected), diff.data, width, height, {
    threshold: 0.15,
    includeAA: false,
  });
  const extra = Math.abs(actual.height - expected.height) * width;
  const total = Math.max(actual.height, expected.height) * width;
  const share = (changed + extra) / total;
  if (share <= tolerance) return null;
  mkdirSync(failures, { recursive: true });
  writeFileSync(join(failures, `${name}.actual.png`), encode(actual));
  writeFileSync(join(failures, `${name}.diff.png`), PNG.sync.write(diff));
  return `${(share * 100).toFixed(2)} % of the picture differs from the reference (tolerance ${(tolerance * 100).toFixed(1)} %; ` +
    `height ${actual.height} px against ${expected.height} px); see ${join(failures, name)}.actual.png and .diff.png`;
}
