import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Okapi BM25 inside PostgreSQL. Each document is indexed in its own language (English or Finnish),
 * its title and headings weighted apart from its text; dotted and compound names (`socket.io`,
 * `mongoose.connect`, `api/v2`) are indexed whole and by their parts. Per-site statistics (chunk
 * count, total length, each lexeme's document frequency) are kept by statement triggers, so they
 * stay true whatever path adds or removes chunks (uploads, crawls, cascading deletes). `version`
 * changes with every change of content: the unanswered list re-checks its questions against it.
 * Dismissed and re-checked unanswered questions are remembered in `knowledge_question_reviews`.
 */
export class KnowledgeRanking1764900000000 implements MigrationInterface {
  name = 'KnowledgeRanking1764900000000';

  async up(db: QueryRunner): Promise<void> {
    // The words PostgreSQL's parser keeps whole ("node.js", "api/v2"), followed by their parts.
    await db.query(`
      CREATE FUNCTION knowledge_search_text(t text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
        SELECT t || coalesce(' ' || (
          SELECT string_agg(regexp_replace(m[1], '[._/@:]+', ' ', 'g'), ' ')
            FROM regexp_matches(t, '([[:alnum:]]+(?:[._/@:]+[[:alnum:]]+)+)', 'g') AS m), '')
      $fn$`);
    await db.query(`
      CREATE FUNCTION knowledge_chunk_vector(language regconfig, title text, heading text, content text)
        RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
        SELECT setweight(to_tsvector(language, knowledge_search_text(title)), 'A')
            || setweight(to_tsvector(language, knowledge_search_text(heading)), 'B')
            || to_tsvector(language, knowledge_search_text(content))
      $fn$`);
    await db.query(`ALTER TABLE knowledge_documents ADD COLUMN language text NOT NULL DEFAULT 'english'
                      CHECK (language IN ('english', 'finnish'))`);
    await db.query(`DROP INDEX knowledge_chunks_search_idx`);
    await db.query(`ALTER TABLE knowledge_chunks DROP COLUMN search`);
    await db.query(`ALTER TABLE knowledge_chunks ADD COLUMN search tsvector, ADD COLUMN length integer`);
    await db.query(`
      UPDATE knowledge_chunks c
         SET search = knowledge_chunk_vector('english', d.title, c.heading, c.content)
        FROM knowledge_documents d WHERE d.id = c.document_id`);
    await db.query(`
      UPDATE knowledge_chunks
         SET length = (SELECT coalesce(sum(array_length(positions, 1)), 0) FROM unnest(search))`);
    await db.query(`ALTER TABLE knowledge_chunks ALTER COLUMN search SET NOT NULL,
                                                ALTER COLUMN length SET NOT NULL`);
    await db.query(`CREATE INDEX knowledge_chunks_search_idx ON knowledge_chunks USING gin (search)`);

    await db.query(`
      CREATE TABLE knowledge_site_stats (
        site_id uuid PRIMARY KEY REFERENCES sites (id) ON DELETE CASCADE,
        chunk_count integer NOT NULL DEFAULT 0,
        total_length bigint NOT NULL DEFAULT 0,
        version bigint NOT NULL DEFAULT 0
      )`);
    await db.query(`
      CREATE TABLE knowledge_term_stats (
        site_id uuid NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
        lexeme text NOT NULL,
        df integer NOT NULL,
        PRIMARY KEY (site_id, lexeme)
      )`);
    // Rows are locked in (site, lexeme) order so that two concurrent indexings cannot deadlock.
    await db.query(`
      CREATE FUNCTION knowledge_chunks_added() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        INSERT INTO knowledge_site_stats AS s (site_id, chunk_count, total_length, version)
        SELECT site_id, count(*), sum(length), 1 FROM added GROUP BY site_id ORDER BY site_id
        ON CONFLICT (site_id) DO UPDATE
          SET chunk_count = s.chunk_count + excluded.chunk_count,
              total_length = s.total_length + excluded.total_length, version = s.version + 1;
        INSERT INTO knowledge_term_stats AS t (site_id, lexeme, df)
        SELECT a.site_id, u.lexeme, count(*) FROM added a, unnest(a.search) u
         GROUP BY a.site_id, u.lexeme ORDER BY a.site_id, u.lexeme
        ON CONFLICT (site_id, lexeme) DO UPDATE SET df = t.df + excluded.df;
        RETURN NULL;
      END $fn$`);
    await db.query(`
      CREATE FUNCTION knowledge_chunks_removed() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        UPDATE knowledge_site_stats s
           SET chunk_count = s.chunk_count - r.chunks, total_length = s.total_length - r.length,
               version = s.version + 1
          FROM (SELECT site_id, count(*) AS chunks, sum(length) AS length FROM removed GROUP BY site_id) r
         WHERE s.site_id = r.site_id;
        WITH gone AS (
          SELECT r.site_id, u.lexeme, count(*) AS df FROM removed r, unnest(r.search) u
           GROUP BY r.site_id, u.lexeme ORDER BY r.site_id, u.lexeme),
        updated AS (
          UPDATE knowledge_term_stats t SET df = t.df - g.df FROM gone g
           WHERE t.site_id = g.site_id AND t.lexeme = g.lexeme
          RETURNING t.site_id, t.lexeme, t.df)
        DELETE FROM knowledge_term_stats t USING updated u
         WHERE t.site_id = u.site_id AND t.lexeme = u.lexeme AND u.df <= 0;
        RETURN NULL;
      END $fn$`);
    await db.query(`
      CREATE TRIGGER knowledge_chunks_added AFTER INSERT ON knowledge_chunks
        REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION knowledge_chunks_added()`);
    await db.query(`
      CREATE TRIGGER knowledge_chunks_removed AFTER DELETE ON knowledge_chunks
        REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION knowledge_chunks_removed()`);
    await db.query(`
      INSERT INTO knowledge_site_stats (site_id, chunk_count, total_length, version)
      SELECT site_id, count(*), sum(length), 1 FROM knowledge_chunks GROUP BY site_id`);
    await db.query(`
      INSERT INTO knowledge_term_stats (site_id, lexeme, df)
      SELECT c.site_id, u.lexeme, count(*) FROM knowledge_chunks c, unnest(c.search) u GROUP BY c.site_id, u.lexeme`);

    await db.query(`
      CREATE TABLE knowledge_question_reviews (
        site_id uuid NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
        -- The visitor's question; erasing the visitor erases the review with it.
        message_id uuid NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
        state text NOT NULL CHECK (state IN ('open', 'answered', 'dismissed')),
        confidence real NOT NULL,
        content_version bigint NOT NULL,
        reviewed_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (site_id, message_id)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE knowledge_question_reviews`);
    await db.query(`DROP TRIGGER knowledge_chunks_added ON knowledge_chunks`);
    await db.query(`DROP TRIGGER knowledge_chunks_removed ON knowledge_chunks`);
    await db.query(`DROP FUNCTION knowledge_chunks_added(), knowledge_chunks_removed()`);
    await db.query(`DROP TABLE knowledge_term_stats, knowledge_site_stats`);
    await db.query(`DROP INDEX knowledge_chunks_search_idx`);
    await db.query(`ALTER TABLE knowledge_chunks DROP COLUMN search, DROP COLUMN length`);
    await db.query(`ALTER TABLE knowledge_documents DROP COLUMN language`);
    await db.query(
      `DROP FUNCTION knowledge_chunk_vector(regconfig, text, text, text), knowledge_search_text(text)`,
    );
    await db.query(`
      ALTER TABLE knowledge_chunks ADD COLUMN search tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', heading), 'A') || setweight(to_tsvector('finnish', heading), 'A') ||
        setweight(to_tsvector('english', content), 'B') || setweight(to_tsvector('finnish', content), 'B')
      ) STORED`);
    await db.query(`CREATE INDEX knowledge_chunks_search_idx ON knowledge_chunks USING gin (search)`);
  }
}
