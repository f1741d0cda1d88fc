// Reading request bodies with a hard size limit, before any parsing. Channels that verify signatures over the raw
// bytes (WeChat) read the raw body; JSON endpoints use readJson, which also checks the content type. Every JSON body
// is refused when nested deeper than anything we accept (deep structures overflow the stack of JSON.stringify and of
// every recursive walk after it), and every string in it is cleaned by the one text rule before anyone sees it.
import type { Context } from 'koa';
import { AppError } from '../errors.js';
import { cleanJson } from '../../shared/text.js';

/** Deepest nesting of arrays and objects any endpoint accepts; our deepest real body (template import) uses 5. */
export const jsonMaxDepth = 32;

export async function readRaw(ctx: Context, limitBytes: number): Promise<Buffer> {
  const declared = Number(ctx.get('content-length') || NaN);
  if (Number.isFinite(declared) && declared > limitBytes)
    throw new AppError('body_too_large', { detail: `limit is ${limitBytes} bytes` });
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) {
      ctx.req.unpipe();
      throw new AppError('body_too_large', { detail: `limit is ${limitBytes} bytes` });
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

export async function readJson(ctx: Context, limitBytes = 256 * 1024): Promise<unknown> {
  if (!ctx.is('application/json', 'application/*+json'))
    throw new AppError('unsupported_media_type', { detail: 'send application/json' });
  const raw = await readRaw(ctx, limitBytes);
  return cleanJson(parseJsonText(raw.toString('utf8')));
}

/**
 * Parses JSON text after checking its nesting depth (a scan outside strings, no recursion), so a body nested
 * 100,000 levels deep is a 400 and never a stack overflow later. `parse` lets a caller keep long integer ids exact.
 */
export function parseJsonText(text: string, parse: (text: string) => unknown = JSON.parse): unknown {
  if (jsonDepth(text) > jsonMaxDepth)
    throw new AppError('body_too_deep', { detail: `nesting is limited to ${jsonMaxDepth} levels` });
  try {
    return parse(text);
  } catch {
    throw new AppError('body_invalid_json');
  }
}

/** Deepest nesting of `[` and `{` outside strings; stops counting once past the limit. */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > jsonMaxDepth) return deepest;
      }
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}
