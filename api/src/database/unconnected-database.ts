import { DataSource } from 'typeorm';

import type { OpenDatabase } from './data-source';
import { ENTITIES } from './entities';

/**
 * A database that is never connected: enough to build the application's modules without serving a
 * request (the OpenAPI generator). Repositories reach the database only when a request runs.
 */
export function unconnectedDatabase(): OpenDatabase {
  return {
    dataSource: new DataSource({ type: 'postgres', entities: ENTITIES }),
    close: () => Promise.resolve(),
  };
}
