import type { Message, Passage } from '@cloop/contracts';

import { withoutEmails } from '../common/without-emails';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/**
 * What the model receives: the site's persona and rules, the numbered passages, and the
 * conversation's texts. Never the visitor's email, visitor id or any other identifier.
 */
export function buildPrompt(
  persona: { assistantName: string; language: 'en' | 'fi' },
  passages: Passage[],
  history: Message[],
): ChatMessage[] {
  const sources = passages
    .map(
      (passage, index) =>
        `[${index + 1}] ${passage.title}${passage.heading ? ` — ${passage.heading}` : ''}\n${passage.content}`,
    )
    .join('\n\n');
  const system = [
    `You are ${persona.assistantName}, the assistant on this website. Answer in ${persona.language === 'fi' ? 'Finnish' : "the visitor's language"}.`,
    'Answer only from the numbered passages below. Cite the passages you use as [1], [2].',
    'If the passages do not contain the answer, say plainly that you do not know and suggest leaving an email address or asking for a person. Never guess.',
    'Be brief and friendly. Plain text only.',
    '',
    sources || '(no passages found)',
  ].join('\n');
  return [
    { role: 'system', content: system },
    ...history
      .filter((message) => message.body.trim() !== '')
      .map(
        (message): ChatMessage => ({
          role: message.author === 'visitor' ? 'user' : 'assistant',
          content: withoutEmails(message.body),
        }),
      ),
  ];
}

/** The passages an answer cites as [n], in order of first citation. */
export function citedPassages(answer: string, passages: Passage[]): Passage[] {
  const cited: Passage[] = [];
  for (const match of answer.matchAll(/\[(\d{1,2})\]/g)) {
    const passage = passages[Number(match[1]) - 1];
    if (passage && !cited.includes(passage)) cited.push(passage);
  }
  return cited;
}
