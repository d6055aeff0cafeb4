import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';

/**
 * What can be checked of the deployment without a container engine: the
 * production start is compiled JavaScript (no TypeScript transpiler at run
 * time), the Dockerfile copies paths that exist and starts the same way.
 */
const root = path.resolve(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8');

t.test('npm start runs the compiled server; no transpiler is a runtime dependency', async (t) => {
  t.equal(pkg.scripts.start, 'node dist/server.js');
  t.equal(pkg.scripts.prepare, 'npm run build', 'npm install compiles');
  for (const transpiler of ['tsx', 'typescript', 'esbuild', 'ts-node']) t.notOk(pkg.dependencies[transpiler], `${transpiler} is not a runtime dependency`);
  t.ok(pkg.devDependencies.tsx && pkg.devDependencies.typescript);
});

t.test('the build: every module compiled, migrations beside it, no import of a .ts file left', async (t) => {
  t.ok(existsSync(path.join(root, 'dist/server.js')), 'npm test builds before it runs the tests');
  t.ok(existsSync(path.join(root, 'dist/cli/main.js')));
  t.ok(existsSync(path.join(root, 'dist/verification/verify-worker.js')), 'the verification worker, compiled');
  const console = readdirSync(path.join(root, 'dist/console-web'));
  t.ok(console.includes('index.html'), 'the staff console, bundled');
  t.ok(
    console.some((f) => /^main-[A-Z0-9]+\.js$/.test(f)),
    'its script, named by content hash',
  );
  t.same(readdirSync(path.join(root, 'dist/db/migrations')).sort(), readdirSync(path.join(root, 'src/db/migrations')).sort());
  const tsImports: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (p.endsWith('.js') && /(from |import\()\s*['"][^'"]+\.ts['"]/.test(readFileSync(p, 'utf8'))) tsImports.push(path.relative(root, p));
    }
  };
  walk(path.join(root, 'dist'));
  t.same(tsImports, []);
});

t.test('the Dockerfile copies what exists and starts the compiled server', async (t) => {
  const copies = [...dockerfile.matchAll(/^COPY (?!--from)(.+)$/gm)].flatMap((m) => m[1]!.trim().split(/\s+/).slice(0, -1));
  t.ok(copies.length >= 5, `${copies.length} paths copied from the repository`);
  t.same(
    copies.filter((p) => !existsSync(path.join(root, p))),
    [],
    'every copied path exists',
  );
  const fromBuild = [...dockerfile.matchAll(/^COPY --from=build \/app\/(\S+)/gm)].map((m) => m[1]);
  t.same(fromBuild, ['node_modules', 'dist']);
  t.match(dockerfile, /npm prune --omit=dev/, 'the image keeps no development dependency');
  t.match(dockerfile, /^COPY scripts \.\/scripts\nRUN npm ci/m, 'the build stage has the console’s build script before npm ci builds');
  t.match(dockerfile, /^CMD \["node", "dist\/server\.js"\]$/m);
  t.match(dockerfile, /^USER node$/m, 'not root');
});
