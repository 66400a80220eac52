import type { AddressInfo } from 'node:net';

import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/**
 * A real SMTP server on loopback that keeps the text of what it receives (mailparser). The API's
 * tests have a fuller one (api/test/support/smtp-inbox.ts); projects may not import each other's
 * test code, and the console's tests need only this much.
 */
export class SmtpInbox {
  private readonly received: { to: string[]; text: string }[] = [];
  private server: SMTPServer | null = null;
  private port = 0;

  async start(): Promise<this> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData: (stream, _session, callback) => {
        simpleParser(stream)
          .then((parsed) => {
            const to = (Array.isArray(parsed.to) ? parsed.to : parsed.to ? [parsed.to] : []).flatMap((o) =>
              o.value.map((entry) => entry.address ?? ''),
            );
            this.received.push({ to, text: parsed.text ?? '' });
            callback();
          })
          .catch((error: Error) => callback(error));
      },
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
    this.server = server;
    this.port = (server.server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** The token of the first `/console/<page>#token=…` link e-mailed to `to`; waits up to 15 s. */
  async linkToken(to: string, page: string): Promise<string> {
    const pattern = new RegExp(`/console/${page}#token=([A-Za-z0-9_.-]+)`);
    const deadline = Date.now() + 15_000;
    for (;;) {
      for (const mail of this.received) {
        const token = mail.to.includes(to) ? pattern.exec(mail.text)?.[1] : undefined;
        if (token) return token;
      }
      if (Date.now() > deadline) throw new Error(`no ${page} link for ${to}`);
      await new Promise((done) => setTimeout(done, 100));
    }
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((done) => server.close(() => done()));
  }
}
