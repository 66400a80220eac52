import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Embedded mode needs no configuration, so its secrets are generated on first start and kept beside
 * the database: they survive restarts, and deleting `DATA_DIR` resets them with the data they guard.
 * `wx` makes the first writer win if two processes race.
 */
export async function loadOrCreateSecret(
  dataDir: string,
  fileName: string,
  minLength: number,
): Promise<string> {
  const file = join(dataDir, fileName);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  try {
    await writeFile(file, randomBytes(48).toString('base64url'), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const secret = (await readFile(file, 'utf8')).trim();
  if (secret.length < minLength) {
    throw new Error(`${file} holds a secret shorter than ${minLength} characters; delete it to regenerate`);
  }
  return secret;
}
