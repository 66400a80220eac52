import { markdownDocument } from './markdown';

describe('Markdown extraction', () => {
  it('keeps code fences as code: a # comment inside is not a heading', () => {
    const { blocks } = markdownDocument(
      'tool.md',
      '# Tool\n\nInstall it:\n\n```sh\n# as root\nnpm install -g tool\n```\n\n## Usage\n\nRun it.',
    );
    expect(blocks).toEqual([
      { kind: 'heading', level: 1, text: 'Tool' },
      { kind: 'text', text: 'Install it:' },
      { kind: 'code', text: '# as root\nnpm install -g tool' },
      { kind: 'heading', level: 2, text: 'Usage' },
      { kind: 'text', text: 'Run it.' },
    ]);
  });

  it('leaves out badges, images, raw HTML, link reference definitions and tables of contents', () => {
    const { blocks } = markdownDocument(
      'lib.md',
      [
        '[![npm](https://img.shields.io/npm/v/lib.svg)](https://npmjs.com/lib) ![logo](logo.png)',
        '<p align="center"><img src="banner.png"></p>',
        '<!-- a comment',
        'spanning lines -->',
        '## Table of Contents',
        '- [Install](#install)',
        '- [Usage](#usage)',
        '## Install',
        'Use [npm](https://npmjs.com) to install <b>lib</b>.',
        '[npm]: https://npmjs.com',
      ].join('\n'),
    );
    expect(blocks).toEqual([
      { kind: 'heading', level: 2, text: 'Table of Contents' },
      { kind: 'heading', level: 2, text: 'Install' },
      { kind: 'text', text: 'Use npm to install lib .' },
    ]);
  });

  it('reads underlined and HTML headings, list items and table rows', () => {
    const { blocks } = markdownDocument(
      'x.md',
      'Title\n=====\n\n<h2>Options</h2>\n\n- first item\n  continues\n- second\n\n| name | default |\n|---|---|\n| `timeout` | 30 |\n\nSection\n-------\nText.',
    );
    expect(blocks).toEqual([
      { kind: 'heading', level: 1, text: 'Title' },
      { kind: 'heading', level: 2, text: 'Options' },
      { kind: 'text', text: 'first item continues' },
      { kind: 'text', text: 'second' },
      { kind: 'text', text: 'name | default' },
      { kind: 'text', text: '`timeout` | 30' },
      { kind: 'heading', level: 2, text: 'Section' },
      { kind: 'text', text: 'Text.' },
    ]);
  });

  it('titles a document by its first h1 when that names it', () => {
    expect(markdownDocument('readme.md', '# Acme Widgets\n\nText.').title).toBe('Acme Widgets');
    // Badges and emoji codes are not part of a title.
    expect(markdownDocument('x.md', '# :rocket: sqlite [![ci](b.svg)](ci)\n\nText.').title).toBe('sqlite');
  });

  it('titles a document by its file name when the first heading is generic or not a title', () => {
    expect(markdownDocument('express.md', '# Table of contents\n\n- [Install](#install)').title).toBe(
      'express',
    );
    expect(markdownDocument('fastify.md', '## Install\n\nText.').title).toBe('fastify');
    // An h1 after prose heads a section, not the document.
    const preamble = 'A long introduction to the library, what it does and why. '.repeat(5);
    expect(markdownDocument('bunyan.md', `${preamble}\n\n# Current Status\n\nText.`).title).toBe('bunyan');
    expect(markdownDocument('README.md', '# Installation\n\nText.').title).toBe('README — Installation');
  });
  it("reads a collapsible section's summary as the heading of what it folds, under the current heading", () => {
    const { blocks } = markdownDocument(
      'env.md',
      [
        '# env',
        '## FAQ',
        '<details><summary>Should I commit my `.env` file?</summary><br/>',
        '',
        'No.',
        '</details>',
        '<details><summary>What about <b>expansion</b>?</summary>',
        'Use a plugin.',
        '</details>',
      ].join('\n'),
    );
    expect(blocks).toEqual([
      { kind: 'heading', level: 1, text: 'env' },
      { kind: 'heading', level: 2, text: 'FAQ' },
      { kind: 'heading', level: 3, text: 'Should I commit my `.env` file?' },
      { kind: 'text', text: 'No.' },
      { kind: 'heading', level: 3, text: 'What about expansion ?' },
      { kind: 'text', text: 'Use a plugin.' },
    ]);
  });
  it('reads a bracketed label the document defines as a link reference as a link', () => {
    const { blocks } = markdownDocument(
      'db.md',
      '# db\n\nUse [Named Parameters] in [QueryFile] files, not [options].\n\n[named parameters]: #named\n[QueryFile]: https://example.com/qf',
    );
    expect(blocks).toEqual([
      { kind: 'heading', level: 1, text: 'db' },
      { kind: 'text', text: 'Use Named Parameters in QueryFile files, not [options].' },
    ]);
  });
  it('reads a table written without outer pipes row by row', () => {
    const { blocks } = markdownDocument(
      'limits.md',
      '# limits\n\nKey | Description | Default\n--- | --- | ---\n`fieldSize` | Max field value size | 1MB\n`files` | Max number of files | Infinity\n\nAfter the table.',
    );
    expect(blocks).toEqual([
      { kind: 'heading', level: 1, text: 'limits' },
      { kind: 'text', text: 'Key | Description | Default' },
      { kind: 'text', text: '`fieldSize` | Max field value size | 1MB' },
      { kind: 'text', text: '`files` | Max number of files | Infinity' },
      { kind: 'text', text: 'After the table.' },
    ]);
  });
});
