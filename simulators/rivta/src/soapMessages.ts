import { XMLBuilder } from 'fast-xml-parser';
import {
  ParseOption,
  XmlDocument,
  XmlElement,
  XmlParseError,
  XmlText,
  type XmlTreeNode,
} from 'libxml2-wasm';
import type { SchemaValidator } from './createSchemaValidator.js';
import { type Interaction, ns } from './interactions.js';

/** WS-Addressing `To`: the logical address header of RIVTABP20, still sent by older consumers. */
const wsAddressing = 'http://www.w3.org/2005/08/addressing';
const soap12 = 'http://www.w3.org/2003/05/soap-envelope';

/** A SOAP 1.1 fault: `Client` when the request is at fault, `Server` when the producer is. */
export class SoapFault extends Error {
  constructor(
    readonly faultCode: 'Client' | 'Server' | 'VersionMismatch' | 'MustUnderstand',
    readonly faultString: string,
  ) {
    super(faultString);
    this.name = 'SoapFault';
  }
}

/** A parsed payload: child elements by local name (RIV namespaces only), leaves as text. */
export interface XmlTree {
  readonly [localName: string]: readonly (string | XmlTree)[];
}

/** What routing and the interaction handlers need from a request. */
export interface SoapRequest {
  logicalAddress: string;
  /** The `Actor` header, when the consumer sent one. */
  actor: { actorId: string; actorType: string } | undefined;
  payload: XmlTree;
}

function* elementChildren(element: XmlElement): Generator<XmlElement> {
  for (let node: XmlTreeNode | null = element.firstChild; node; node = node.next) {
    if (node instanceof XmlElement) yield node;
  }
}

function hasText(element: XmlElement): boolean {
  for (let node: XmlTreeNode | null = element.firstChild; node; node = node.next) {
    if (node instanceof XmlText && node.content.trim() !== '') return true;
  }
  return false;
}

/**
 * The element as a plain tree. Elements outside the RIV namespaces are extensions the schemas
 * allow (`xs:any namespace="##other" processContents="lax"`) and are dropped, as a producer that
 * does not know them would.
 */
export function toTree(element: XmlElement): XmlTree {
  const tree: Record<string, (string | XmlTree)[]> = {};
  for (const child of elementChildren(element)) {
    if (!child.namespaceUri.startsWith('urn:riv:')) continue;
    const leaf = child.firstChild === null || !elementChildren(child).next().value;
    const value = leaf ? child.content.trim() : toTree(child);
    const values = tree[child.name] ?? [];
    values.push(value);
    tree[child.name] = values;
  }
  return tree;
}

/** The first text value named `name` in `tree`. */
export function textOf(tree: XmlTree, name: string): string | undefined {
  const value = tree[name]?.[0];
  return typeof value === 'string' ? value : undefined;
}

/** Every text value named `name` in `tree`. */
export function textsOf(tree: XmlTree, name: string): string[] {
  return (tree[name] ?? []).filter((value): value is string => typeof value === 'string');
}

/** The first child element named `name` in `tree`. */
export function childOf(tree: XmlTree, name: string): XmlTree | undefined {
  const value = tree[name]?.[0];
  return typeof value === 'object' ? value : undefined;
}

const parseOptions = { option: ParseOption.XML_PARSE_NONET | ParseOption.XML_PARSE_NO_XXE };

function describe(problems: readonly string[]): string {
  const shown = problems.slice(0, 5).join(' ');
  return problems.length > 5 ? `${shown} (and ${problems.length - 5} more)` : shown;
}

/**
 * Reads a RIVTABP21 request for `interaction`: a SOAP 1.1 envelope with a `LogicalAddress` header
 * (or RIVTABP20's `wsa:To`), an optional `Actor` header and the request element as the only body
 * child. Headers and payload are validated against the official schemas. Throws a `SoapFault`
 * for anything a producer would refuse, with the validation problems in its fault string.
 */
export function parseRequest(
  text: string,
  interaction: Interaction,
  validator: SchemaValidator,
  /** Called with the schema problems of a request that failed validation. */
  onInvalid: (problems: readonly string[]) => void,
): SoapRequest {
  // SOAP 1.1 §3: a SOAP message must not contain a document type declaration.
  if (/<!DOCTYPE/i.test(text))
    throw new SoapFault('Client', 'DTDs are not allowed in SOAP messages.');
  let document: XmlDocument;
  try {
    document = XmlDocument.fromString(text, parseOptions);
  } catch (error) {
    if (error instanceof XmlParseError) throw new SoapFault('Client', 'Malformed XML.');
    throw error;
  }
  try {
    const envelope = document.root;
    if (envelope.namespaceUri === soap12) {
      throw new SoapFault('VersionMismatch', 'RIVTABP21 is SOAP 1.1; got a SOAP 1.2 envelope.');
    }
    if (envelope.name !== 'Envelope' || envelope.namespaceUri !== ns.soap) {
      throw new SoapFault('Client', 'Not a SOAP 1.1 envelope.');
    }
    const parts = [...elementChildren(envelope)];
    const header = parts.find((p) => p.name === 'Header' && p.namespaceUri === ns.soap);
    const body = parts.find((p) => p.name === 'Body' && p.namespaceUri === ns.soap);
    if (!body) throw new SoapFault('Client', 'The envelope has no Body.');

    const problems: string[] = [];
    let logicalAddress: string | undefined;
    let legacyTo: string | undefined;
    let actor: SoapRequest['actor'];
    for (const entry of header ? elementChildren(header) : []) {
      if (entry.namespaceUri === ns.registry && entry.name === 'LogicalAddress') {
        if (logicalAddress !== undefined)
          throw new SoapFault('Client', 'Two LogicalAddress headers.');
        problems.push(...validator.validate(entry, 'LogicalAddress'));
        logicalAddress = entry.content.trim();
      } else if (entry.namespaceUri === ns.headers && entry.name === 'Actor') {
        problems.push(...validator.validate(entry, 'Actor'));
        const tree = toTree(entry);
        actor = {
          actorId: textOf(tree, 'actorId') ?? '',
          actorType: textOf(tree, 'actorType') ?? '',
        };
      } else if (entry.namespaceUri === wsAddressing && entry.name === 'To') {
        legacyTo = entry.content.trim();
      } else {
        const mustUnderstand = entry.attrs.find(
          (attr) => attr.name === 'mustUnderstand' && attr.namespaceUri === ns.soap,
        );
        if (mustUnderstand && ['1', 'true'].includes(mustUnderstand.value.trim())) {
          throw new SoapFault(
            'MustUnderstand',
            `Header {${entry.namespaceUri}}${entry.name} is not understood.`,
          );
        }
      }
    }

    const payloads = [...elementChildren(body)];
    const payload = payloads[0];
    if (payloads.length !== 1 || !payload || hasText(body)) {
      throw new SoapFault('Client', 'The Body must hold exactly one element.');
    }
    if (payload.namespaceUri !== interaction.namespace || payload.name !== interaction.name) {
      throw new SoapFault(
        'Client',
        `Expected {${interaction.namespace}}${interaction.name} at this endpoint, got {${payload.namespaceUri}}${payload.name}.`,
      );
    }
    problems.push(...validator.validate(payload, interaction.name));
    if (problems.length > 0) {
      onInvalid(problems);
      throw new SoapFault(
        'Client',
        `The request does not validate against the schema: ${describe(problems)}`,
      );
    }
    const address = logicalAddress ?? legacyTo;
    if (!address) {
      throw new SoapFault(
        'Client',
        'VP003 No receiverId (logical address) found in message header.',
      );
    }
    return { logicalAddress: address, actor, payload: toTree(payload) };
  } finally {
    document.dispose();
  }
}

/** Prefixes as a CXF-based producer writes them: generated, never the ones a consumer picked. */
export const prefixes = { responder: 'ns2', core: 'ns3', core11: 'ns4' } as const;

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  suppressEmptyNode: true,
});

const declaration = '<?xml version="1.0" encoding="UTF-8"?>';

/** Payload content: element name (with prefix) → text, nested content or a list of either. */
export type Content = {
  [name: string]: string | Content | readonly (string | Content)[] | undefined;
};

/** Drops `undefined` members so they are not written, keeping the order of the rest. */
function compact(content: Content): Content {
  const result: Content = {};
  for (const [key, value] of Object.entries(content)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      result[key] = value.map((item) => (typeof item === 'string' ? item : compact(item)));
    } else result[key] = typeof value === 'object' ? compact(value as Content) : value;
  }
  return result;
}

/**
 * The response envelope for `interaction`, its payload built from `content` (keys prefixed with
 * `prefixes`). The payload is validated against the official schema first: a producer that sends
 * an invalid response is broken, so this throws instead of answering.
 */
export function buildResponse(
  interaction: Interaction,
  content: Content,
  validator: SchemaValidator,
): string {
  const { responder, core, core11 } = prefixes;
  const xml = builder.build({
    'soap:Envelope': {
      '@_xmlns:soap': ns.soap,
      'soap:Body': {
        [`${responder}:${interaction.name}Response`]: {
          [`@_xmlns:${responder}`]: interaction.namespace,
          [`@_xmlns:${core}`]: ns.core,
          [`@_xmlns:${core11}`]: ns.core11,
          ...compact(content),
        },
      },
    },
  }) as string;
  const text = `${declaration}${xml}`;
  const document = XmlDocument.fromString(text, parseOptions);
  try {
    const body = [...elementChildren(document.root)][0]!;
    const payload = [...elementChildren(body)][0]!;
    const problems = validator.validate(payload, interaction.name);
    if (problems.length > 0) {
      throw new Error(`${interaction.name}Response does not validate: ${describe(problems)}`);
    }
  } finally {
    document.dispose();
  }
  return text;
}

/** A SOAP 1.1 fault envelope. */
export function buildFault(fault: SoapFault): string {
  return `${declaration}${builder.build({
    'soap:Envelope': {
      '@_xmlns:soap': ns.soap,
      'soap:Body': {
        'soap:Fault': { faultcode: `soap:${fault.faultCode}`, faultstring: fault.faultString },
      },
    },
  })}`;
}
