import openapiTS, { astToString } from 'openapi-typescript';
import { parse, stringify } from 'yaml';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config/config.ts';
import type { Db } from '../src/db/db.ts';
import type { Signer } from '../src/signing/signer.ts';

/** The OpenAPI document as YAML, generated from the routes' zod schemas (no database or signer needed). */
export async function generateOpenapiYaml(): Promise<string> {
  const app = await buildApp({ config: loadConfig({}), db: {} as Db, signer: {} as Signer });
  await app.ready();
  const doc = app.swagger();
  await app.close();
  return `# Generated from the zod schemas by \`npm run openapi\`; do not edit by hand.\n${stringify(doc, { lineWidth: 0 })}`;
}

/** TypeScript types of the contract (openapi-typescript), for a typed client such as openapi-fetch. */
export async function generateOpenapiTypes(yaml: string): Promise<string> {
  const ast = await openapiTS(parse(yaml) as Parameters<typeof openapiTS>[0]);
  return `// Generated from openapi.yaml by \`npm run openapi\` (openapi-typescript); do not edit by hand.\n/* eslint-disable */\n${astToString(ast)}`;
}
