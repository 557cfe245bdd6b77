import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import {
  XmlDocument,
  type XmlElement,
  XmlValidateError,
  XsdValidator,
  xmlRegisterInputProvider,
} from 'libxml2-wasm';
import { type InteractionName, interactionNames, interactions } from './interactions.js';

/** A schema a message part is checked against: an interaction's responder schema or a header's. */
export type SchemaName = InteractionName | 'LogicalAddress' | 'Actor';

/** The official schemas, compiled once, checking parsed elements. */
export interface SchemaValidator {
  /**
   * Checks `element` (a request or response payload, or a header) against the schema that
   * declares it. Returns the problems found, empty when valid.
   */
  validate(element: XmlElement, schema: SchemaName): string[];
}

const headerSchemas = {
  LogicalAddress: 'core_components/itintegration_registry_1.0.xsd',
  Actor: 'core_components/interoperability_headers_1.0.xsd',
} as const;

/**
 * The official SubjectOfCareIdType pattern is `^[0-9]{8}[0-9pPtTfF][0-9]{3}$`. In XML Schema
 * regular expressions `^` and `$` are ordinary characters (patterns are anchored implicitly), so
 * libxml2 would demand a literal `^` before every personnummer and reject all real ones;
 * producers that skip facet checks never notice. The schemas are served to libxml2 from memory
 * with the anchors dropped from such patterns; the files themselves stay untouched.
 */
export function correctAnchoredPatterns(xsd: string): string {
  return xsd.replace(/(<xs:pattern\s+value=")\^([^"]*)\$(")/g, '$1$2$3');
}

/** Every `.xsd` below `dir`, by path relative to it with `/` separators. */
function readSchemas(dir: string): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder)) {
      const path = join(folder, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (entry.endsWith('.xsd')) {
        const text = correctAnchoredPatterns(readFileSync(path, 'utf8'));
        files.set(relative(dir, path).split(sep).join('/'), new TextEncoder().encode(text));
      }
    }
  };
  walk(dir);
  return files;
}

/**
 * libxml2 resolves `xs:import` through input providers, which are process-wide: one provider
 * serves every loaded schema set from memory under a virtual root of its own.
 */
const virtualFiles = new Map<string, Uint8Array>();
const openFiles = new Map<number, { bytes: Uint8Array; at: number }>();
let nextHandle = 1;
let providerRegistered = false;
const virtualRoot = '/rivta-standards/';

function registerProvider(): void {
  if (providerRegistered) return;
  providerRegistered = xmlRegisterInputProvider({
    match: (name) => virtualFiles.has(name),
    open: (name) => {
      const bytes = virtualFiles.get(name);
      if (!bytes) return undefined;
      const handle = nextHandle++;
      openFiles.set(handle, { bytes, at: 0 });
      return handle;
    },
    read: (handle, buffer) => {
      const file = openFiles.get(handle);
      if (!file) return -1;
      const count = Math.min(buffer.byteLength, file.bytes.length - file.at);
      buffer.set(file.bytes.subarray(file.at, file.at + count));
      file.at += count;
      return count;
    },
    close: (handle) => openFiles.delete(handle),
  });
  if (!providerRegistered) throw new Error('could not register the schema input provider');
}

const cache = new Map<string, SchemaValidator>();

function problemsOf(error: unknown): string[] {
  if (error instanceof XmlValidateError) {
    const messages = error.details.map((detail) => detail.message.trim()).filter(Boolean);
    return messages.length > 0 ? messages : [error.message.trim()];
  }
  throw error;
}

/**
 * Loads and compiles the RIV-TA crm:scheduling 1.1 schemas found in `standardsDir` (the folder
 * with `core_components/` and `interactions/`) with libxml2. Compiled once per folder and process.
 */
export function createSchemaValidator(standardsDir: string): SchemaValidator {
  const cached = cache.get(standardsDir);
  if (cached) return cached;
  registerProvider();
  const root = `${virtualRoot}${cache.size + 1}/`;
  for (const [path, bytes] of readSchemas(standardsDir)) virtualFiles.set(root + path, bytes);

  const compile = (path: string): XsdValidator => {
    const bytes = virtualFiles.get(root + path);
    if (!bytes) throw new Error(`schema ${path} not found in ${standardsDir}`);
    // The schema documents stay alive with their validators for the life of the process.
    const document = XmlDocument.fromBuffer(bytes, { url: root + path });
    return XsdValidator.fromDoc(document);
  };
  const validators = new Map<SchemaName, XsdValidator>([
    ...interactionNames.map((name) => [name, compile(interactions.get(name)!.schemaPath)] as const),
    ['LogicalAddress', compile(headerSchemas.LogicalAddress)],
    ['Actor', compile(headerSchemas.Actor)],
  ]);

  const validator: SchemaValidator = {
    validate(element, schema) {
      try {
        validators.get(schema)!.validate(element);
        return [];
      } catch (error) {
        return problemsOf(error);
      }
    },
  };
  cache.set(standardsDir, validator);
  return validator;
}
