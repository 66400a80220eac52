import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The knowledge base: sources (a crawl, an upload, a question and answer), the documents they
 * yielded (one per page or file, each with its own status) and the searchable chunks; and the
 * assistant's model usage.
 */
export class Knowledge1764662400000 implements MigrationInterface {
  name = 'Knowledge1764662400000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE knowledge_sources (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        site_id uuid NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
        type text NOT NULL CHECK (type IN ('crawl', 'upload', 'qa')),
        title text NOT NULL,
        -- Crawls: the start URL (a page or a sitemap.xml).
        url text,
        status text NOT NULL CHECK (status IN ('queued', 'running', 'ready', 'failed')),
        error text,
        page_limit integer,
        depth_limit integer,
        document_count integer NOT NULL DEFAULT 0,
        chunk_count integer NOT NULL DEFAULT 0,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT knowledge_sources_id_site_key UNIQUE (id, site_id)
      )`);
    await db.query(`CREATE INDEX knowledge_sources_site_idx ON knowledge_sources (site_id, created_at, id)`);
    await db.query(`
      CREATE TABLE knowledge_documents (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        source_id uuid NOT NULL,
        site_id uuid NOT NULL,
        url text,
        title text NOT NULL,
        -- What happened to this page or file, in words a person can act on.
        status text NOT NULL CHECK (status IN ('indexed', 'unchanged', 'skipped', 'failed')),
        detail text,
        content_hash text,
        chunk_count integer NOT NULL DEFAULT 0,
        fetched_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT knowledge_documents_id_site_key UNIQUE (id, site_id),
        CONSTRAINT knowledge_documents_source_fkey FOREIGN KEY (source_id, site_id)
          REFERENCES knowledge_sources (id, site_id) ON DELETE CASCADE
      )`);
    await db.query(`CREATE INDEX knowledge_documents_source_idx ON knowledge_documents (source_id, url)`);
    await db.query(`
      CREATE TABLE knowledge_chunks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        document_id uuid NOT NULL,
        site_id uuid NOT NULL,
        ordinal integer NOT NULL,
        heading text NOT NULL DEFAULT '',
        content text NOT NULL,
        -- English and Finnish stemming both: a site's content and its visitors' questions may be in either.
        search tsvector GENERATED ALWAYS AS (
          setweight(to_tsvector('english', heading), 'A') || setweight(to_tsvector('finnish', heading), 'A') ||
          setweight(to_tsvector('english', content), 'B') || setweight(to_tsvector('finnish', content), 'B')
        ) STORED,
        CONSTRAINT knowledge_chunks_document_fkey FOREIGN KEY (document_id, site_id)
          REFERENCES knowledge_documents (id, site_id) ON DELETE CASCADE
      )`);
    await db.query(`CREATE INDEX knowledge_chunks_search_idx ON knowledge_chunks USING gin (search)`);
    await db.query(`CREATE INDEX knowledge_chunks_site_idx ON knowledge_chunks (site_id)`);
    await db.query(`CREATE INDEX knowledge_chunks_document_idx ON knowledge_chunks (document_id, ordinal)`);
    // Language-model tokens spent per site and calendar month, against the monthly budget.
    await db.query(`
      CREATE TABLE assistant_usage (
        site_id uuid NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
        month date NOT NULL,
        tokens bigint NOT NULL DEFAULT 0 CHECK (tokens >= 0),
        PRIMARY KEY (site_id, month)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['assistant_usage', 'knowledge_chunks', 'knowledge_documents', 'knowledge_sources']) {
      await db.query(`DROP TABLE ${table}`);
    }
  }
}
