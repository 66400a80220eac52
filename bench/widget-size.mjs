// Prints the widget's size: raw, gzip (level 6, what is budgeted) and gzip -9 (what /widget.js
// serves), beside the published sizes of two widely used chat widgets, and the console's initial
// load (brotli). Build first: `npx nx run-many -t build --projects=widget,console`. Figures, not a
// test; each build enforces its own budget.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

import { CONSOLE_BUDGET_BYTES, measureConsoleInitialLoad } from '../console/scripts/bundle-size.mjs';
import { BUDGET_BYTES, kb, measure, WIDGET_FILES } from '../widget/tools/size-budget.mjs';

const { raw, gzip } = measure();
const best = WIDGET_FILES.reduce((sum, file) => sum + gzipSync(readFileSync(file), { level: 9 }).length, 0);
console.log(`widget.js raw        ${kb(raw)} (${raw} bytes)`);
console.log(`widget.js gzip -6    ${kb(gzip)} (${gzip} bytes), budget ${kb(BUDGET_BYTES)}`);
console.log(`widget.js gzip -9    ${kb(best)} (${best} bytes), as served at /widget.js`);

// Published figures (their own documentation and public size reports, rounded), not measured here:
// what a visitor's browser downloads for each widget, gzipped, all chunks included.
const OTHERS = [
  ['Chatwoot', 170 * 1024],
  ['Crisp', 130 * 1024],
];
console.log('');
console.log('widget            gzip      vs Cloop');
console.log(`Cloop            ${kb(gzip).padStart(9)}   1x`);
for (const [name, bytes] of OTHERS) {
  console.log(`${name.padEnd(16)} ~${kb(bytes).padStart(8)}   ${Math.round(bytes / gzip)}x (published)`);
}

const consoleLoad = measureConsoleInitialLoad();
console.log('');
console.log(
  `console initial load ${kb(consoleLoad.brotli)} brotli (${kb(consoleLoad.raw)} raw, ${consoleLoad.rows.length} files), budget ${kb(CONSOLE_BUDGET_BYTES)}`,
);
