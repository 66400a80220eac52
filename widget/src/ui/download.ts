/** Saves JSON as a file in the visitor's browser: a blob on the page's own origin, no request anywhere. */
export function downloadJson(root: ShadowRoot, data: unknown, fileName: string): void {
  const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  root.append(link);
  link.click();
  link.remove();
  // The download has started by now; the blob is released a little later.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
