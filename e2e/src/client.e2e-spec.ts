import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { createCloopClient } from '@cloop/client';

import { exportLeads } from '@cloop/client/examples/export-leads';
import { startCloop, type CloopProcess } from './support/cloop-process';
import { TeamApi } from './support/console-api';
import { route } from '@cloop/client/route';

const EXAMPLE = resolve(__dirname, '../../libs/client/examples/export-leads.ts');
const README = resolve(__dirname, '../../libs/client/README.md');
const ORIGIN = 'https://shop.example';

describe('the typed client (libs/client), against the built app', () => {
  let cloop: CloopProcess;
  let team: TeamApi;
  let siteId: string;
  /** What an integrator holds: an organization API key, made by the owner. */
  let apiKey: string;

  beforeAll(async () => {
    cloop = await startCloop();
    team = await TeamApi.signUp(cloop.url);
    const site = await team.createSite([ORIGIN]);
    siteId = site.id;
    apiKey = (await team.createApiKey('Lead export', ['conversations:read', 'privacy:read'])).secret;
    // Two visitors write through the widget API; one of them leaves an e-mail.
    await visitorWrites(site.publicKey, 'Do you ship to Finland?', 'lead@example.test');
    await visitorWrites(site.publicKey, 'Just looking around');
  });
  afterAll(() => cloop?.stop());

  it("runs the README's example: lists the lead conversations and exports that visitor's data", async () => {
    const exports = await exportLeads(cloop.url, apiKey, siteId);

    expect(exports).toHaveLength(1);
    expect(exports[0]).toMatchObject({
      format: 'cloop.privacy-export.v1',
      subject: { kind: 'email', value: 'lead@example.test' },
    });
    expect(JSON.stringify(exports[0])).toContain('Do you ship to Finland?');
    expect(JSON.stringify(exports[0])).not.toContain('Just looking around');
  });

  it('shows the example in its README exactly as the test runs it', () => {
    const code = readFileSync(EXAMPLE, 'utf8').trim();
    expect(readFileSync(README, 'utf8')).toContain(code);
  });

  it("returns Cloop's error body, typed, for a refused credential and for bad input", async () => {
    await expect(exportLeads(cloop.url, 'not-a-token', siteId)).rejects.toThrow(
      'listing failed: UNAUTHENTICATED',
    );
    // A key that may list conversations but not export anyone's data.
    const narrow = await team.createApiKey('Inbox only', ['conversations:read']);
    await expect(exportLeads(cloop.url, narrow.secret, siteId)).rejects.toThrow('export failed: FORBIDDEN');

    const client = createCloopClient({ baseUrl: `${cloop.url}/`, token: apiKey });
    const bad = await client.GET('/api/v1/sites/{siteId}/conversations', {
      params: { path: { siteId }, query: { limit: 0 } },
    });
    expect(bad.response.status).toBe(400);
    expect(bad.error?.code).toBe('VALIDATION_FAILED');
  });

  async function visitorWrites(siteKey: string, body: string, email?: string): Promise<void> {
    const headers = {
      'Content-Type': 'application/json',
      Origin: ORIGIN,
      'X-Cloop-Site-Key': siteKey,
      'X-Cloop-Visitor': randomUUID(),
    };
    const send = async (method: string, path: string, payload: unknown) => {
      const response = await fetch(`${cloop.url}${path}`, { method, headers, body: JSON.stringify(payload) });
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    };
    await send('POST', route('/api/v1/widget/session'), { entryUrl: `${ORIGIN}/` });
    await send('POST', route('/api/v1/widget/messages'), { id: randomUUID(), body });
    if (email) await send('PUT', route('/api/v1/widget/contact'), { email });
  }
});
