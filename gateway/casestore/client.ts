// Calls the case store as DESIGN §4 says: JSON bodies signed with HMAC-SHA256 over "timestamp\nbody", an
// Idempotency-Key on every call, keep-alive connections, and a hard timeout. It classifies answers; it never retries
// by itself (the forwarder and event sender own the schedule).
import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { cleanText } from '../../shared/text.js';

const maxAnswerBytes = 1024 * 1024;

export type CaseStoreOutcome =
  | { kind: 'ok'; status: number; body: unknown }
  | { kind: 'retry'; status?: number; error: string }
  | { kind: 'rejected'; status: number; error: string };

export interface CaseStoreClient {
  post(path: string, body: unknown, idempotencyKey: string): Promise<CaseStoreOutcome>;
}

export function signBody(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}\n${body}`).digest('hex');
}

export function createCaseStoreClient(opts: {
  baseUrl: () => string;
  secret: string;
  timeoutMs: number;
  maxSockets: number;
}): CaseStoreClient {
  const agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: opts.maxSockets }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: opts.maxSockets }),
  };
  return {
    post(path, body, idempotencyKey) {
      const payload = JSON.stringify(body);
      const timestamp = Math.floor(Date.now() / 1000).toString();
      const url = new URL(opts.baseUrl() + path);
      const transport = url.protocol === 'https:' ? https : http;
      return new Promise<CaseStoreOutcome>((resolve) => {
        const req = transport.request(
          url,
          {
            method: 'POST',
            agent: agents[url.protocol as 'http:' | 'https:'],
            headers: {
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(payload),
              'idempotency-key': idempotencyKey,
              'x-gateway-timestamp': timestamp,
              'x-gateway-signature': signBody(opts.secret, timestamp, payload),
            },
            timeout: opts.timeoutMs,
          },
          (res) => {
            const chunks: Buffer[] = [];
            let size = 0;
            res.on('data', (c: Buffer) => {
              size += c.length;
              chunks.push(c);
              // An answer is a serial and a few fields: a far larger one is not read on into memory.
              if (size > maxAnswerBytes) {
                resolve({ kind: 'retry', status: res.statusCode, error: `answer larger than ${maxAnswerBytes} bytes` });
                req.destroy();
              }
            });
            res.on('error', (e) => resolve({ kind: 'retry', error: `response: ${e.message}` }));
            res.on('end', () => resolve(classify(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'))));
          },
        );
        req.on('timeout', () => req.destroy(new Error(`timeout after ${opts.timeoutMs} ms`)));
        req.on('error', (e) => resolve({ kind: 'retry', error: e.message }));
        req.end(payload);
      });
    },
  };
}

function classify(status: number, text: string): CaseStoreOutcome {
  // Kept as the letter's or event's last error: a NUL in the case store's answer would fail the batch's transaction.
  const snippet = cleanText(text.slice(0, 500));
  if (status >= 200 && status < 300) {
    try {
      return { kind: 'ok', status, body: text ? JSON.parse(text) : {} };
    } catch {
      // A 2xx we cannot read may still have stored the letter: retrying with the same key is safe.
      return { kind: 'retry', status, error: `unreadable ${status} body: ${snippet}` };
    }
  }
  if (status === 408 || status === 425 || status === 429 || status >= 500)
    return { kind: 'retry', status, error: `HTTP ${status}: ${snippet}` };
  return { kind: 'rejected', status, error: `HTTP ${status}: ${snippet}` };
}
