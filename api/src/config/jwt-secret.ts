import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { JWT_SECRET_MIN_LENGTH } from './app-config';

const SECRET_FILE = 'jwt-secret';

/**
 * Embedded mode needs no configuration, so the signing secret is generated on first start and kept
 * beside the database: tokens then survive restarts, and deleting `DATA_DIR` resets both together.
 */
export async function loadOrCreateJwtSecret(dataDir: string): Promise<string> {
  const file = join(dataDir, SECRET_FILE);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  try {
    await writeFile(file, randomBytes(48).toString('base64url'), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const secret = (await readFile(file, 'utf8')).trim();
  if (secret.length < JWT_SECRET_MIN_LENGTH) {
    throw new Error(
      `${file} holds a secret shorter than ${JWT_SECRET_MIN_LENGTH} characters; delete it to regenerate`,
    );
  }
  return secret;
}
