/** The text-search configurations a document can be indexed with (PostgreSQL `regconfig` names). */
export type SearchLanguage = 'english' | 'finnish';

// The commonest short words of each language: enough to tell a page's language from its text.
const ENGLISH = new Set(
  'the and is are to of you your we for with can it this that or in be not if by from as an at'.split(' '),
);
const FINNISH = new Set(
  'ja on ei että se ovat tai kun myös voit sinun meidän olla mutta jos kuin tämä ne niin voi vain ovat saat'.split(
    ' ',
  ),
);

/**
 * English or Finnish, by counting each language's commonest words. A document is stemmed in one
 * language only: stemming English text as Finnish too doubled every word's count and matched
 * nonsense stems.
 */
export function detectLanguage(text: string): SearchLanguage {
  let english = 0;
  let finnish = 0;
  for (const word of text
    .slice(0, 20_000)
    .toLowerCase()
    .match(/\p{L}+/gu) ?? []) {
    if (ENGLISH.has(word)) english += 1;
    if (FINNISH.has(word)) finnish += 1;
  }
  return finnish > english ? 'finnish' : 'english';
}
