import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { loadOrCreateAuditKey, loadOrCreateJwtSecret } from './jwt-secret';

describe('secrets generated under DATA_DIR', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cloop-secrets-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('creates an audit key of its own, readable by the owner only, and keeps it across starts', async () => {
    const auditKey = await loadOrCreateAuditKey(dir);

    expect(auditKey.length).toBeGreaterThanOrEqual(32);
    expect(await loadOrCreateAuditKey(dir)).toBe(auditKey);
    expect((await readFile(join(dir, 'audit-key'), 'utf8')).trim()).toBe(auditKey);
    expect((await stat(join(dir, 'audit-key'))).mode & 0o777).toBe(0o600);
    expect(await loadOrCreateJwtSecret(dir)).not.toBe(auditKey);
  });

  it('refuses a key file too short to be one, naming the file', async () => {
    await writeFile(join(dir, 'audit-key'), 'short');
    await expect(loadOrCreateAuditKey(dir)).rejects.toThrow(/audit-key holds a secret shorter than 32/);
  });
});
