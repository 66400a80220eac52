/**
 * The brand mark (the console's `favicon.svg`), also at `/favicon.ico`: browsers ask for that path
 * on every page of this origin (the demo page included), and a 404 there is a console error.
 * Chromium and Firefox read an SVG whatever the file name says.
 */
export const FAVICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="8" fill="#4f46e5"/>' +
  '<path d="M9 11h14v8h-8l-4 4v-4H9z" fill="#fff"/></svg>';
