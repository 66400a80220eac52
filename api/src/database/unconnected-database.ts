import { DataSource, type DataSourceOptions } from 'typeorm';

import type { OpenDatabase } from './data-source';

/**
 * A database that is never connected: enough to build the application's modules without serving a
 * request (the OpenAPI generator). Repositories reach the database only when a request runs.
 */
export function unconnectedDatabase(entities: DataSourceOptions['entities']): OpenDatabase {
  return {
    dataSource: new DataSource({ type: 'postgres', entities }),
    close: () => Promise.resolve(),
  };
}
