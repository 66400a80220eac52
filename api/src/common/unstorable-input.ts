/**
 * Deeper than any request body of this API: the deepest DTO (a site's widget settings) is three
 * levels. The limit keeps every later walk over the body (this one, class-transformer,
 * class-validator) far from the call stack's end.
 */
export const MAX_INPUT_DEPTH = 32;

export type UnstorableInput = 'nul' | 'lone-surrogate' | 'too-deep';

/** With the `u` flag a surrogate range matches only halves that are not part of a pair. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * Why a request body or query cannot be handled, or `null`. PostgreSQL refuses U+0000 in `text` and
 * `jsonb`, a lone UTF-16 surrogate has no UTF-8 form (validators throw `URIError` on it, and the
 * driver would store U+FFFD instead), and a body nested thousands deep overflows recursive code.
 * Finding these up front turns each into a clear 400 whichever field it hides in. The walk is
 * iterative: it must not itself be what overflows.
 */
export function findUnstorableInput(value: unknown): UnstorableInput | null {
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const problem = checkText(next.value);
    if (problem) return problem;
    if (next.value === null || typeof next.value !== 'object') continue;
    if (next.depth >= MAX_INPUT_DEPTH) return 'too-deep';
    for (const [key, item] of Object.entries(next.value)) {
      const keyProblem = checkText(key);
      if (keyProblem) return keyProblem;
      pending.push({ value: item, depth: next.depth + 1 });
    }
  }
  return null;
}

function checkText(value: unknown): UnstorableInput | null {
  if (typeof value !== 'string') return null;
  if (value.includes('\u0000')) return 'nul';
  if (LONE_SURROGATE.test(value)) return 'lone-surrogate';
  return null;
}

export const UNSTORABLE_INPUT_MESSAGES: Record<UnstorableInput, string> = {
  nul: 'Text must not contain NUL (U+0000) characters',
  'lone-surrogate': 'Text must be valid Unicode (a lone UTF-16 surrogate such as \\ud800 is not)',
  'too-deep': `The request nests objects or arrays more than ${MAX_INPUT_DEPTH} levels deep`,
};
