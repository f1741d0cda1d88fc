// Parsing WeChat XML pushes safely: size is limited by the caller, DOCTYPE and entity declarations are refused before
// parsing, entities are never expanded, and every value stays a string (64-bit MsgId/MsgID do not fit a JS number).
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export class PushXmlError extends Error {
  constructor(readonly reason: 'declaration' | 'malformed' | 'not_a_push') {
    super(`push XML refused: ${reason}`);
    this.name = 'PushXmlError';
  }
}

export type PushFields = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  processEntities: false,
  // Deprecated in favour of entityDecoder; kept explicit (entities are not processed at all) until that is adopted.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  maxNestedTags: 16,
  // A subscription popup carries one or more <List> items; one item must still be a list.
  isArray: (name) => name === 'List',
});

const declaration = /<!(DOCTYPE|ENTITY|ELEMENT|ATTLIST)/i;

/** Returns the fields under the root `<xml>` element. */
export function parsePushXml(text: string): PushFields {
  if (declaration.test(text)) throw new PushXmlError('declaration');
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- still shipped by fast-xml-parser 5; its successor is another package
  if (XMLValidator.validate(text) !== true) throw new PushXmlError('malformed');
  let doc: unknown;
  try {
    doc = parser.parse(text);
  } catch {
    throw new PushXmlError('malformed');
  }
  const root = doc && typeof doc === 'object' ? (doc as Record<string, unknown>).xml : undefined;
  if (!root || typeof root !== 'object' || Array.isArray(root)) throw new PushXmlError('not_a_push');
  return root as PushFields;
}

/** A text field of a push, or undefined when absent or not text. */
export function field(fields: PushFields, name: string): string | undefined {
  const v = fields[name];
  return typeof v === 'string' ? v : undefined;
}
