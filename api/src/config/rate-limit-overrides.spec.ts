import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { parseRateLimits } from './rate-limit-overrides';
import { DEFAULT_RATE_LIMITS } from './rate-limits';

describe('parseRateLimits', () => {
  it('merges a partial override over the defaults and keeps every other rule', () => {
    const { settings } = parseRateLimits('{"chat": {"limit": 5000}, "auth": {"limit": 3, "windowMs": 1000}}');

    expect(settings).toEqual({
      ...DEFAULT_RATE_LIMITS,
      chat: { limit: 5000, windowMs: DEFAULT_RATE_LIMITS.chat.windowMs },
      auth: { limit: 3, windowMs: 1000 },
    });
  });

  it('leaves the defaults unchanged for an empty object', () => {
    expect(parseRateLimits('{}').settings).toEqual(DEFAULT_RATE_LIMITS);
  });

  it('reads the JSON from a file when the value is a path', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'cloop-limits-')), 'limits.json');
    writeFileSync(path, '{"visitorMessages": {"limit": 100000, "windowMs": 60000}}');

    expect(parseRateLimits(path).settings?.visitorMessages).toEqual({ limit: 100000, windowMs: 60000 });
  });

  it('names the variable when the file cannot be read', () => {
    expect(parseRateLimits('/nonexistent/limits.json').problems).toEqual([
      'RATE_LIMITS is neither a JSON object nor a readable file (ENOENT: /nonexistent/limits.json)',
    ]);
  });

  it('refuses text that is not JSON, and JSON that is not an object', () => {
    expect(parseRateLimits('{chat: 1}').problems).toEqual(['RATE_LIMITS is not valid JSON']);
    expect(parseRateLimits('x', () => '[1, 2]').problems).toEqual([
      'RATE_LIMITS must be a JSON object of rules',
    ]);
    expect(parseRateLimits('{"chat": 5}').problems).toEqual([
      'RATE_LIMITS.chat must be an object such as {"limit": 100, "windowMs": 60000}',
    ]);
  });

  it('refuses unknown rule names and unknown fields, listing the known ones', () => {
    const { problems } = parseRateLimits('{"chats": {"limit": 1}, "chat": {"max": 1}}');

    expect(problems).toEqual([
      expect.stringMatching(/^RATE_LIMITS has an unknown rule "chats" \(known: auth, admin, public, chat, /),
      'RATE_LIMITS.chat has an unknown field "max" (use limit and windowMs)',
    ]);
  });

  it.each([0, -1, 1.5, '10', null, 2_000_000_000])('refuses the limit %p', (limit) => {
    expect(parseRateLimits(JSON.stringify({ admin: { limit } })).problems).toEqual([
      'RATE_LIMITS.admin.limit must be a whole number from 1 to 1000000000',
    ]);
  });

  it.each([0, 999, 60_000.5, '60000', 86_400_001])('refuses the window %p', (windowMs) => {
    expect(parseRateLimits(JSON.stringify({ admin: { windowMs } })).problems).toEqual([
      'RATE_LIMITS.admin.windowMs must be a whole number of milliseconds from 1000 to 86400000',
    ]);
  });

  it('reports every problem at once', () => {
    expect(parseRateLimits('{"chat": {"limit": 0, "windowMs": 0}, "nope": {}}').problems).toHaveLength(3);
  });
});
