import { readFile, writeFile } from 'node:fs/promises';

import { CheckpointRefusedError, describeFinding, readCheckpoint } from '../audit/audit-checkpoint';
import { AuditKeys } from '../audit/audit-keys';
import { AuditService } from '../audit/audit.service';
import { type CliApp, options } from './cli-options';
import { type CliIo, CliUsageError } from './password-input';

/**
 * `audit:verify [--checkpoint FILE]`: re-computes every chain and, with a checkpoint, compares each
 * chain's end with it. Exit code 0 when nothing was found, 1 when something was (or the checkpoint
 * is refused). Standard output is the result as JSON; standard error says it in words, including
 * what could not be proven.
 */
export async function verifyAuditCommand(app: CliApp, args: string[], io: CliIo): Promise<number> {
  const file = options(args, ['checkpoint'])['checkpoint'];
  let checkpoint = null;
  if (file !== undefined) {
    // `-`: standard input, for a checkpoint kept on another machine than the server's container.
    const text = await (file === '-' ? readAll(io.stdin) : readFile(file, 'utf8')).catch(
      (error: NodeJS.ErrnoException) => {
        throw new CliUsageError(`Cannot read the checkpoint ${file} (${error.code ?? error.message})`);
      },
    );
    try {
      checkpoint = readCheckpoint(text, app.get(AuditKeys).checkpoint);
    } catch (error) {
      if (!(error instanceof CheckpointRefusedError)) throw error;
      io.stderr.write(`checkpoint ${file} refused: ${error.message}\n`);
      return 1;
    }
  }

  const verification = await app.get(AuditService).verify(checkpoint);
  io.stdout.write(`${JSON.stringify(verification, null, 2)}\n`);
  for (const broken of verification.breaks) {
    io.stderr.write(
      `organization ${broken.organizationId}: first bad row seq ${broken.seq} (id ${broken.id}): ${broken.reason}\n`,
    );
  }
  for (const finding of verification.checkpoint?.findings ?? [])
    io.stderr.write(`${describeFinding(finding)}\n`);
  for (const gap of verification.unproven) io.stderr.write(`cannot prove: ${gap}\n`);
  const found = verification.breaks.length + (verification.checkpoint?.findings.length ?? 0);
  io.stderr.write(
    found === 0
      ? `audit trail intact: ${verification.chains} chain(s), ${verification.events} event(s)` +
          `${checkpoint ? `, consistent with the checkpoint of ${checkpoint.createdAt}` : ''}\n`
      : `audit trail TAMPERED: ${found} problem(s) found\n`,
  );
  return found === 0 ? 0 : 1;
}

/**
 * `audit:checkpoint [--out FILE]`: every chain's head, signed, for an auditor to keep outside the
 * database (the file holds ids and hashes only, nothing personal).
 */
export async function checkpointAuditCommand(app: CliApp, args: string[], io: CliIo): Promise<number> {
  const out = options(args, ['out'])['out'];
  const checkpoint = await app.get(AuditService).checkpoint();
  const text = `${JSON.stringify(checkpoint, null, 2)}\n`;
  if (out === undefined) {
    io.stdout.write(text);
  } else {
    await writeFile(out, text, { mode: 0o644 });
    io.stderr.write(
      `checkpoint of ${checkpoint.chains.length} chain(s) written to ${out} (key id ${checkpoint.keyId})\n`,
    );
  }
  return 0;
}

/** `audit:public-key`: the PEM public key that checks checkpoint signatures without any secret. */
export function auditPublicKeyCommand(app: CliApp, args: string[], io: CliIo): Promise<number> {
  options(args, []);
  io.stdout.write(app.get(AuditService).checkpointPublicKey());
  return Promise.resolve(0);
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}
