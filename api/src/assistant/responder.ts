import type { Citation, Message, Phase, WidgetSettings } from '@cloop/contracts';

export interface ResponderInput {
  site: { id: string; widget: WidgetSettings; leadCapture: boolean };
  conversation: { phase: Phase; locale: string | null; hasEmail: boolean };
  /** Earlier messages, oldest first, ending with the new one. */
  history: Message[];
  message: Message;
}

export type ResponderChunk =
  | { type: 'delta'; text: string }
  | {
      type: 'done';
      citations: Citation[];
      /** 0–1: how well the answer is supported by the site's content; `null` when not a question. */
      confidence: number | null;
      /** The answer came from the site's content (moves the conversation to `learning`). */
      fromKnowledge: boolean;
    };

/**
 * Produces the assistant's answer to a visitor message, as a stream (DESIGN §7). Implementations
 * never receive the visitor's email or ids: only the site's settings and the message texts.
 */
export abstract class Responder {
  abstract respond(input: ResponderInput): AsyncIterable<ResponderChunk>;
}
