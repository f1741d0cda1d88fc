// Aliyun's request signature as the simulator checks it: V3, ACS3-HMAC-SHA256 in the Authorization header, which is
// what the official SDK (@alicloud/dysmsapi20170525 on @alicloud/openapi-core 1.x) sends for SendSms; older POP v1
// query signatures (HMAC-SHA1) are checked too. A call whose signature is not the one the key's secret gives is
// refused as Aliyun refuses it: HTTP 400, Code SignatureDoesNotMatch.
// https://help.aliyun.com/zh/sdk/product-overview/v3-request-structure-and-signature
// https://help.aliyun.com/zh/sdk/product-overview/rpc-mechanism (v1)
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export interface ReceivedRequest {
  method: string;
  /** The path as sent, before the query. */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** RFC 3986 encoding as openapi-core writes it (encodeURIComponent plus ! ' ( ) *). */
export const percentEncode = (s: string): string =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

const headerValue = (v: string | string[] | undefined): string =>
  (Array.isArray(v) ? [...v].map((x) => x.trim()).sort() : [(v ?? '').trim()]).join(',');

/** The ACS3-HMAC-SHA256 signature (hex) of a request over `signedHeaders` (lower-case, sorted) with `secret`. */
export function acs3Signature(r: ReceivedRequest, signedHeaders: readonly string[], secret: string): string {
  const uri = r.path.replace(/\+/g, '%20').replace(/\*/g, '%2A').replace(/%7E/g, '~');
  const query = Object.keys(r.query)
    .sort()
    .map((k) => `${k}=${percentEncode(r.query[k]!)}`)
    .join('&');
  const headers = signedHeaders.map((h) => `${h}:${headerValue(r.headers[h])}\n`).join('');
  const payload = createHash('sha256').update(r.body).digest('hex');
  const canonical = [r.method, uri, query, headers, signedHeaders.join(';'), payload].join('\n');
  const toSign = `ACS3-HMAC-SHA256\n${createHash('sha256').update(canonical).digest('hex')}`;
  return createHmac('sha256', secret).update(toSign).digest('hex');
}

/** The POP v1 signature (base64 HMAC-SHA1) of a request's parameters with `secret`. */
export function popV1Signature(method: string, params: Record<string, string>, secret: string): string {
  const canonical = Object.keys(params)
    .filter((k) => k !== 'Signature')
    .sort()
    .map((k) => `${percentEncode(k)}=${percentEncode(params[k]!)}`)
    .join('&');
  const toSign = `${method}&${percentEncode('/')}&${percentEncode(canonical)}`;
  return createHmac('sha1', `${secret}&`).update(toSign).digest('base64');
}

export type SignatureCheck =
  { ok: true; accessKeyId: string } | { ok: false; status: number; Code: string; Message: string };

const mismatch: SignatureCheck = {
  ok: false,
  status: 400,
  Code: 'SignatureDoesNotMatch',
  Message: 'Specified signature is not matched with our calculation.',
};
const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** Checks the signature of a received call against the secret of the AccessKey it names. */
export function checkSignature(
  r: ReceivedRequest,
  secretOf: (accessKeyId: string) => string | undefined,
): SignatureCheck {
  const authorization = headerValue(r.headers.authorization);
  const v3 = /^ACS3-HMAC-SHA256\s+Credential=([^,\s]+),\s*SignedHeaders=([^,\s]*),\s*Signature=([0-9a-f]+)$/i.exec(
    authorization,
  );
  const accessKeyId = v3?.[1] ?? r.query.AccessKeyId;
  const secret = accessKeyId ? secretOf(accessKeyId) : undefined;
  if (!accessKeyId || !secret)
    return {
      ok: false,
      status: 404,
      Code: 'InvalidAccessKeyId.NotFound',
      Message: 'Specified access key is not found.',
    };
  if (v3) {
    const signed = v3[2]!.split(';').filter(Boolean);
    // Every x-acs-* header sent and the host must be under the signature, in order, or it proves nothing about them.
    const acs = Object.keys(r.headers).filter((h) => h.startsWith('x-acs-'));
    if (
      !signed.includes('host') ||
      acs.some((h) => !signed.includes(h)) ||
      signed.join(';') !== [...signed].sort().join(';')
    )
      return mismatch;
    return same(acs3Signature(r, signed, secret), v3[3]!.toLowerCase()) ? { ok: true, accessKeyId } : mismatch;
  }
  const params = { ...r.query };
  const given = params.Signature;
  if (!given)
    return { ok: false, status: 400, Code: 'MissingSignature', Message: 'Signature is mandatory for this action.' };
  return same(popV1Signature(r.method, params, secret), given) ? { ok: true, accessKeyId } : mismatch;
}
