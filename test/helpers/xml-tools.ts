import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

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

/** The independent verifier: xmlsec1 against the development CA as the only trust anchor. */
export function xmlsecVerify(xml: string | Buffer, opts: { idElement?: string; trustedPem?: string } = {}): Promise<ToolResult> {
  return withFile(xml, (file) =>
    run('xmlsec1', ['--verify', '--trusted-pem', opts.trustedPem ?? 'certs/dev-ca.pem', '--id-attr:Id', opts.idElement ?? 'DLBLai', file]),
  );
}

export function xmllintValidate(xml: string | Buffer, schema: string): Promise<ToolResult> {
  return withFile(xml, (file) => run('xmllint', ['--noout', '--schema', schema, file]));
}
