// The console's real size budget: initial JavaScript ≤ 100 KB after brotli (Angular's own budgets
// measure raw bytes). "Initial" = the scripts index.html loads plus the chunks it preloads.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';

const LIMIT_BYTES = 100 * 1024;
const dir = process.argv[2] ?? join(import.meta.dirname, '../../dist/console/browser');
const html = readFileSync(join(dir, 'index.html'), 'utf8');
const files = new Set();
for (const match of html.matchAll(
  /<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="([^"]+\.js)"/g,
)) {
  // URLs are absolute (/console/…): the CSP's base-uri 'none' rules out a <base> element.
  files.add(match[1].replace(/^\/console\//, ''));
}
let raw = 0;
let brotli = 0;
for (const file of files) {
  const bytes = readFileSync(join(dir, file));
  const compressed = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  raw += bytes.length;
  brotli += compressed;
  console.log(
    `  ${file.padEnd(28)} ${(bytes.length / 1024).toFixed(1).padStart(7)} KB raw ${(compressed / 1024).toFixed(1).padStart(6)} KB brotli`,
  );
}
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(`Initial JavaScript: ${kb(raw)} raw, ${kb(brotli)} brotli (budget ${kb(LIMIT_BYTES)} brotli)`);
if (brotli > LIMIT_BYTES) {
  console.error(`Initial JavaScript is over budget by ${kb(brotli - LIMIT_BYTES)} brotli`);
  process.exit(1);
}
