#!/usr/bin/env node
// The `receipts` CLI: the compiled JavaScript (dist/, made by `npm run build`,
// which `npm install` runs); from a checkout without it, the TypeScript
// sources through tsx (a development dependency).
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/cli/main.js', import.meta.url);
if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
