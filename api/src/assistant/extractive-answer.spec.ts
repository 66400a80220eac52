import { bestQuote, type MatchedUnit, quoteText, sameStatement, unitsOf } from './extractive-answer';

describe('extractive answers', () => {
  it('splits a chunk into sentences, lines and whole code blocks', () => {
    const units = unitsOf(
      'First one. Second one, e.g. this. Third!\nA list item\n```\nconst a = 1. b;\nrun()\n```\nLast.',
    );
    expect(units).toEqual([
      { text: 'First one.', code: false, line: 0 },
      { text: 'Second one, e.g. this.', code: false, line: 0 },
      { text: 'Third!', code: false, line: 0 },
      { text: 'A list item', code: false, line: 1 },
      { text: 'const a = 1. b;\nrun()', code: true },
      { text: 'Last.', code: false, line: 4 },
    ]);
  });

  it('quotes the sentences of a paragraph on one line, and list items each on their own', () => {
    expect(quoteText(unitsOf('One. Two.\nItem a\nItem b'))).toBe('One. Two.\nItem a\nItem b');
  });

  it('tells the same statement apart from a different one', () => {
    expect(sameStatement('Orders ship in 2 days.', 'orders ship in 2 days')).toBe(true);
    expect(sameStatement('Orders ship in 2 days.', 'Returns take 30 days.')).toBe(false);
  });

  const unit = (text: string, covered: number[], code = false): MatchedUnit => ({ text, code, covered });
  const weights = { '1': 3, '2': 1 };

  it('quotes the run of sentences that holds the most of the question, with its neighbours', () => {
    const units = [
      unit('Intro.', []),
      unit('Shipping costs money.', [2]),
      unit('Shipping to Finland takes 2 days.', [1, 2]),
      unit('Unrelated.', []),
      unit('Far away.', []),
    ];
    const quote = bestQuote(units, weights, { said: [], maxUnits: 3 });
    expect(quote?.units.map((u) => u.text)).toEqual([
      'Shipping costs money.',
      'Shipping to Finland takes 2 days.',
      'Unrelated.',
    ]);
  });

  it('never quotes a statement already said, and brings the code a sentence introduces', () => {
    const units = [
      unit('Install it with:', [1]),
      unit('npm install thing', [], true),
      unit('Then run it.', []),
    ];
    expect(bestQuote(units, weights, { said: ['install it with'], maxUnits: 3 })).toBeNull();
    const quote = bestQuote(units, weights, { said: [], maxUnits: 1 });
    expect(quote && quoteText(quote.units)).toBe('Install it with:\nnpm install thing');
  });

  it('counts the code a run brings along, so the sentence before the answer is not dropped for it', () => {
    // "By default, pending commands fail after 20 retries. That keeps them from waiting forever.
    // Change it with:" + code: the run that ends at the colon quotes the code too.
    const units = [
      unit('Pending commands fail after 20 retries.', [2]),
      unit('That keeps commands from waiting forever.', [2]),
      unit('Change it with:', []),
      unit('new Redis({ maxRetries: 1 })', [1], true),
    ];
    const quote = bestQuote(units, weights, { said: [], maxUnits: 3 });
    expect(quote?.units.map((u) => u.text)).toEqual([
      'Pending commands fail after 20 retries.',
      'That keeps commands from waiting forever.',
      'Change it with:',
      'new Redis({ maxRetries: 1 })',
    ]);
  });

  it('never ends a quote on a sentence that announces the prose after it', () => {
    // "… Use of external SQL files offers many advantages:" + list items: the list is the answer.
    const units = [
      unit('Queries can be written inline.', [2]),
      unit('Query methods accept a file.', [2]),
      unit('External SQL files offer many advantages:', [1]),
      unit('Cleaner code, with all SQL kept in external files;', []),
      unit('Easier formatting;', []),
    ];
    const quote = bestQuote(units, weights, { said: [], maxUnits: 3 });
    expect(quote?.units.map((u) => u.text)).toEqual([
      'Query methods accept a file.',
      'External SQL files offer many advantages:',
      'Cleaner code, with all SQL kept in external files;',
    ]);
  });

  it('counts the words of the section heading for each of its sentences', () => {
    const units = [unit('Node.js 18 or higher is required.', [2])];
    const alone = bestQuote(units, weights, { said: [], maxUnits: 3 });
    const inSection = bestQuote(units, weights, { said: [], maxUnits: 3, context: [1] });
    expect(inSection?.score ?? 0).toBeGreaterThan(alone?.score ?? 0);
  });
  it('adds a second run further on when it holds clearly more of the question, marking the gap', () => {
    // "Detect whether the terminal supports color. Used internally. Can be overridden with --color.
    // For CI use FORCE_COLOR=1 to force color.": the answer is the fourth sentence.
    const units = [
      unit('Detect whether the terminal supports color.', [3]),
      unit('Used internally.', []),
      unit('Can be overridden with flags.', []),
      unit('Use FORCE_COLOR=1 to force color.', [1, 2]),
      unit('Unrelated.', []),
    ];
    const quote = bestQuote(units, { '1': 3, '2': 1, '3': 1 }, { said: [], maxUnits: 3 });
    expect(quote && quoteText(quote.units)).toBe(
      'Detect whether the terminal supports color. Used internally. … Use FORCE_COLOR=1 to force color.',
    );
  });

  it('keeps a run whole when a second one would add nothing new', () => {
    const units = [
      unit('maxLength is the largest frame size.', [1]),
      unit('It defaults to 64 MiB.', []),
      unit('Another option.', []),
      unit('The frame option.', [1]),
    ];
    const quote = bestQuote(units, weights, { said: [], maxUnits: 3 });
    expect(quote?.units.map((u) => u.text)).toEqual([
      'maxLength is the largest frame size.',
      'It defaults to 64 MiB.',
      'Another option.',
    ]);
  });
});
