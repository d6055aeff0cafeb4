import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { validateXML } from 'xmllint-wasm';

const schemaDir = fileURLToPath(new URL('../../schemas/', import.meta.url));
const BATCH = 200;

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
 * XSD validation with libxml2 (xmllint compiled to WebAssembly, in a worker).
 * Each call to xmllint-wasm starts a worker and costs ~200 ms whatever its
 * size, so documents arriving together are validated in one call: 500
 * documents cost about as much as one.
 */
export class SchemaValidator {
  private readonly schemas = new Map<string, Promise<string>>();
  private readonly queues = new Map<string, Pending[]>();

  validate(schemaFile: string, xml: string): Promise<{ valid: boolean; errors: SchemaError[] }> {
    return new Promise((resolve, reject) => {
      let queue = this.queues.get(schemaFile);
      if (!queue) {
        this.queues.set(schemaFile, (queue = []));
        setImmediate(() => void this.flush(schemaFile));
      }
      queue.push({ xml, resolve, reject });
      if (queue.length >= BATCH) void this.flush(schemaFile);
    });
  }

  private schema(file: string): Promise<string> {
    let s = this.schemas.get(file);
    if (!s) this.schemas.set(file, (s = readFile(schemaDir + file, 'utf8')));
    return s;
  }

  private async flush(schemaFile: string): Promise<void> {
    const batch = this.queues.get(schemaFile);
    if (!batch || batch.length === 0) return;
    this.queues.delete(schemaFile);
    try {
      const result = await validateXML({
        xml: batch.map((p, i) => ({ fileName: `document-${i}.xml`, contents: p.xml })),
        schema: [await this.schema(schemaFile)],
      });
      const errors = new Map<number, SchemaError[]>();
      for (const e of result.errors) {
        const index = Number(/^document-(\d+)\.xml$/.exec(e.loc?.fileName ?? '')?.[1] ?? -1);
        errors.set(index, [...(errors.get(index) ?? []), { line: e.loc?.lineNumber ?? null, message: e.message }]);
      }
      const unattributed = errors.get(-1) ?? [];
      batch.forEach((p, i) => {
        const own = [...(errors.get(i) ?? []), ...unattributed];
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
