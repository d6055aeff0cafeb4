import { writeFile } from 'node:fs/promises';
import { generateOpenapiYaml } from './openapi.ts';

await writeFile('openapi.yaml', await generateOpenapiYaml());
console.log('openapi.yaml written');
