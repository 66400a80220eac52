// The console's real size budget: its initial load (the scripts index.html loads, the chunks it
// preloads and its stylesheets) ≤ 80 KB after brotli; Angular's own budgets measure raw bytes.
// Run by the console's build; bench/widget-size.mjs prints the same figure beside the widget's.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { brotliCompressSync, constants } from 'node:zlib';

export const CONSOLE_BUDGET_BYTES = 80 * 1024;
export const CONSOLE_DIST = join(import.meta.dirname, '../../dist/console/browser');

/** Each file of the initial load with its raw and brotli (quality 11) sizes, and the totals. */
export function measureConsoleInitialLoad(dir = CONSOLE_DIST) {
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  const files = new Set();
  for (const match of html.matchAll(
    /<(?:script[^>]*\ssrc|link[^>]*rel="(?:modulepreload|stylesheet)"[^>]*\shref)="([^"]+\.(?:js|css))"/g,
  )) {
    // URLs are absolute (/console/…): the CSP's base-uri 'none' rules out a <base> element.
    files.add(match[1].replace(/^\/console\//, ''));
  }
  const rows = [...files].map((file) => {
    const bytes = readFileSync(join(dir, file));
    const brotli = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
    return { file, raw: bytes.length, brotli };
  });
  return {
    rows,
    raw: rows.reduce((sum, row) => sum + row.raw, 0),
    brotli: rows.reduce((sum, row) => sum + row.brotli, 0),
  };
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { rows, raw, brotli } = measureConsoleInitialLoad(process.argv[2]);
  for (const row of rows) {
    console.log(
      `  ${row.file.padEnd(28)} ${kb(row.raw).padStart(9)} raw ${kb(row.brotli).padStart(8)} brotli`,
    );
  }
  console.log(
    `Initial load: ${kb(raw)} raw, ${kb(brotli)} brotli (budget ${kb(CONSOLE_BUDGET_BYTES)} brotli)`,
  );
  if (brotli > CONSOLE_BUDGET_BYTES) {
    console.error(`The console's initial load is over budget by ${kb(brotli - CONSOLE_BUDGET_BYTES)} brotli`);
    process.exit(1);
  }
}
