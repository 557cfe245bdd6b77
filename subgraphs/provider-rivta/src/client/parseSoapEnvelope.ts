import { XMLParser } from 'fast-xml-parser';
import { ns } from './interactions.js';

/** A parsed payload: child elements by local name (RIV namespaces only), leaves as text. */
export interface XmlTree {
  readonly [localName: string]: readonly (string | XmlTree)[];
}

/** What a SOAP 1.1 response envelope holds: the response element, or a fault. */
export type ParsedEnvelope =
  | { kind: 'response'; namespace: string; name: string; payload: XmlTree }
  | {
      kind: 'fault';
      /** The local part of `faultcode`, e.g. `Client` or `Server`. */
      faultCode: string;
      /** The producer's own words; may quote the request, so never logged. */
      faultString: string;
    };

/** Thrown when a response is not a SOAP 1.1 envelope this adapter can read. */
export class EnvelopeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EnvelopeError';
  }
}

interface Element {
  namespace: string;
  name: string;
  children: Element[];
  text: string;
}

type OrderedNode = Record<string, unknown> & { ':@'?: Record<string, string> };

// Values stay strings ("0012" is an id, not a number); namespaces are resolved below, because
// producers pick their own prefixes (CXF writes ns2, ns3, …) or default namespaces.
const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

/** Resolves prefixes to namespaces, scope by scope, into a tree of elements. */
function resolve(nodes: OrderedNode[], scope: ReadonlyMap<string, string>): Element[] {
  const elements: Element[] = [];
  for (const node of nodes) {
    const tag = Object.keys(node).find((key) => key !== ':@');
    if (!tag || tag === '#text' || tag.startsWith('?') || tag === '#comment') continue;
    const attributes = node[':@'] ?? {};
    let inner = scope;
    for (const [attribute, value] of Object.entries(attributes)) {
      if (attribute === 'xmlns' || attribute.startsWith('xmlns:')) {
        if (inner === scope) inner = new Map(scope);
        (inner as Map<string, string>).set(attribute === 'xmlns' ? '' : attribute.slice(6), value);
      }
    }
    const colon = tag.indexOf(':');
    const prefix = colon === -1 ? '' : tag.slice(0, colon);
    const namespace = inner.get(prefix);
    if (namespace === undefined && prefix !== '') {
      throw new EnvelopeError(`undeclared namespace prefix "${prefix}"`);
    }
    const content = (node[tag] as OrderedNode[]) ?? [];
    const text = content
      .filter((child) => '#text' in child)
      .map((child) => String(child['#text']))
      .join('');
    elements.push({
      namespace: namespace ?? '',
      name: colon === -1 ? tag : tag.slice(colon + 1),
      children: resolve(content, inner),
      text,
    });
  }
  return elements;
}

/**
 * The element as a plain tree. Elements outside the RIV namespaces are extensions the schemas
 * allow (`xs:any namespace="##other"`) and are dropped.
 */
function toTree(element: Element): XmlTree {
  const tree: Record<string, (string | XmlTree)[]> = {};
  for (const child of element.children) {
    if (!child.namespace.startsWith('urn:riv:')) continue;
    const value = child.children.length === 0 ? child.text : toTree(child);
    const values = tree[child.name] ?? [];
    values.push(value);
    tree[child.name] = values;
  }
  return tree;
}

/**
 * Reads a SOAP 1.1 response envelope. Namespaces are resolved, not guessed from prefixes;
 * documents with a DTD are refused (SOAP forbids them, and entity tricks hide in them).
 */
export function parseSoapEnvelope(text: string): ParsedEnvelope {
  if (/<!DOCTYPE/i.test(text)) throw new EnvelopeError('a SOAP message must not contain a DTD');
  let nodes: OrderedNode[];
  try {
    // `true`: check well-formedness first; the parser alone is lenient.
    nodes = parser.parse(text, true) as OrderedNode[];
  } catch (error) {
    throw new EnvelopeError(`not well-formed XML (${(error as Error).message.split('\n')[0]})`);
  }
  const [envelope, ...others] = resolve(
    nodes,
    new Map([['xml', 'http://www.w3.org/XML/1998/namespace']]),
  );
  if (
    !envelope ||
    others.length > 0 ||
    envelope.namespace !== ns.soap ||
    envelope.name !== 'Envelope'
  ) {
    throw new EnvelopeError('not a SOAP 1.1 envelope');
  }
  const body = envelope.children.find(
    (child) => child.namespace === ns.soap && child.name === 'Body',
  );
  if (!body) throw new EnvelopeError('the envelope has no Body');
  const [payload] = body.children;
  if (!payload || body.children.length !== 1) {
    throw new EnvelopeError('the Body must hold exactly one element');
  }
  if (payload.namespace === ns.soap && payload.name === 'Fault') {
    // faultcode and faultstring are unqualified (SOAP 1.1 §4.4).
    const field = (name: string) =>
      payload.children.find((child) => child.name === name && child.namespace === '')?.text ?? '';
    const code = field('faultcode');
    return {
      kind: 'fault',
      faultCode: code.slice(code.indexOf(':') + 1),
      faultString: field('faultstring'),
    };
  }
  return {
    kind: 'response',
    namespace: payload.namespace,
    name: payload.name,
    payload: toTree(payload),
  };
}
