import Fastify from 'fastify';

import { PinoNestLogger } from './pino-nest-logger';

function capture(level = 'info') {
  const lines: Record<string, unknown>[] = [];
  // The same pino instance the app uses: Fastify's.
  const { log } = Fastify({
    logger: {
      level,
      stream: { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) },
    },
  });
  return { nest: new PinoNestLogger(log), lines };
}

describe('PinoNestLogger', () => {
  it('writes Nest lines as pino JSON with their context', () => {
    const { nest, lines } = capture();
    nest.log('Crawl finished', 'Crawler');
    nest.warn('Slow answer', 'Assistant');
    expect(lines).toEqual([
      expect.objectContaining({ level: 30, msg: 'Crawl finished', context: 'Crawler' }),
      expect.objectContaining({ level: 40, msg: 'Slow answer', context: 'Assistant' }),
    ]);
  });

  it("keeps Nest's route table and module wiring to debug", () => {
    const quiet = capture('info');
    quiet.nest.log('Mapped {/api/v1/sites, GET} route', 'RouterExplorer');
    quiet.nest.log('AppModule dependencies initialized', 'InstanceLoader');
    expect(quiet.lines).toEqual([]);

    const verbose = capture('debug');
    verbose.nest.log('Mapped {/api/v1/sites, GET} route', 'RouterExplorer');
    expect(verbose.lines).toEqual([
      expect.objectContaining({ level: 20, msg: 'Mapped {/api/v1/sites, GET} route' }),
    ]);
  });

  it('keeps the stack of an error', () => {
    const { nest, lines } = capture();
    nest.error('could not deliver', 'Error: boom\n    at x', 'Webhooks');
    expect(lines[0]).toMatchObject({ level: 50, msg: 'could not deliver', context: 'Webhooks' });
    expect(lines[0]?.['stack']).toContain('Error: boom');
  });
});
