// Writes a Bootstrap stylesheet with only the rules our pages use (PurgeCSS over the templates,
// the Python code that sets widget classes, and our own JavaScript). Run by vendor_assets.sh:
//     node scripts/trim_bootstrap.mjs <source.css> <destination.css>
// A class built from pieces in a template (alert-{{ tag }}, text-bg-{% if %}…) is invisible to the
// scan: its family is kept whole by the safelist below. Add a family there when you build another.
import { readFileSync, writeFileSync } from "node:fs";
import { PurgeCSS } from "purgecss";

const [source, destination] = process.argv.slice(2);
if (!source || !destination) {
  console.error("usage: node scripts/trim_bootstrap.mjs <source.css> <destination.css>");
  process.exit(2);
}

const [result] = await new PurgeCSS().purge({
  css: [{ raw: readFileSync(source, "utf8") }],
  content: [
    "templates/**/*.html",
    "zhulao/**/templates/**/*.html",
    "zhulao/**/*.py",
    "static/js/*.js",
  ],
  // Classes our scripts or Bootstrap's add at run time, and families built from pieces in templates.
  safelist: {
    standard: ["show", "collapsing", "collapse", "fade", "was-validated", "is-invalid", "is-valid", "active", "disabled"],
    greedy: [/^alert-/, /^text-bg-/, /^btn-/, /^bg-/, /^text-/, /^border-/, /^badge/, /^link-/],
  },
  keyframes: true,
  fontFace: true,
});
// The source map of the full file does not fit the trimmed one: leave the reference out.
let css = result.css.replace(/\/\*# sourceMappingURL=.*?\*\/\s*$/s, "");
// @charset must stay the very first thing in the file.
const charset = css.startsWith("@charset") ? css.slice(0, css.indexOf(";") + 1) : "";
css = `${charset}/* Trimmed by scripts/trim_bootstrap.mjs to the rules zhulao uses. */${css.slice(charset.length)}\n`;
writeFileSync(destination, css);
console.error(`==> trimmed Bootstrap: ${readFileSync(source).length} -> ${Buffer.byteLength(css)} bytes`);
