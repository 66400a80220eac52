import { chunkBlocks } from './chunker';
import { htmlDocument } from './html';
import { markdownDocument } from './markdown';

describe('chunking', () => {
  it('keeps sections apart and names each chunk by its heading path', () => {
    const { blocks } = markdownDocument(
      'x',
      '# Shipping\nWe ship daily.\n## Finland\nTwo days.\n## Sweden\nFour days.\n# Returns\nThirty days.',
    );
    expect(chunkBlocks(blocks)).toEqual([
      { heading: 'Shipping', content: 'We ship daily.' },
      { heading: 'Shipping › Finland', content: 'Two days.' },
      { heading: 'Shipping › Sweden', content: 'Four days.' },
      { heading: 'Returns', content: 'Thirty days.' },
    ]);
  });

  it('cuts a long section at sentence ends, repeating the end of one chunk at the start of the next', () => {
    const sentences = Array.from({ length: 40 }, (_, i) => `Sentence number ${i} says something useful.`);
    const chunks = chunkBlocks([{ kind: 'text', text: sentences.join(' ') }], { size: 200, overlap: 60 });
    expect(chunks.length).toBeGreaterThan(5);
    for (const chunk of chunks) expect(chunk.content.length).toBeLessThanOrEqual(200 + 60);
    for (const [index, chunk] of chunks.slice(1).entries()) {
      const previous = chunks[index]?.content ?? '';
      // The overlap: the next chunk starts with words the previous one ended with.
      expect(previous).toContain(chunk.content.slice(0, 20));
    }
    const text = chunks.map((chunk) => chunk.content).join(' ');
    for (const sentence of sentences) expect(text).toContain(sentence);
  });

  it('cuts text without sentence ends at word ends', () => {
    const words = Array.from({ length: 300 }, (_, i) => `word${i}`).join(' ');
    const chunks = chunkBlocks([{ kind: 'text', text: words }], { size: 100, overlap: 0 });
    expect(chunks.every((chunk) => chunk.content.length <= 100)).toBe(true);
    expect(chunks.map((chunk) => chunk.content).join(' ')).toBe(words);
  });
});

describe('HTML extraction', () => {
  it('reads the main content as headings and paragraphs, without navigation, scripts or footers', () => {
    const page = htmlDocument(
      `<html><head><title>Care</title><script>track()</script></head><body>
        <nav><a href="/a">Menu</a></nav><header>Logo</header>
        <main><h1>Care</h1><p>Hand wash <b>gold</b> rims.</p><ul><li><p>Dishwasher: yes</p></li></ul></main>
        <footer>© Shop</footer></body></html>`,
      'fallback',
    );
    expect(page.title).toBe('Care');
    expect(page.blocks).toEqual([
      { kind: 'heading', level: 1, text: 'Care' },
      { kind: 'text', text: 'Hand wash gold rims.' },
      { kind: 'text', text: 'Dishwasher: yes' },
    ]);
    expect(page.links).toEqual(['/a']);
    expect(page.noindex).toBe(false);
  });

  it('notices robots meta tags', () => {
    const page = htmlDocument('<meta name="robots" content="noindex, nofollow"><p>Draft</p>', 'Draft');
    expect(page).toMatchObject({ noindex: true, nofollow: true, title: 'Draft' });
  });
  it('moves a paragraph that introduces code on with its code when the code starts a new chunk', () => {
    const long = 'Some words here. '.repeat(10).trim();
    const chunks = chunkBlocks(
      [
        { kind: 'heading', level: 2, text: 'Axios' },
        { kind: 'text', text: long },
        { kind: 'text', text: 'Configure the adapter as below:' },
        { kind: 'code', text: 'x'.repeat(150) },
      ],
      { size: 200, overlap: 0 },
    );
    expect(chunks.map((chunk) => chunk.content)).toEqual([
      long,
      `Configure the adapter as below:\n\`\`\`\n${'x'.repeat(150)}\n\`\`\``,
    ]);
  });
});
