import { readFileSync } from 'node:fs';

import { DEFAULT_RATE_LIMITS, type RateLimitRule, type RateLimitSettings } from './rate-limits';

/** Limits above this are surely a typo (and would make counters meaningless). */
const MAX_LIMIT = 1_000_000_000;
/** Windows from one second to one day: shorter ones count nothing, longer ones never forget. */
const MIN_WINDOW_MS = 1_000;
const MAX_WINDOW_MS = 86_400_000;

export type RateLimitOverrides =
  | { settings: RateLimitSettings; problems?: undefined }
  | { settings?: undefined; problems: string[] };

/**
 * Reads `RATE_LIMITS`: a JSON object (or the path of a file holding one) whose keys are rule names
 * of {@link DEFAULT_RATE_LIMITS} and whose values give `limit` and/or `windowMs`. What it leaves out
 * keeps its default, so an operator raises one group without restating the others.
 */
export function parseRateLimits(
  value: string,
  readFile: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): RateLimitOverrides {
  let text = value;
  if (!value.startsWith('{')) {
    try {
      text = readFile(value);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      return { problems: [`RATE_LIMITS is neither a JSON object nor a readable file (${code}: ${value})`] };
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { problems: ['RATE_LIMITS is not valid JSON'] };
  }
  if (!isObject(parsed)) return { problems: ['RATE_LIMITS must be a JSON object of rules'] };

  const problems: string[] = [];
  const settings: RateLimitSettings = { ...DEFAULT_RATE_LIMITS };
  const names = Object.keys(DEFAULT_RATE_LIMITS) as (keyof RateLimitSettings)[];
  for (const [name, override] of Object.entries(parsed)) {
    if (!names.includes(name as keyof RateLimitSettings)) {
      problems.push(`RATE_LIMITS has an unknown rule "${name}" (known: ${names.join(', ')})`);
      continue;
    }
    const rule = mergeRule(name, DEFAULT_RATE_LIMITS[name as keyof RateLimitSettings], override, problems);
    if (rule) settings[name as keyof RateLimitSettings] = rule;
  }
  return problems.length > 0 ? { problems } : { settings };
}

function mergeRule(
  name: string,
  fallback: RateLimitRule,
  override: unknown,
  problems: string[],
): RateLimitRule | null {
  if (!isObject(override)) {
    problems.push(`RATE_LIMITS.${name} must be an object such as {"limit": 100, "windowMs": 60000}`);
    return null;
  }
  const before = problems.length;
  for (const key of Object.keys(override)) {
    if (key !== 'limit' && key !== 'windowMs') {
      problems.push(`RATE_LIMITS.${name} has an unknown field "${key}" (use limit and windowMs)`);
    }
  }
  const { limit, windowMs } = override;
  if (limit !== undefined && !isIntegerIn(limit, 1, MAX_LIMIT)) {
    problems.push(`RATE_LIMITS.${name}.limit must be a whole number from 1 to ${MAX_LIMIT}`);
  }
  if (windowMs !== undefined && !isIntegerIn(windowMs, MIN_WINDOW_MS, MAX_WINDOW_MS)) {
    problems.push(
      `RATE_LIMITS.${name}.windowMs must be a whole number of milliseconds from ${MIN_WINDOW_MS} to ${MAX_WINDOW_MS}`,
    );
  }
  if (problems.length > before) return null;
  return {
    limit: (limit as number | undefined) ?? fallback.limit,
    windowMs: (windowMs as number | undefined) ?? fallback.windowMs,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isIntegerIn(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}
