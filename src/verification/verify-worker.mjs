// Worker entry: threads do not inherit the parent's TypeScript loader, so the
// worker registers tsx itself before loading the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
const { default: verifyTask } = await import('./verify-worker.ts');
export default verifyTask;
