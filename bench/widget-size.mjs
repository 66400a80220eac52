// Prints the widget's size: raw, gzip (level 6, what is budgeted) and gzip -9 (what /widget.js
// serves). Build first: `npx nx run widget:build`. A figure, not a test; the build enforces the budget.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

import { BUDGET_BYTES, kb, measure, WIDGET_FILES } from '../widget/tools/size-budget.mjs';

const { raw, gzip } = measure();
const best = WIDGET_FILES.reduce((sum, file) => sum + gzipSync(readFileSync(file), { level: 9 }).length, 0);
console.log(`widget.js raw        ${kb(raw)} (${raw} bytes)`);
console.log(`widget.js gzip -6    ${kb(gzip)} (${gzip} bytes), budget ${kb(BUDGET_BYTES)}`);
console.log(`widget.js gzip -9    ${kb(best)} (${best} bytes), as served at /widget.js`);
