import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { validateXML } from 'xmllint-wasm';

const schemaDir = fileURLToPath(new URL('../../schemas/', import.meta.url));
const BATCH = 200;

interface Pending {
  xml: string;
  resolve: (r: { valid: boolean; errors: string[] }) => void;
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

  validate(schemaFile: string, xml: string): Promise<{ valid: boolean; errors: string[] }> {
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
      const errors = new Map<number, string[]>();
      for (const e of result.errors) {
        const index = Number(/^document-(\d+)\.xml$/.exec(e.loc?.fileName ?? '')?.[1] ?? -1);
        errors.set(index, [...(errors.get(index) ?? []), e.message]);
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
