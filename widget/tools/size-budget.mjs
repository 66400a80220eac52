// The widget's size budget (issue 5, lowered by issue 17): everything it loads, gzipped, at most
// 10 KB. Run after esbuild and uglify-js by `nx run widget:build`; prints the size and exits
// non-zero above the budget. One file, no lazily loaded chunk: what opens the panel is in it too.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const BUDGET_BYTES = 10 * 1024;
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Every file the widget loads on a customer's page: one script, nothing else. */
export const WIDGET_FILES = [join(root, 'dist', 'widget', 'widget.js')];

/** Raw and gzip sizes; gzip at the default level 6, what servers and CDNs usually use. */
export function measure(files = WIDGET_FILES) {
  let raw = 0;
  let gzip = 0;
  for (const file of files) {
    const content = readFileSync(file);
    raw += content.length;
    gzip += gzipSync(content, { level: 6 }).length;
  }
  return { raw, gzip };
}

export const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { raw, gzip } = measure();
  const verdict = gzip <= BUDGET_BYTES ? 'within' : 'OVER';
  console.log(`widget.js: ${kb(raw)} raw, ${kb(gzip)} gzip — ${verdict} the ${kb(BUDGET_BYTES)} budget`);
  if (gzip > BUDGET_BYTES) process.exit(1);
}
