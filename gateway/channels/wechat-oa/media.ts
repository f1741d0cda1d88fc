// Downloads a message's media through the temporary-media API (media ids expire after 3 days) and keeps the bytes
// as a gateway attachment. A refused token is replaced once; an expired or unknown media id is final (the letter
// goes on with the attachment marked missing); network trouble and busy answers are tried again later.
// https://developers.weixin.qq.com/doc/offiaccount/Asset_Management/Get_temporary_materials.html
import type { InboundMessage, MediaFetchResult } from '../../conversation/types.js';
import type { AttachmentStore } from '../../attachments/store.js';
import { AppError } from '../../errors.js';
import { tokenRefused, type WechatApiClient } from '../wechat-common/api-client.js';

const transient = new Set([-1, 45009, 45011]);
const fallbackType: Record<string, string> = { image: 'image/jpeg', voice: 'audio/amr', video: 'video/mp4' };

export interface MediaDeps {
  apiBase: string;
  client: WechatApiClient;
  attachments: AttachmentStore;
  maxBytes: number;
  timeoutMs?: number;
}

export async function fetchOaMedia(d: MediaDeps, m: InboundMessage): Promise<MediaFetchResult> {
  if (!m.media) return { ok: false, retry: false, reason: 'the message has no media' };
  try {
    let token = await d.client.token();
    for (let attempt = 0; ; attempt++) {
      const q = new URLSearchParams({ access_token: token, media_id: m.media.mediaId });
      const res = await get(d, `${d.apiBase}/cgi-bin/media/get?${q}`);
      if (res.status >= 500) return { ok: false, retry: true, reason: `media API answered HTTP ${res.status}` };
      if (res.status !== 200) return { ok: false, retry: false, reason: `media API answered HTTP ${res.status}` };
      const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      if (type === 'application/json' || type === 'text/plain') {
        const body = JSON.parse(await res.text()) as { errcode?: number; errmsg?: string; video_url?: string };
        // Video media answer with a download URL instead of the bytes.
        if (typeof body.video_url === 'string' && /^https?:\/\//.test(body.video_url))
          return await store(d, await get(d, body.video_url), 'video/mp4');
        const code = body.errcode ?? 0;
        if (tokenRefused.has(code) && attempt === 0) {
          token = await d.client.token(token);
          continue;
        }
        return {
          ok: false,
          retry: transient.has(code) || tokenRefused.has(code),
          reason: `media API errcode ${code}: ${body.errmsg ?? ''}`,
        };
      }
      return await store(d, res, type || fallbackType[m.media.kind]!);
    }
  } catch (err) {
    if (err instanceof AppError && err.code === 'body_too_large')
      return { ok: false, retry: false, reason: err.message };
    return { ok: false, retry: true, reason: err instanceof Error ? err.message : String(err) };
  }
}

function get(d: MediaDeps, url: string): Promise<Response> {
  return fetch(url, { signal: AbortSignal.timeout(d.timeoutMs ?? 60_000) });
}

async function store(d: MediaDeps, res: Response, contentType: string): Promise<MediaFetchResult> {
  if (!res.ok) return { ok: false, retry: res.status >= 500, reason: `media download answered HTTP ${res.status}` };
  const tooLarge = { ok: false, retry: false, reason: `media larger than ${d.maxBytes} bytes` } as const;
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > d.maxBytes) return tooLarge;
  const data = await readAtMost(res, d.maxBytes);
  if (!data) return tooLarge;
  if (data.length === 0) return { ok: false, retry: true, reason: 'media download was empty' };
  return { ok: true, attachment: await d.attachments.put({ data, contentType }) };
}

/** The body, or undefined as soon as it passes `maxBytes`: a download sent without a length is not held whole first. */
async function readAtMost(res: Response, maxBytes: number): Promise<Buffer | undefined> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = (res.body as ReadableStream<Uint8Array> | null)?.getReader();
  if (!reader) return Buffer.alloc(0);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks, size);
    size += value.length;
    if (size > maxBytes) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
}
