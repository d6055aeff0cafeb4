import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { testPki } from './pki.ts';

export interface ToolResult {
  ok: boolean;
  output: string;
}

function run(cmd: string, args: string[]): Promise<ToolResult> {
  return new Promise((resolve) => {
    execFile(cmd, args, (err, stdout, stderr) => resolve({ ok: !err, output: `${stdout}${stderr}` }));
  });
}

async function withFile<T>(xml: string | Buffer, work: (file: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), 'receipts-xml-'));
  try {
    const file = path.join(dir, 'doc.xml');
    await writeFile(file, xml);
    return await work(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The README's command for the independent verifier: xmlsec1 with the CA as
 * the only trust anchor and only X.509 key data enabled, so a key carried in
 * the document (KeyValue) or a certificate not chaining to the CA never
 * counts. Default CA: the test run's development CA.
 */
export async function xmlsecVerify(xml: string | Buffer, opts: { idElement?: string; trustedPem?: string } = {}): Promise<ToolResult> {
  const trusted = opts.trustedPem ?? (await testPki()).caFile;
  return withFile(xml, (file) => run('xmlsec1', xmlsecArgs(file, trusted, opts.idElement ?? 'DLBLai')));
}

export function xmlsecArgs(file: string, trustedPem: string, idElement: string): string[] {
  return ['--verify', '--enabled-key-data', 'x509', '--trusted-pem', trustedPem, '--id-attr:Id', idElement, file];
}

export function xmllintValidate(xml: string | Buffer, schema: string): Promise<ToolResult> {
  return withFile(xml, (file) => run('xmllint', ['--noout', '--schema', schema, file]));
}
