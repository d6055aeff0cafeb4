import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';

/**
 * SQL lives in repositories: each capability's `repository.ts` (or, for a
 * large one, files under its `repository/` folder), and db/, the database's
 * own machinery (connecting, migrating, backing up). Routes, services and
 * the CLI call repository functions, so a table's queries are found, and
 * changed, in one place.
 */
const SRC = path.resolve(import.meta.dirname, '../../src');

export function allowedSqlFile(relative: string): boolean {
  const parts = relative.split(path.sep);
  return parts[0] === 'db' || (parts.length === 2 && parts[1] === 'repository.ts') || (parts.length === 3 && parts[1] === 'repository');
}

/** Files of src/ that run a query: a `.query(` or `.query<…>(` call. */
function filesWithSql(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (file.endsWith('.ts') && /\.query\s*(<[^>]*(?:>[^>(]*)*>)?\s*\(/.test(readFileSync(file, 'utf8'))) found.push(path.relative(root, file));
    }
  };
  walk(root);
  return found.sort();
}

t.test('only repositories and db/ run SQL', async (t) => {
  const files = filesWithSql(SRC);
  t.ok(files.includes(path.join('receipts', 'repository.ts')), 'the search finds queries (receipts/repository.ts has them)');
  t.same(
    files.filter((f) => !allowedSqlFile(f)),
    [],
  );
});

t.test('the rule tells a repository from a service', async (t) => {
  t.equal(allowedSqlFile(path.join('tax', 'repository.ts')), true);
  t.equal(allowedSqlFile(path.join('tax', 'repository', 'transmissions.ts')), true);
  t.equal(allowedSqlFile(path.join('db', 'migrate.ts')), true);
  t.equal(allowedSqlFile(path.join('tax', 'service.ts')), false);
  t.equal(allowedSqlFile(path.join('tax', 'routes.ts')), false);
  t.equal(allowedSqlFile('server.ts'), false);
});
