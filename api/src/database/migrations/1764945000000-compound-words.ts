import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The words PostgreSQL's parser keeps whole ("node.js", "api/v2"), followed by their parts. */
const DOTTED_PARTS = `coalesce(' ' || (
          SELECT string_agg(regexp_replace(m[1], '[._/@:]+', ' ', 'g'), ' ')
            FROM regexp_matches(t, '([[:alnum:]]+(?:[._/@:]+[[:alnum:]]+)+)', 'g') AS m), '')`;
/** Hyphenated words also written as one ("pre-flight" → "preflight", "e-mail" → "email"). */
const JOINED_HYPHENATED = `coalesce(' ' || (
          SELECT string_agg(replace(m[1], '-', ''), ' ')
            FROM regexp_matches(t, '([[:alpha:]]+(?:-[[:alpha:]]+)+)', 'g') AS m), '')`;

/** The words of a camel-case name ("uncaughtException" → "uncaught Exception", "fileSize"). */
const CAMEL_CASE_PARTS = `coalesce(' ' || (
          SELECT string_agg(regexp_replace(m[1], '([[:lower:]])([[:upper:]])', '\\1 \\2', 'g'), ' ')
            FROM regexp_matches(t, '([[:alpha:]]*[[:lower:]][[:upper:]][[:alpha:]]*)', 'g') AS m), '')`;

/**
 * A camel-case name is indexed (and asked) also by its words: a visitor writes "uncaught
 * exception" for `uncaughtException`. A hyphenated word is indexed (and asked) also as one word: the parser keeps "pre-flight" whole
 * and by its parts, but a visitor who types "preflight" matched none of them. Existing chunks are
 * re-indexed and the site statistics recounted (the statistics triggers fire on insert and delete
 * only).
 */
export class CompoundWords1764945000000 implements MigrationInterface {
  name = 'CompoundWords1764945000000';

  async up(db: QueryRunner): Promise<void> {
    await setSearchText(db, `SELECT t || ${DOTTED_PARTS} || ${JOINED_HYPHENATED} || ${CAMEL_CASE_PARTS}`);
  }

  async down(db: QueryRunner): Promise<void> {
    await setSearchText(db, `SELECT t || ${DOTTED_PARTS}`);
  }
}

async function setSearchText(db: QueryRunner, body: string): Promise<void> {
  await db.query(`
    CREATE OR REPLACE FUNCTION knowledge_search_text(t text) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$ ${body} $fn$`);
  await db.query(`
    UPDATE knowledge_chunks c
       SET search = knowledge_chunk_vector(d.language::regconfig, d.title, c.heading, c.content)
      FROM knowledge_documents d WHERE d.id = c.document_id`);
  await db.query(
    `UPDATE knowledge_chunks SET length = (SELECT coalesce(sum(array_length(positions, 1)), 0) FROM unnest(search))`,
  );
  await db.query(`
    UPDATE knowledge_site_stats s
       SET total_length = coalesce((SELECT sum(length) FROM knowledge_chunks c WHERE c.site_id = s.site_id), 0),
           version = s.version + 1`);
  await db.query(`DELETE FROM knowledge_term_stats`);
  await db.query(`
    INSERT INTO knowledge_term_stats (site_id, lexeme, df)
    SELECT c.site_id, u.lexeme, count(*) FROM knowledge_chunks c, unnest(c.search) u GROUP BY c.site_id, u.lexeme`);
}
