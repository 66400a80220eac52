/**
 * Headings that say what a section is, never which document it belongs to: a README whose first
 * heading is "Installation" or "Table of contents" must not be cited as "Installation".
 */
const GENERIC_HEADINGS = new Set([
  'about',
  'api',
  'api reference',
  'contents',
  'description',
  'docs',
  'documentation',
  'example',
  'examples',
  'features',
  'getting started',
  'guide',
  'home',
  'index',
  'install',
  'installation',
  'intro',
  'introduction',
  'license',
  'overview',
  'quick start',
  'quickstart',
  'readme',
  'setup',
  'summary',
  'table of contents',
  'toc',
  'usage',
  'welcome',
  'sisällys',
  'sisällysluettelo',
  'asennus',
  'johdanto',
  'käyttö',
  'yleiskatsaus',
]);

/** A file name as a title: `socket.io-client_README.md` → "socket.io-client README". */
export function titleFromFileName(fileName: string): string {
  const base = fileName.replace(/^.*[\\/]/, '').replace(/\.(md|markdown|txt|text|html?|pdf)$/i, '');
  return base.replace(/[_\s]+/g, ' ').trim() || fileName;
}

function isGenericHeading(text: string): boolean {
  const normalized = text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return normalized === '' || GENERIC_HEADINGS.has(normalized);
}

/**
 * The title a person would give the document: its own title or first `h1` when that names it,
 * otherwise one built from the file name (a generic first heading only qualifies it:
 * "README — Installation" reads better than two sources both called "Installation").
 */
export function documentTitle(ownTitle: string | null, fileName: string): string {
  if (ownTitle && !isGenericHeading(ownTitle) && ownTitle.length <= 120) return ownTitle;
  const fromFile = titleFromFileName(fileName);
  return isGenericHeading(fromFile) && ownTitle ? `${fromFile} — ${ownTitle}` : fromFile;
}
