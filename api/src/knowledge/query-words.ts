/** Words of a question, for an any-word full-text query: letters and digits only, so always safe. */
export function queryWords(text: string, max = 32): string[] {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]{2,}/gu) ?? [];
  return [...new Set(words)].slice(0, max);
}
