import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { XsdValidator } from 'libxml2-wasm';

const schemaDir = fileURLToPath(new URL('../../schemas/', import.meta.url));

type LibXml2 = typeof import('libxml2-wasm');
let loaded: Promise<LibXml2> | undefined;
/** libxml2's WebAssembly is instantiated on first use, not at import: a server start does not wait for it. */
const libxml2 = () => (loaded ??= import('libxml2-wasm'));

/** One schema violation as libxml2 reported it; the verifier words it for people (schemaProblem). */
export interface SchemaError {
  line: number | null;
  message: string;
}

/**
 * XSD validation with libxml2 compiled to WebAssembly (libxml2-wasm), in the
 * calling thread: each schema is compiled once per thread and kept; a
 * document is parsed, validated and freed (about half a millisecond for a
 * receipt). The verifier refuses DOCTYPE and entity declarations before this
 * runs, and libxml2 loads nothing from outside by default.
 */
export class SchemaValidator {
  private readonly validators = new Map<string, XsdValidator>();

  private validator(lib: LibXml2, file: string): XsdValidator {
    const { XmlDocument, XsdValidator } = lib;
    let validator = this.validators.get(file);
    if (!validator) {
      // The schema document lives as long as its validator, which points into it: both are kept for the thread's life.
      const schema = XmlDocument.fromString(readFileSync(schemaDir + file, 'utf8'));
      validator = XsdValidator.fromDoc(schema);
      this.validators.set(file, validator);
    }
    return validator;
  }

  async validate(schemaFile: string, xml: string): Promise<{ valid: boolean; errors: SchemaError[] }> {
    const lib = await libxml2();
    const { XmlDocument, XmlError, XmlValidateError } = lib;
    const validator = this.validator(lib, schemaFile);
    let doc: InstanceType<LibXml2['XmlDocument']>;
    try {
      doc = XmlDocument.fromString(xml);
    } catch (err) {
      if (!(err instanceof XmlError)) throw err;
      return { valid: false, errors: [{ line: null, message: `Parser error : ${err.message.trim()}` }] };
    }
    try {
      validator.validate(doc);
      return { valid: true, errors: [] };
    } catch (err) {
      if (!(err instanceof XmlValidateError)) throw err;
      return { valid: false, errors: err.details.map((d) => ({ line: d.line || null, message: `Schemas validity error : ${d.message.trim()}` })) };
    } finally {
      doc.dispose();
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
