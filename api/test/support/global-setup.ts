import { migratedEmbeddedDump, migratedTemplateDatabase } from './database-template';

/**
 * Runs once before the integration files (jest `globalSetup`): builds the migrated template their
 * test apps copy, if this version of the schema has none yet. Built here, the minute it can take
 * on a loaded machine counts against no test's timeout; the files would build it themselves too.
 */
export default async function buildDatabaseTemplate(): Promise<void> {
  const serverUrl = process.env['DATABASE_URL'];
  if (serverUrl) await migratedTemplateDatabase(serverUrl);
  else await migratedEmbeddedDump();
}
