import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Compiles test/helpers/pkcs11-fault-shim.c into `dir`: a PKCS#11 module in
 * front of SoftHSM2 that pretends the token is pulled out while a file says
 * "removed", and logs each login. Returns the module's path.
 */
export function buildFaultShim(dir: string): string {
  const shim = path.join(dir, 'fault-shim.so');
  const source = fileURLToPath(new URL('./pkcs11-fault-shim.c', import.meta.url));
  const headers = fileURLToPath(new URL('../../node_modules/pkcs11js/includes/pkcs11', import.meta.url));
  execFileSync('gcc', ['-shared', '-fPIC', '-O1', '-Wall', '-Werror', '-I', headers, '-o', shim, source, '-ldl', '-lpthread']);
  return shim;
}
