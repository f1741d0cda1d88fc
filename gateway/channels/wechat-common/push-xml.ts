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
  return flatPushFields(text) ?? parsePushXmlGeneral(text);
}

const space = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const fieldName = /^[A-Za-z][A-Za-z0-9_]*$/;
const special = new Set(['List', 'xml', 'prototype']);
// Anything a parser might treat specially is left to the general parser: entities, `>` and `\r` (line-end
// normalisation), control characters and surrogates (validity), leading or trailing spaces (trimming).
const unusual = /[&>\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF]/;

/**
 * The shape WeChat sends, read directly: `<xml>` holding distinct elements each with one CDATA section or plain
 * text, nothing else. Gives exactly what the general parser gives for such a document (test/channels/wechat-common/
 * push-xml.test.ts compares them), in a tenth of the time; any other document answers undefined.
 */
export function flatPushFields(text: string): PushFields | undefined {
  let end = text.length;
  while (end > 0 && space(text.charCodeAt(end - 1))) end--;
  if (!text.startsWith('<xml>') || end < 11 || text.slice(end - 6, end) !== '</xml>') return undefined;
  end -= 6;
  const out: Record<string, string> = {};
  let count = 0;
  let i = 5;
  for (;;) {
    while (i < end && space(text.charCodeAt(i))) i++;
    if (i === end) break;
    if (text.charCodeAt(i) !== 0x3c /* < */) return undefined;
    const nameEnd = text.indexOf('>', i);
    if (nameEnd < 0 || nameEnd > end) return undefined;
    const name = text.slice(i + 1, nameEnd);
    // Names the general parser guards (prototype pollution) or shapes (List, arrays of repeats) go to it.
    if (!fieldName.test(name) || name in Object.prototype || special.has(name) || Object.hasOwn(out, name))
      return undefined;
    i = nameEnd + 1;
    let value: string;
    if (text.startsWith('<![CDATA[', i)) {
      const close = text.indexOf(']]>', i + 9);
      if (close < 0 || close > end) return undefined;
      value = text.slice(i + 9, close);
      i = close + 3;
    } else {
      const next = text.indexOf('<', i);
      if (next < 0 || next > end) return undefined;
      value = text.slice(i, next);
      i = next;
    }
    const closing = `</${name}>`;
    if (!text.startsWith(closing, i) || i + closing.length > end) return undefined;
    i += closing.length;
    if (value === '' || unusual.test(value) || space(value.charCodeAt(0)) || space(value.charCodeAt(value.length - 1)))
      return undefined;
    out[name] = value;
    count++;
  }
  return count > 0 ? out : undefined;
}

/** The general parser (fast-xml-parser, validated first), for every document the direct reading leaves. */
export function parsePushXmlGeneral(text: string): PushFields {
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
