/**
 * Whether a visitor's message asks for a person or to be contacted, in English or Finnish.
 * Deliberately a small set of clear phrasings: a false positive only offers the email form.
 */
const CONTACT_REQUEST = new RegExp(
  [
    // English
    String.raw`\b(talk|speak|chat)\s+(to|with)\s+(a\s+|an\s+|some\s*one|somebody|your\s+)?(human|person|agent|someone|somebody|representative|sales|support|team)`,
    String.raw`\b(real|live)\s+(person|human|agent)`,
    String.raw`\b(contact|call|email|e-mail)\s+me\b`,
    String.raw`\bget\s+in\s+touch\b`,
    String.raw`\breach\s+out\s+to\s+me\b`,
    String.raw`\b(human|customer)\s+(support|service)\b`,
    // Finnish
    String.raw`\b(ihmi(nen|sen|selle|stä)|asiakaspalvel\w*|myyj\w*)`,
    String.raw`\b(ota|ottakaa|otatteko|ottaisitte)\s+(minuun\s+)?yhteyt\w*`,
    String.raw`\byhteydenot\w*`,
    String.raw`\b(soita|soittakaa|soitatteko)\b`,
    String.raw`\b(puhua|jutella)\s+\w*\s*(ihmisen|henkilön|jonkun)`,
  ].join('|'),
  'iu',
);

export function asksForContact(text: string): boolean {
  return CONTACT_REQUEST.test(text);
}
