import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';

/**
 * Bundles the staff console (src/console/web) into dist/console-web: one
 * script and one stylesheet with content hashes in their names (cached for
 * good), and index.html naming them (never cached). `npm run build` runs it.
 */
const root = path.resolve(import.meta.dirname, '..');
const outdir = path.join(root, 'dist', 'console-web');
await rm(outdir, { recursive: true, force: true });
const result = await build({
  entryPoints: [path.join(root, 'src/console/web/main.tsx')],
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  outdir,
  entryNames: '[name]-[hash]',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  metafile: true,
  logLevel: 'warning',
  legalComments: 'linked',
});
const outputs = Object.keys(result.metafile.outputs).map((o) => path.basename(o));
const script = outputs.find((o) => /^main-.*\.js$/.test(o));
const style = outputs.find((o) => /^main-.*\.css$/.test(o));
if (!script || !style) throw new Error(`the console bundle lacks a script or a stylesheet: ${outputs.join(', ')}`);
const html = (await readFile(path.join(root, 'src/console/web/index.html'), 'utf8')).replace('{{script}}', script).replace('{{style}}', style);
await writeFile(path.join(outdir, 'index.html'), html);
console.log(`console built: ${script}, ${style}`);
