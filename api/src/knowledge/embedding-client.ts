import type { AppConfig } from '../config/app-config';

export type EmbeddingSettings = NonNullable<AppConfig['embeddings']>;

/** Texts per request: providers accept far more, but a failed batch should cost little. */
export const EMBEDDING_BATCH = 64;
/** Longer passages are cut: our chunks are ~900 characters, a heading adds little. */
const MAX_INPUT_CHARS = 4000;

export class EmbeddingError extends Error {
  override name = 'EmbeddingError';
}

/** An OpenAI-compatible `/embeddings` endpoint: one vector per text, in order. */
export class EmbeddingClient {
  constructor(private readonly settings: EmbeddingSettings) {}

  get model(): string {
    return this.settings.model;
  }

  async embed(texts: string[], timeoutMs: number): Promise<number[][]> {
    if (texts.length === 0) return [];
    const response = await fetch(`${this.settings.baseUrl}/embeddings`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(this.settings.apiKey ? { authorization: `Bearer ${this.settings.apiKey}` } : {}),
      },
      body: JSON.stringify({
        model: this.settings.model,
        input: texts.map((text) => text.slice(0, MAX_INPUT_CHARS)),
      }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) throw new EmbeddingError(`embedding provider answered ${response.status}`);
    return vectorsOf(await response.json(), texts.length);
  }
}

/** Checks the provider's answer: `data[i].embedding` numbers, one per text, all of one length. */
export function vectorsOf(body: unknown, expected: number): number[][] {
  const data = (body as { data?: unknown } | null)?.data;
  if (!Array.isArray(data) || data.length !== expected) {
    throw new EmbeddingError('embedding provider returned the wrong number of vectors');
  }
  const vectors: number[][] = new Array<number[]>(expected);
  for (const [position, item] of data.entries()) {
    const { embedding, index } = item as { embedding?: unknown; index?: unknown };
    const slot = typeof index === 'number' ? index : position;
    if (
      !Array.isArray(embedding) ||
      embedding.length === 0 ||
      !embedding.every((value) => typeof value === 'number' && Number.isFinite(value)) ||
      slot < 0 ||
      slot >= expected
    ) {
      throw new EmbeddingError('embedding provider returned a malformed vector');
    }
    vectors[slot] = embedding as number[];
  }
  const dimensions = vectors[0]?.length;
  if (vectors.some((vector) => vector === undefined || vector.length !== dimensions)) {
    throw new EmbeddingError('embedding provider returned vectors of different lengths');
  }
  return vectors;
}

/** pgvector's text form, `[0.1,0.2,…]`: sent as a parameter and cast, never spliced into SQL. */
export function toVectorLiteral(vector: number[]): string {
  return `[${vector.join(',')}]`;
}
