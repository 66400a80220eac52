/**
 * The SQL of Okapi BM25 over a site's chunks, in pieces the search and the sentence scorer share.
 *
 * A question's words become groups: one per word PostgreSQL's parser keeps (a dotted name whole,
 * and each of its parts), each group holding the word's English and Finnish lexemes. A word either
 * language calls a stop word is left out, and so are the filler words of questions below. A group
 * weighs its inverse document frequency in the site (a word the site never uses weighs the most:
 * a passage cannot cover it).
 */

/** BM25's term-frequency saturation and length normalisation (the usual values). */
export const BM25_K1 = 1.2;
export const BM25_B = 0.75;
/** A heading word counts this many times a body word (a simple BM25F). */
const HEADING_WEIGHT = 2;
/**
 * A word of the document's title adds this share of its weight on top of the passage's own match:
 * a question that names the product ("… with fastify") belongs to that product's page, however
 * often other pages mention it. The title is a field of its own: it would saturate with the body.
 */
export const TITLE_WEIGHT = 2;

/** Words of requests rather than of content: they say nothing about which passage answers. */
export const QUESTION_FILLER = [
  'please',
  'thanks',
  'thank',
  'hi',
  'hello',
  'hey',
  'possible',
  'anyone',
  'somebody',
  'someone',
  'tell',
  'know',
  'want',
  'wondering',
  'way',
  // How a question asks, not what about: "how many", "how much", "do I need to", "is it still".
  'many',
  'much',
  'need',
  'needs',
  'still',
  'ever',
  'really',
  'actually',
  'exactly',
  'kiitos',
  'hei',
  'moi',
  'terve',
  'haluan',
  'voisitko',
  'kertoa',
];

/**
 * `stats` (n, avgdl), `groups` (g, word, compound, lexemes) and `group_weights` (g, df, idf, word)
 * for site `$1` and question `$2`, with `$3` the filler words; `word` is false for a number.
 * A compound the site never uses whole ("Model.collection", "mongoose-connect", an address) has
 * no weight of its own: its parts, asked as words of their own, say whether the site knows it.
 */
export const QUESTION_TERMS = `
  stats AS (
    SELECT greatest(chunk_count, 1)::float8 AS n,
           greatest(total_length::float8 / greatest(chunk_count, 1), 1) AS avgdl
      FROM knowledge_site_stats WHERE site_id = $1),
  tokens AS (
    SELECT DISTINCT lower(d.token) AS token, d.lexemes AS english
      FROM ts_debug('english', knowledge_search_text($2)) d
     WHERE cardinality(d.lexemes) > 0 AND lower(d.token) <> ALL ($3::text[])),
  groups AS (
    SELECT row_number() OVER (ORDER BY token) AS g, token ~ '[[:alpha:]]' AS word,
           token ~ '[[:alnum:]][._/@:-]+[[:alnum:]]' AS compound,
           ARRAY(SELECT DISTINCT x FROM unnest(english || tsvector_to_array(to_tsvector('finnish', token))) x) AS lexemes
      FROM tokens WHERE to_tsvector('finnish', token) <> ''::tsvector),
  terms AS (
    SELECT g.g, l.lexeme, coalesce(t.df, 0) AS df, g.word, g.compound
      FROM groups g CROSS JOIN LATERAL unnest(g.lexemes) AS l (lexeme)
      LEFT JOIN knowledge_term_stats t ON t.site_id = $1 AND t.lexeme = l.lexeme),
  group_weights AS (
    SELECT terms.g, max(terms.df) AS df,
           ln(1 + (s.n - max(terms.df) + 0.5) / (max(terms.df) + 0.5)) AS idf,
           bool_or(terms.word) AS word
      FROM terms, stats s GROUP BY terms.g, s.n
    HAVING NOT (bool_or(terms.compound) AND max(terms.df) = 0))`;

/** A lexeme's occurrences in headings (weighted) and text, from a `unnest(tsvector)` row `u`. */
export const WEIGHTED_TF = `(SELECT sum(CASE w WHEN 'A' THEN 0 WHEN 'B' THEN ${HEADING_WEIGHT} ELSE 1 END)
                               FROM unnest(u.weights) AS w)`;
/** Whether the lexeme of `unnest(tsvector)` row `u` is in the title (weight A). */
export const IN_TITLE = `('A' = ANY (u.weights))`;

/** A group's BM25 term score without its idf, for a `matches` row `m` (tf, length) and `stats` `s`. */
export const BM25_TERM = `(m.tf * ${BM25_K1 + 1} / (m.tf + ${BM25_K1} * (1 - ${BM25_B} + ${BM25_B} * m.length / s.avgdl)))`;

/**
 * The question's lexemes (`q.lexemes`) in chunk `c`'s search vector, one row each (lexeme,
 * positions, weights): the vector less everything but them, unnested. Two `ts_delete` calls in C
 * cost far less than unnesting all of a chunk's words and filtering them row by row.
 */
export const QUESTION_LEXEMES_IN_CHUNK = `unnest(ts_delete(c.search, tsvector_to_array(ts_delete(c.search, q.lexemes))))`;
