import { createCloopClient } from '@cloop/client';

/**
 * The README's example: every conversation of a site in which the visitor left an e-mail, and that
 * visitor's data as Cloop's privacy export (the document a data-subject request is answered with).
 * `apiKey`: an organization API key (`ck_…`) with the scopes `conversations:read` and
 * `privacy:read`, created by an owner or admin in the console (API keys).
 */
export async function exportLeads(baseUrl: string, apiKey: string, siteId: string) {
  const cloop = createCloopClient({ baseUrl, token: apiKey });

  const leads = await cloop.GET('/api/v1/sites/{siteId}/conversations', {
    params: { path: { siteId }, query: { lead: true, limit: 50 } },
  });
  if (leads.error) throw new Error(`listing failed: ${leads.error.code}`);

  const exports = [];
  for (const conversation of leads.data.items) {
    if (!conversation.email) continue;
    const exported = await cloop.POST('/api/v1/sites/{siteId}/privacy/exports', {
      params: { path: { siteId } },
      body: { email: conversation.email },
    });
    if (exported.error) throw new Error(`export failed: ${exported.error.code}`);
    exports.push(exported.data);
  }
  return exports;
}
