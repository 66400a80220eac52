import { Logger } from '@nestjs/common';

import type { AppConfig } from '../config/app-config';
import { asksForContact } from '../conversations/contact-request';
import type { KnowledgeSearch } from '../knowledge/retrieval/knowledge-search.service';
import { buildPrompt, citedPassages } from './model-prompt';
import { Responder, type ResponderChunk, type ResponderInput } from './responder';
import { citationsOf, type RetrievalResponder } from './retrieval-responder';
import type { TokenBudgetRepository } from './token-budget.repository';

const PASSAGES_SENT = 5;

type ModelSettings = NonNullable<AppConfig['llm']>;

/**
 * Answers with an OpenAI-compatible chat model, streaming its words as they come. The model sees
 * the site's persona, the best passages and the conversation's texts (emails masked), and cites
 * the passages it used. Over the monthly token budget, on a provider error or a timeout before the
 * first word, the retrieval responder answers instead.
 */
export class OpenAiResponder extends Responder {
  private readonly logger = new Logger('Assistant');

  constructor(
    private readonly model: ModelSettings,
    private readonly knowledge: KnowledgeSearch,
    private readonly budget: TokenBudgetRepository,
    private readonly fallback: RetrievalResponder,
  ) {
    super();
  }

  async *respond(input: ResponderInput): AsyncIterable<ResponderChunk> {
    if (
      asksForContact(input.message.body) ||
      (await this.budget.spentThisMonth(input.site.id)) >= this.model.monthlyTokenBudget
    ) {
      yield* this.fallback.respond(input);
      return;
    }
    const passages = await this.knowledge.search(input.site.id, input.message.body, PASSAGES_SENT);
    const language = input.site.widget.locale === 'fi' ? 'fi' : 'en';
    const messages = buildPrompt(
      { assistantName: input.site.widget.assistantName, language },
      passages,
      input.history,
    );
    const abort = AbortSignal.timeout(this.model.timeoutMs);
    let answer = '';
    let tokens = 0;
    try {
      for await (const event of this.stream(messages, abort)) {
        if (event.usage) tokens = event.usage;
        if (event.delta) {
          answer += event.delta;
          yield { type: 'delta', text: event.delta };
        }
      }
    } catch (error) {
      this.logger.warn(
        `model unavailable (${error instanceof Error ? error.name : 'error'}): retrieval answers`,
      );
      if (answer === '') {
        yield* this.fallback.respond(input);
        return;
      }
      // Words already reached the visitor: end the answer there, unsupported.
      yield { type: 'done', citations: [], confidence: 0, fromKnowledge: false };
      return;
    }
    await this.budget.spend(input.site.id, tokens || estimateTokens(messages, answer));
    const cited = citedPassages(answer, passages);
    yield {
      type: 'done',
      citations: citationsOf(cited),
      confidence: cited.length > 0 ? Math.max(...cited.map((passage) => passage.score)) : 0,
      fromKnowledge: cited.length > 0,
    };
  }

  /** The chat-completions stream as deltas, then the usage the provider reports. */
  private async *stream(
    messages: ReturnType<typeof buildPrompt>,
    signal: AbortSignal,
  ): AsyncGenerator<{ delta?: string; usage?: number }> {
    const response = await fetch(`${this.model.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(this.model.apiKey ? { authorization: `Bearer ${this.model.apiKey}` } : {}),
      },
      body: JSON.stringify({
        model: this.model.model,
        messages,
        stream: true,
        stream_options: { include_usage: true },
        temperature: 0.2,
      }),
      signal,
    });
    if (!response.ok || !response.body) throw new Error(`provider answered HTTP ${response.status}`);
    const decoder = new TextDecoder();
    let buffered = '';
    for await (const bytes of response.body) {
      buffered += decoder.decode(bytes as Uint8Array, { stream: true });
      let newline: number;
      while ((newline = buffered.indexOf('\n')) !== -1) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (!line.startsWith('data:')) continue;
        const data = line.slice(5).trim();
        if (data === '[DONE]') return;
        const event = JSON.parse(data) as {
          choices?: { delta?: { content?: string | null } }[];
          usage?: { total_tokens?: number } | null;
        };
        const delta = event.choices?.[0]?.delta?.content;
        yield {
          ...(delta ? { delta } : {}),
          ...(event.usage?.total_tokens ? { usage: event.usage.total_tokens } : {}),
        };
      }
    }
  }
}

/** About four characters a token, when the provider does not say. */
function estimateTokens(messages: { content: string }[], answer: string): number {
  const characters = messages.reduce((sum, message) => sum + message.content.length, 0) + answer.length;
  return Math.ceil(characters / 4);
}
