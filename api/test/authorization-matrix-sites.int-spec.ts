import type { Page, Site } from '@cloop/contracts';

import { SITE_ROWS } from './support/authorization-matrix/sites.rows';
import { describeMatrix } from './support/authorization-matrix/machinery';
import { route } from '@cloop/client/route';

// Every caller against every route of this area; the rows are in the support module.
describeMatrix(
  'authorization matrix: sites, conversations, knowledge, webhooks and privacy',
  SITE_ROWS,
  (world) => {
    it("lists none of org A's sites to the owner of another organization", async () => {
      const w = world();
      const response = await w.http
        .get(route('/api/v1/sites'))
        .query({ organizationId: w.users.owner.organizationId })
        .set(w.users.ownerB.auth)
        .expect(200);
      expect((response.body as Page<Site>).items).toEqual([]);
    });
  },
);
