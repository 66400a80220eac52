// Types of evaluation.cjs, for the integration test that shares it with the bench.

export interface CorpusDocument {
  file: string;
  package: string;
  version: string;
  license: string;
  licenseFile: string;
  text: string;
}

export interface Question {
  id: string;
  half: 'tune' | 'heldout';
  question: string;
  /** The answering document's file name; `null` for a question the corpus cannot answer. */
  document: string | null;
  heading: string | null;
  /** A short verbatim phrase of the document that an answer must contain. */
  answer: string | null;
  absentTerms?: string[];
  answerable: boolean;
  /** Shares no content word with the heading of the answering section. */
  paraphrase: boolean;
}

export interface Outcome {
  id: string;
  half: 'tune' | 'heldout';
  answerable: boolean;
  paraphrase: boolean;
  question: string;
  expected: string | null;
  top1: boolean;
  ambiguous: boolean;
  top3: boolean;
  phrase: boolean;
  declined: boolean;
  latencyMs: number;
  got: string[];
  top3Documents: string[];
  citations?: string[];
}

export interface Figures {
  answerable: number;
  unanswerable: number;
  top1: number | null;
  top3: number | null;
  phrase: number | null;
  declined: number | null;
  falseDeclines: number | null;
  latencyP50: number | null;
  latencyP95: number | null;
}

export interface Summary {
  tune: Figures;
  heldout: Figures;
  overall: Figures;
}

export interface Passage {
  document: string;
  heading: string;
  text: string;
}

export type Request = (
  method: string,
  path: string,
  options?: { headers?: Record<string, string>; body?: unknown; form?: FormData },
) => Promise<unknown>;

export interface Uploaded {
  fileBySource: Map<string, string>;
  filesByTitle: Map<string, string[]>;
}

export interface WidgetSite {
  id: string;
  publicKey: string;
  allowedOrigins: string[];
}

export declare class Bm25 {
  constructor(passages: Passage[], options?: { k1?: number; b?: number });
  search(query: string, limit?: number): { passage: Passage; score: number }[];
}

export declare const CORPUS_DIR: string;
export declare const QUESTIONS_FILE: string;
export declare const ORIGIN: string;
export declare function tokenize(text: string): string[];
export declare function isParaphrase(question: string, heading: string): boolean;
export declare function containsPhrase(reply: string, phrase: string): boolean;
export declare function loadCorpus(dir?: string): CorpusDocument[];
export declare function loadQuestions(corpus?: CorpusDocument[], file?: string): Question[];
export declare function splitPassages(file: string, text: string): Passage[];
export declare function buildBaseline(corpus: CorpusDocument[]): Bm25;
export declare function runBaseline(baseline: Bm25, questions: Question[]): Outcome[];
export declare function client(base: string): Request;
export declare function uploadCorpus(
  request: Request,
  owner: { auth: Record<string, string>; siteId: string },
  corpus: CorpusDocument[],
): Promise<Uploaded>;
export declare function citedFiles(
  citation: { title: string },
  filesByTitle: Map<string, string[]>,
): string[];
export declare function runProduct(
  request: Request,
  owner: { auth: Record<string, string>; site: WidgetSite },
  uploaded: Uploaded,
  questions: Question[],
  options?: { onProgress?: (done: number, total: number) => void },
): Promise<Outcome[]>;
export declare function figures(results: Outcome[]): Figures;
export declare function summarise(results: Outcome[]): Summary;
export declare function table(
  rows: { name: string; summary: Summary }[],
  halves?: ('tune' | 'heldout' | 'overall')[],
): string;
