import type { Passage } from '@cloop/contracts';

/** A passage's text in the units an answer quotes: sentences, list items, table rows, code blocks. */
export interface Unit {
  text: string;
  code: boolean;
  /** Which line of the passage (a paragraph, list item or table row) a sentence is from. */
  line?: number;
}

/** Abbreviations whose dot ends no sentence. */
const ABBREVIATION = /\b(?:e\.g|i\.e|etc|vs|cf|approx|incl|esim|ns|mm|yms)\.$/i;

/** Splits a chunk (paragraphs on lines of their own, code between ``` fences) into units. */
export function unitsOf(content: string): Unit[] {
  const units: Unit[] = [];
  let lines = 0;
  const parts = content.split(/^```\n([\s\S]*?)\n```$/m);
  parts.forEach((part, index) => {
    if (index % 2 === 1) {
      if (part.trim()) units.push({ text: part, code: true });
      return;
    }
    for (const line of part.split('\n')) {
      const index = lines++;
      for (const sentence of sentencesOf(line)) units.push({ text: sentence, code: false, line: index });
    }
  });
  return units;
}

function sentencesOf(line: string): string[] {
  const sentences: string[] = [];
  let current = '';
  for (const piece of line.trim().split(/(?<=[.!?])\s+(?=[\p{Lu}\p{N}"'`([])/u)) {
    current = current ? `${current} ${piece}` : piece;
    if (!ABBREVIATION.test(current)) {
      sentences.push(current);
      current = '';
    }
  }
  if (current) sentences.push(current);
  return sentences.filter((sentence) => /[\p{L}\p{N}]/u.test(sentence));
}

/** Identifies a statement whatever its case, spacing and punctuation. */
function statementKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function words(text: string): Set<string> {
  return new Set(statementKey(text).split(' ').filter(Boolean));
}

/** Two sentences say the same thing when nearly all their words are shared. */
export function sameStatement(a: string, b: string): boolean {
  const left = words(a);
  const right = words(b);
  if (left.size === 0 || right.size === 0) return false;
  let shared = 0;
  for (const word of left) if (right.has(word)) shared += 1;
  return shared / Math.min(left.size, right.size) >= 0.8 && shared / Math.max(left.size, right.size) >= 0.6;
}

/** A unit with the question's word groups it holds. */
export interface MatchedUnit extends Unit {
  covered: number[];
}

export interface Quote {
  units: Unit[];
  /** 0–1: the share of the question, by weight, the quoted units hold together. */
  score: number;
}

/** Of runs holding as much of the question, the longer wins: the sentences around the answer give it context. */
const UNIT_BONUS = 0.01;
/** Words matched only in code count for less: an answer is a sentence, code illustrates it. */
const CODE_MATCH_WEIGHT = 0.5;
/**
 * What a second, separate run must add (share of the question) to be quoted beside the first:
 * one sentence that names the thing and another, further on, that answers ("Detect whether the
 * terminal supports color. … use FORCE_COLOR=1 to forcefully enable color").
 */
const SECOND_RUN_GAIN = 0.05;
/** Marks the sentences left out between two quoted runs. */
export const ELLIPSIS: Unit = { text: '…', code: false };

interface Run {
  start: number;
  end: number;
  prose: Set<number>;
  code: Set<number>;
}

/**
 * The best sentences of a passage, at most `maxUnits` of them, in the passage's order: the run of
 * consecutive units that holds the most of the question together (a sentence that names the thing
 * and the next one that answers), with the words of its section's heading (`context`), and, when it
 * adds clearly more of the question, a second run further on or before it. Units already quoted
 * are skipped. A sentence that introduces code ("Install it with:") brings its code along. A run
 * starts at a sentence that holds some of the question — at code only when no sentence does.
 */
export function bestQuote(
  units: MatchedUnit[],
  weights: Record<string, number>,
  { said, maxUnits, context = [] }: { said: string[]; maxUnits: number; context?: number[] },
): Quote | null {
  const total = Object.values(weights).reduce((sum, weight) => sum + weight, 0);
  if (total <= 0) return null;
  const usable = units.map((unit) => !said.some((text) => sameStatement(text, unit.text)));
  const covered = (unit: MatchedUnit | undefined, index: number) =>
    !!unit && usable[index] === true && unit.covered.length > 0;
  // Unless nothing holds any of the question (then the heading alone matched, and the section's
  // opening is the quote).
  const anyCovered = units.some((unit, index) => covered(unit, index));
  const proseCovered = units.some((unit, index) => !unit.code && covered(unit, index));
  const runs: Run[] = [];
  for (let start = 0; start < units.length; start += 1) {
    const first = units[start];
    if (anyCovered && (!covered(first, start) || (first?.code && proseCovered))) continue;
    const prose = new Set<number>();
    const code = new Set<number>();
    for (let end = start; end < Math.min(units.length, start + maxUnits); end += 1) {
      const unit = units[end];
      if (!unit || !usable[end]) break;
      for (const group of unit.covered) (unit.code ? code : prose).add(group);
      // The code a run's last sentence introduces is quoted with it, so it counts for the run.
      for (const group of introducedCode(units, end)?.covered ?? []) code.add(group);
      // A run never ends on a sentence that introduces the prose after it ("… offers many
      // advantages:"): what it announces is the answer, so the run goes on into it or is not quoted.
      if (introducesProse(units, end)) continue;
      runs.push({ start, end, prose: new Set(prose), code: new Set(code) });
    }
  }
  const scoreOf = (chosen: Run[]) => {
    // The section's heading speaks for each of its sentences ("Installation" → "…18 or higher").
    const prose = new Set<number>(context);
    const code = new Set<number>();
    for (const run of chosen) {
      for (const group of run.prose) prose.add(group);
      for (const group of run.code) code.add(group);
    }
    let held = 0;
    for (const group of new Set([...prose, ...code]))
      held += (weights[String(group)] ?? 0) * (prose.has(group) ? 1 : CODE_MATCH_WEIGHT);
    const length = chosen.reduce((sum, run) => sum + run.end - run.start + 1, 0);
    return { held, score: held / total + UNIT_BONUS * (length - 1) };
  };
  let best: { runs: Run[]; score: number } | null = null;
  for (const run of runs) {
    const { held, score } = scoreOf([run]);
    if (held > 0 && (!best || score > best.score + 1e-9)) best = { runs: [run], score };
  }
  if (!best) return null;
  const single = best;
  for (const first of runs) {
    for (const second of runs) {
      // Apart (a gap between them) and together no more than `maxUnits`.
      if (second.start <= first.end + 1) continue;
      if (first.end - first.start + second.end - second.start + 2 > maxUnits) continue;
      // The sentence after a match is where an answer usually is: the first run keeps it.
      if (first.end === first.start) continue;
      const { score } = scoreOf([first, second]);
      if (score > single.score + SECOND_RUN_GAIN && score > best.score + 1e-9)
        best = { runs: [first, second], score };
    }
  }
  const picked: Unit[] = [];
  for (const run of best.runs) {
    if (picked.length > 0) picked.push(ELLIPSIS);
    picked.push(...units.slice(run.start, run.end + 1));
    const introduced = introducedCode(units, run.end);
    if (introduced) picked.push(introduced);
  }
  return { units: picked, score: best.score };
}

/** The code block after unit `index` when that unit introduces it ("Install it with:"). */
function introducedCode(units: MatchedUnit[], index: number): MatchedUnit | null {
  const next = units[index + 1];
  const unit = units[index];
  return next?.code && !unit?.code && unit?.text.trimEnd().endsWith(':') ? next : null;
}

/** Whether unit `index` ends with a colon and prose follows it (a list, the next paragraph). */
function introducesProse(units: MatchedUnit[], index: number): boolean {
  const next = units[index + 1];
  return !!next && !next.code && !units[index]?.code && !!units[index]?.text.trimEnd().endsWith(':');
}

/** The quoted units as text: prose runs on, code sits on lines of its own. */
export function quoteText(units: Unit[]): string {
  let text = '';
  let previous: Unit | undefined;
  for (const unit of units) {
    if (unit.code) text += `${text ? '\n' : ''}${unit.text}\n`;
    else {
      // Sentences of one paragraph run on; list items and table rows keep their own lines.
      const newLine = previous?.line !== undefined && unit.line !== undefined && unit.line !== previous.line;
      text += `${text && !text.endsWith('\n') ? (newLine ? '\n' : ' ') : ''}${unit.text}`;
    }
    previous = unit;
  }
  return text.trim();
}

/** The document a passage belongs to, for "a second citation only from another document". */
export function documentKey(passage: Passage): string {
  return `${passage.sourceId} ${passage.url ?? passage.title}`;
}
