import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

const SOURCE = __dirname;

/** A source file by its path under `src/`, with its text. */
type Source = [path: string, text: string];

/** The top-level folder of a path under `src/`; files directly in `src/` are the composition root. */
function folderOf(path: string): string | null {
  const [first, ...rest] = path.split('/');
  return rest.length > 0 && first ? first : null;
}

function sourceFiles(dir: string): Source[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry): Source[] => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')
      ? [[relative(SOURCE, path), readFileSync(path, 'utf8')]]
      : [];
  });
}

/** The relative imports and re-exports of a file, as paths under `src/`; `typeOnly` for `import type`. */
function importsOf([path, text]: Source): { target: string; typeOnly: boolean }[] {
  return [...text.matchAll(/^(import|export)\s+(type\s+)?[^;]*?from\s+'(\.[^']+)'/gms)].map((match) => ({
    target: normalize(join(dirname(path), match[3] ?? '.')),
    typeOnly: Boolean(match[2]),
  }));
}

/**
 * Folder → folders it loads at run time. `import type` is left out: the compiler erases it, so it
 * creates no load order, and settings types may name the feature they configure.
 */
function folderGraph(sources: Source[]): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const source of sources) {
    const from = folderOf(source[0]);
    if (!from) continue;
    for (const { target, typeOnly } of importsOf(source)) {
      const to = folderOf(target);
      if (typeOnly || !to || to === from) continue;
      graph.set(from, (graph.get(from) ?? new Set()).add(to));
    }
  }
  return graph;
}

/** The one file that must name every entity: the list the composition root hands to the database. */
const ENTITY_REGISTRY = 'entities.ts';

/**
 * Imports of another folder's repository or entity, types included, as `file -> import`: a module's
 * storage is its own, others use its exported services and plain record types.
 */
function storageReachedFromOutside(sources: Source[]): string[] {
  return sources.flatMap((source) => {
    const [path] = source;
    if (path === ENTITY_REGISTRY) return [];
    return importsOf(source)
      .filter(({ target }) => /\.(repository|entity)$/.test(target) && folderOf(target) !== folderOf(path))
      .map(({ target }) => `${path} -> ${target}`);
  });
}

/** Strongly connected components of more than one folder (Tarjan), each sorted. */
function cycles(graph: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node) ?? 0);
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(next) ?? 0));
      } else if (stack.includes(next)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(next) ?? 0));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop();
        if (member) component.push(member);
      } while (member && member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found.sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? ''));
}

/** Repositories a module file exports: none may, its storage is for its own providers. */
function exportedRepositories([path, text]: Source): string[] {
  if (!path.endsWith('.module.ts')) return [];
  return [...text.matchAll(/exports:\s*\[([^\]]*)\]/g)].flatMap((match) =>
    [...(match[1] ?? '').matchAll(/\b\w+Repository\b/g)].map((name) => `${path}: ${name[0]}`),
  );
}

describe('the folders of api/src', () => {
  const sources = sourceFiles(SOURCE);

  it('import each other without a cycle (docs/architecture.md, "Layering")', () => {
    const graph = folderGraph(sources);
    expect(graph.size).toBeGreaterThan(10);
    expect(cycles(graph)).toEqual([]);
  });

  it('would see a cycle: the check is not blind', () => {
    const graph = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
      ['d', new Set(['a'])],
    ]);
    expect(cycles(graph)).toEqual([['a', 'b', 'c']]);
  });

  it('never reach into another folder\'s repositories or entities (docs/architecture.md, "Module boundaries")', () => {
    expect(sources.filter(([, text]) => /\.(repository|entity)'/.test(text)).length).toBeGreaterThan(20);
    expect(storageReachedFromOutside(sources)).toEqual([]);
  });

  it('export no repository from a module', () => {
    expect(sources.filter(([path]) => path.endsWith('.module.ts')).length).toBeGreaterThan(20);
    expect(sources.flatMap(exportedRepositories)).toEqual([]);
    expect(
      exportedRepositories([
        'webhooks/webhook-outbox.module.ts',
        '@Module({ providers: [WebhookOutbox, WebhooksRepository], exports: [WebhookOutbox, WebhooksRepository] })',
      ]),
    ).toEqual(['webhooks/webhook-outbox.module.ts: WebhooksRepository']);
  });

  it("would see a reach into another folder's storage: the check is not blind", () => {
    const sources: Source[] = [
      [
        'widget/widget.service.ts',
        "import { VisitorsRepository } from '../conversations/visitors.repository';",
      ],
      ['assistant/a.ts', "import type { ConversationEntity } from '../conversations/conversation.entity';"],
      ['app.factory.ts', "import { AccessRepository } from './access/access.repository';"],
      ['conversations/c.ts', "import { VisitorsRepository } from './visitors.repository';"],
      ['conversations/deep/d.ts', "import type { MessageEntity } from '../message.entity';"],
      ['widget/w.ts', "import { ConversationsService } from '../conversations/conversations.service';"],
      ['entities.ts', "import { UserEntity } from './users/user.entity';"],
    ];
    expect(storageReachedFromOutside(sources)).toEqual([
      'widget/widget.service.ts -> conversations/visitors.repository',
      'assistant/a.ts -> conversations/conversation.entity',
      'app.factory.ts -> access/access.repository',
    ]);
  });
});
