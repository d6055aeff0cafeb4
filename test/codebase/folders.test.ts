import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';

/**
 * The folders of src/ are layered: when a folder imports another, the other
 * never imports it back, through any chain of folders. A cycle means two
 * capabilities cannot be understood, tested or changed apart. Type-only
 * imports count too: they tie the folders' meaning together all the same.
 */
const SRC = path.resolve(import.meta.dirname, '../../src');

/** Folder → the folders its files import, from every `from '…'` and `import('…')` with a relative path. */
export function folderGraph(root: string): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (/\.tsx?$/.test(file)) {
        const from = path.relative(root, file).split(path.sep);
        if (from.length === 1) continue; // src/*.ts wire the folders together
        const edges = graph.get(from[0]!) ?? graph.set(from[0]!, new Set()).get(from[0]!)!;
        for (const m of readFileSync(file, 'utf8').matchAll(/(?:\bfrom|\bimport)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
          const to = path.relative(root, path.resolve(path.dirname(file), m[1]!)).split(path.sep);
          if (to.length > 1 && to[0] !== from[0]) edges.add(to[0]!);
        }
      }
    }
  };
  walk(root);
  return graph;
}

/** Every cycle's folders, as found by a depth-first walk (each cycle named once, from its first folder). */
export function folderCycles(graph: Map<string, Set<string>>): string[][] {
  const cycles: string[][] = [];
  const seen = new Set<string>();
  const visit = (node: string, stack: string[]) => {
    const at = stack.indexOf(node);
    if (at >= 0) {
      cycles.push([...stack.slice(at), node]);
      return;
    }
    if (seen.has(node)) return;
    seen.add(node);
    for (const next of graph.get(node) ?? []) visit(next, [...stack, node]);
  };
  for (const node of [...graph.keys()].sort()) visit(node, []);
  return cycles;
}

t.test('no folder of src/ imports, through any chain, a folder that imports it', async (t) => {
  const graph = folderGraph(SRC);
  t.ok(graph.size >= 20, `${graph.size} folders read`);
  t.ok(graph.get('receipts')?.has('db'), 'the walk sees imports (receipts imports db)');
  t.same(
    folderCycles(graph).map((c) => c.join(' → ')),
    [],
  );
});

t.test('the cycle finder finds a cycle through three folders, and none in a chain', async (t) => {
  const g = new Map([
    ['a', new Set(['b'])],
    ['b', new Set(['c'])],
    ['c', new Set(['a', 'd'])],
  ]);
  t.same(folderCycles(g), [['a', 'b', 'c', 'a']]);
  t.same(
    folderCycles(
      new Map([
        ['a', new Set(['b'])],
        ['b', new Set(['c'])],
      ]),
    ),
    [],
  );
});
