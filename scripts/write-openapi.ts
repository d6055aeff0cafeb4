import { writeFile } from 'node:fs/promises';
import { generateOpenapiTypes, generateOpenapiYaml } from './openapi.ts';

const yaml = await generateOpenapiYaml();
await writeFile('openapi.yaml', yaml);
await writeFile('src/console/web/api-types.ts', await generateOpenapiTypes(yaml));
console.log('openapi.yaml and src/console/web/api-types.ts written');
