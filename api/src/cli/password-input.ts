import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';

export interface CliIo {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

export class CliUsageError extends Error {
  override name = 'CliUsageError';
}

/**
 * The password for a user command: from `--password` when given (visible to other local users in
 * the process list, so scripts should pipe it instead), else typed twice without echo at a
 * terminal, else the first line of standard input. Never echoed or printed.
 */
export async function readPassword(flag: string | undefined, io: CliIo): Promise<string> {
  if (flag !== undefined) return flag;
  if (io.stdin.isTTY) {
    const [first, second] = await promptHidden(['New password: ', 'Repeat it: '], io);
    if (first !== second) throw new CliUsageError('The two passwords differ; nothing was changed');
    return first ?? '';
  }
  const line = await firstLine(io.stdin);
  if (line === null || line === '') {
    throw new CliUsageError('No password: pipe it on standard input, or run the command at a terminal');
  }
  return line;
}

/** Asks each question in turn at a terminal, without echoing the answers. */
async function promptHidden(prompts: string[], io: CliIo): Promise<string[]> {
  // A terminal echoes what is typed through readline's output: give it one that swallows it.
  const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
  const reader = createInterface({ input: io.stdin, output: silent, terminal: true });
  // The iterator queues lines typed ahead of their prompt instead of dropping them.
  const lines = reader[Symbol.asyncIterator]();
  try {
    const answers: string[] = [];
    for (const prompt of prompts) {
      io.stderr.write(prompt);
      const typed = await lines.next();
      io.stderr.write('\n');
      if (typed.done) throw new CliUsageError('No password typed; nothing was changed');
      answers.push(typed.value);
    }
    return answers;
  } finally {
    reader.close();
  }
}

async function firstLine(stream: NodeJS.ReadableStream): Promise<string | null> {
  const reader = createInterface({ input: stream, crlfDelay: Infinity });
  try {
    for await (const line of reader) return line;
    return null;
  } finally {
    reader.close();
  }
}
