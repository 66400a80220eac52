import { DataSource } from 'typeorm';

import { PERSONAL_DATA_REGISTRY, type PersonalDataEntry } from '../src/privacy/personal-data-registry';
import { type CatalogueColumn, catalogueColumns } from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';

/** Column names that say "this is about a person". */
const PERSONAL_NAME = /visitor|email|user/;

interface ForeignKey {
  table: string;
  columns: string[];
  references: string;
}

describe('personal-data registry against the database catalogue', () => {
  let t: TestApp;
  let columns: CatalogueColumn[];
  let foreignKeys: ForeignKey[];

  beforeAll(async () => {
    t = await startTestApp();
    const db = t.app.get(DataSource);
    columns = await catalogueColumns(db);
    foreignKeys = await db.query<ForeignKey[]>(
      `SELECT src.relname AS "table", dst.relname AS "references",
              array_agg(a.attname::text ORDER BY k.ordinality) AS columns
         FROM pg_constraint con
         JOIN pg_class src ON src.oid = con.conrelid
         JOIN pg_class dst ON dst.oid = con.confrelid
         JOIN pg_namespace n ON n.oid = src.relnamespace
         CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY AS k(attnum, ordinality)
         JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
        WHERE con.contype = 'f' AND n.nspname = 'public'
        GROUP BY con.oid, src.relname, dst.relname
        ORDER BY src.relname, con.oid`,
    );
  });
  afterAll(() => t.close());

  const tables = () => [...new Set(columns.map((column) => column.table))];
  const columnsOf = (table: string) => columns.filter((c) => c.table === table).map((c) => c.column);
  const entriesOf = (table: string) => PERSONAL_DATA_REGISTRY.filter((entry) => entry.table === table);
  const registeredColumns = (table: string) => new Set(entriesOf(table).flatMap((entry) => entry.columns));

  /** `table.column` of every column the registry must know: personal by name or pointing at a person. */
  const personalColumns = () => {
    const byName = columns
      .filter((column) => PERSONAL_NAME.test(column.column))
      .map((column) => `${column.table}.${column.column}`);
    const byReference = foreignKeys
      .filter((key) => key.references === 'users' || key.references === 'visitors')
      // The composite keys (visitor_id, site_id) point at a person through their first column.
      .map((key) => `${key.table}.${key.columns[0] ?? ''}`);
    return [...new Set([...byName, ...byReference])].sort();
  };

  it('reads a catalogue that holds the tables this test is about', () => {
    // Guards the test itself: an empty or wrong catalogue would make every check below pass.
    expect(tables()).toEqual(
      expect.arrayContaining(['users', 'visitors', 'conversations', 'messages', 'audit_events']),
    );
    expect(tables()).not.toContain('migrations');
    expect(foreignKeys).toEqual(
      expect.arrayContaining([
        { table: 'memberships', columns: ['user_id'], references: 'users' },
        { table: 'conversations', columns: ['visitor_id', 'site_id'], references: 'visitors' },
      ]),
    );
  });

  it('registers every table with a visitor, email or user column, or a foreign key to users or visitors', () => {
    const personalTables = [...new Set(personalColumns().map((name) => name.split('.')[0] ?? ''))].sort();
    const missing = personalTables.filter((table) => entriesOf(table).length === 0);
    expect(missing).toEqual([]);
    // The tables known today; a new personal table must be registered (above) and listed here.
    expect(personalTables).toEqual([
      'api_keys',
      'audit_events',
      'conversations',
      'invitations',
      'memberships',
      'messages',
      'password_resets',
      'privacy_requests',
      'refresh_tokens',
      'sso_sessions',
      'users',
      'visitors',
      'webhook_deliveries',
    ]);
  });

  it("names every such column in some registry entry's columns of that table", () => {
    const unnamed = personalColumns().filter((name) => {
      const [table = '', column = ''] = name.split('.');
      return !registeredColumns(table).has(column);
    });
    expect(unnamed).toEqual([]);
  });

  it('names only tables and columns that exist', () => {
    const problems: string[] = [];
    const check = (entry: PersonalDataEntry, what: string, names: readonly string[]) => {
      const existing = new Set(columnsOf(entry.table));
      for (const name of names)
        if (!existing.has(name)) problems.push(`${entry.table}: ${what} ${name} does not exist`);
    };
    for (const entry of PERSONAL_DATA_REGISTRY) {
      if (!tables().includes(entry.table)) {
        problems.push(`${entry.table}: no such table`);
        continue;
      }
      check(entry, 'column', entry.columns);
      check(entry, 'exported column', entry.exported ?? []);
      check(entry, 'orderBy column', entry.orderBy);
      if (entry.erasure.kind === 'unlink') check(entry, 'unlink column', [entry.erasure.column]);
      expect(entry.columns.length).toBeGreaterThan(0);
    }
    expect(problems).toEqual([]);
  });

  it('orders each export by columns it exports, and unlinks only nullable columns', async () => {
    const problems: string[] = [];
    const nullable = await t.app
      .get(DataSource)
      .query<
        { table: string; column: string }[]
      >(`SELECT table_name AS "table", column_name AS "column" FROM information_schema.columns WHERE table_schema = 'public' AND is_nullable = 'YES'`);
    for (const entry of PERSONAL_DATA_REGISTRY) {
      if (entry.exported)
        for (const column of entry.orderBy)
          if (!entry.exported.includes(column))
            problems.push(`${entry.table}: orders by unexported ${column}`);
      const { erasure } = entry;
      if (
        erasure.kind === 'unlink' &&
        !nullable.some((c) => c.table === entry.table && c.column === erasure.column)
      )
        problems.push(`${entry.table}: unlinks NOT NULL ${erasure.column}`);
    }
    expect(problems).toEqual([]);
  });

  it('exports each table at most once per kind of subject', () => {
    for (const subject of ['visitor', 'user'] as const) {
      const exported = PERSONAL_DATA_REGISTRY.filter(
        (entry) => entry.subject === subject && entry.exported !== null,
      ).map((entry) => entry.table);
      expect(new Set(exported).size).toBe(exported.length);
    }
  });
});
