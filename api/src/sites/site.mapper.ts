import type { Site } from '@cloop/contracts';

import type { SiteEntity } from './site.entity';

export function mapSite(site: SiteEntity): Site {
  return {
    id: site.id,
    organizationId: site.organizationId,
    name: site.name,
    publicKey: site.publicKey,
    allowedOrigins: site.allowedOrigins,
    widget: site.widget,
    leadCapture: site.leadCapture,
    retentionDays: site.retentionDays,
    createdAt: site.createdAt.toISOString(),
    updatedAt: site.updatedAt.toISOString(),
  };
}
