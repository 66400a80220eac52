import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { ENVIRONMENT } from './settings';

const root = join(__dirname, '..', '..', '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

/** Every environment variable the configuration reads. */
function variablesInCode(): string[] {
  return Object.keys(ENVIRONMENT).sort();
}

/** The first column of the settings table under `### Cloop` in the self-hosting guide. */
function variablesInGuide(): string[] {
  const guide = read('docs/self-hosting.md');
  const section = guide.slice(guide.indexOf('### Cloop'), guide.indexOf('### Compose only'));
  return [...section.matchAll(/^\| `([A-Z_]+)`/gm)].map((match) => match[1] ?? '').sort();
}

describe('the documented settings', () => {
  it('are exactly the variables the configuration reads, in docs/self-hosting.md', () => {
    expect(variablesInCode().length).toBeGreaterThan(10);
    expect(variablesInGuide()).toEqual(variablesInCode());
  });

  it('all appear in .env.example', () => {
    const example = read('.env.example');
    expect(variablesInCode().filter((name) => !new RegExp(`^#? ?${name}=`, 'm').test(example))).toEqual([]);
  });
});
