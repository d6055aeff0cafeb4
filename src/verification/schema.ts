import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { runXmllint } from './xmllint.ts';

const schemaDir = fileURLToPath(new URL('../../schemas/', import.meta.url));
const BATCH = 200;
const BATCH_BYTES = 16 * 1024 * 1024;

/** One schema violation as libxml2 reported it; the verifier words it for people (schemaProblem). */
export interface SchemaError {
  line: number | null;
  message: string;
}

interface Pending {
  xml: string;
  resolve: (r: { valid: boolean; errors: SchemaError[] }) => void;
  reject: (err: unknown) => void;
}

/**
 * XSD validation with libxml2 (xmllint compiled to WebAssembly, run in the
 * calling thread: xmllint.ts). Documents arriving together are validated in
 * one run, which parses the schema once for all of them.
 */
export class SchemaValidator {
  private readonly schemas = new Map<string, Promise<string>>();
  private readonly queues = new Map<string, Pending[]>();

  validate(schemaFile: string, xml: string): Promise<{ valid: boolean; errors: SchemaError[] }> {
    return new Promise((resolve, reject) => {
      let queue = this.queues.get(schemaFile);
      if (!queue) {
        queue = [];
        this.queues.set(schemaFile, queue);
        setImmediate(() => void this.flush(schemaFile));
      }
      queue.push({ xml, resolve, reject });
      // A batch stays small enough for one xmllint instance's memory.
      if (queue.length >= BATCH || queue.reduce((n, p) => n + p.xml.length, 0) > BATCH_BYTES) void this.flush(schemaFile);
    });
  }

  private schema(file: string): Promise<string> {
    let s = this.schemas.get(file);
    if (!s) {
      s = readFile(schemaDir + file, 'utf8');
      this.schemas.set(file, s);
    }
    return s;
  }

  private async flush(schemaFile: string): Promise<void> {
    const batch = this.queues.get(schemaFile);
    if (!batch || batch.length === 0) return;
    this.queues.delete(schemaFile);
    try {
      const files = batch.map((p, i) => ({ fileName: `document-${i}.xml`, contents: p.xml }));
      const run = await runXmllint([...files, { fileName: 'schema.xsd', contents: await this.schema(schemaFile) }], ['--schema', 'schema.xsd', '--noout', ...files.map((f) => f.fileName)]);
      if (![0, 3, 4].includes(run.exitCode)) throw new Error(`schema validation could not run (${run.exitCode})`);
      const errors = new Map<number, SchemaError[]>();
      for (const line of run.stderr.split('\n')) {
        const m = /^document-(\d+)\.xml(?::(\d+))?[: ]\s*(.*)$/.exec(line);
        if (!m || / validates$/.test(line)) continue;
        if (/fails to validate$/.test(line) && errors.has(Number(m[1]))) continue;
        const index = Number(m[1]);
        errors.set(index, [...(errors.get(index) ?? []), { line: m[2] ? Number(m[2]) : null, message: m[3] ?? line }]);
      }
      batch.forEach((p, i) => {
        const own = errors.get(i) ?? [];
        p.resolve({ valid: own.length === 0, errors: own });
      });
    } catch (err) {
      for (const p of batch) p.reject(err);
    }
  }
}

export const schemaValidator = new SchemaValidator();

/**
 * A schema violation in the service's own words: which element, on which
 * line, and what kind of problem, without libxml2's message.
 */
export function schemaProblem(e: SchemaError): string {
  const element = /Element '(?:\{[^}]*\})?([^']+)'/.exec(e.message)?.[1];
  const where = `${element ? `element <${element}>` : 'the document'}${e.line ? ` on line ${e.line}` : ''}`;
  if (/not expected|is not allowed/i.test(e.message)) return `${where} is not allowed there`;
  if (/missing child element|expected is/i.test(e.message)) return `${where} lacks a required element`;
  if (/attribute/i.test(e.message)) return `${where} has an attribute the schema does not allow, or lacks one it requires`;
  if (/valid value|facet|pattern|atomic type|length|enumeration/i.test(e.message)) return `${where} holds a value the schema does not allow`;
  if (/no matching global declaration|root/i.test(e.message)) return `${where} is not the document the schema describes`;
  return `${where} does not follow the schema`;
}
