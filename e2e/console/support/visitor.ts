import { randomUUID } from 'node:crypto';

import type { Message, WidgetSessionResponse } from '@cloop/contracts';

/**
 * A website visitor talking through the widget's HTTP API, as the widget would from a page on an
 * allowed origin (the widget itself is built on another branch; this drives the same endpoints).
 */
export class Visitor {
  readonly id = randomUUID();

  constructor(
    private readonly apiOrigin: string,
    private readonly publicKey: string,
    private readonly pageOrigin: string,
  ) {}

  private headers(): Record<string, string> {
    return {
      'Content-Type': 'application/json',
      'X-Cloop-Site-Key': this.publicKey,
      'X-Cloop-Visitor': this.id,
      Origin: this.pageOrigin,
    };
  }

  async startSession(entryUrl: string): Promise<WidgetSessionResponse> {
    const response = await fetch(`${this.apiOrigin}/api/v1/widget/session`, {
      method: 'POST',
      headers: this.headers(),
      body: JSON.stringify({ entryUrl, locale: 'en' }),
    });
    if (!response.ok) throw new Error(`session: ${response.status} ${await response.text()}`);
    return (await response.json()) as WidgetSessionResponse;
  }

  async send(body: string): Promise<Message> {
    const response = await fetch(`${this.apiOrigin}/api/v1/widget/messages`, {
      method: 'POST',
      headers: this.headers(),
      body: JSON.stringify({ id: randomUUID(), body }),
    });
    if (!response.ok) throw new Error(`message: ${response.status} ${await response.text()}`);
    return (await response.json()) as Message;
  }

  async messages(): Promise<Message[]> {
    const response = await fetch(`${this.apiOrigin}/api/v1/widget/messages?after=0`, {
      headers: this.headers(),
    });
    if (!response.ok) throw new Error(`messages: ${response.status} ${await response.text()}`);
    return ((await response.json()) as { items: Message[] }).items;
  }
}
