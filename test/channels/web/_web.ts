// Helpers for the web mailbox tests: a citizen's browser over plain HTTP (its own cookie jar, no redirects followed,
// the CSRF token read from the last page), the codes the sandbox outbox recorded, and a letter written end to end.
import type { TestGateway } from '../../_support/gateway.js';
import { eventually } from '../../_support/gateway.js';

export interface Answer {
  status: number;
  html: string;
  location: string | null;
}

export class Citizen {
  readonly cookies = new Map<string, string>();
  csrf = '';

  /** `address` is sent as X-Forwarded-For: meaningful only with TRUSTED_PROXIES=127.0.0.1. */
  constructor(
    readonly gw: TestGateway,
    readonly address?: string,
  ) {}

  async get(path: string, headers: Record<string, string> = {}): Promise<Answer> {
    return this.request(path, { method: 'GET', headers });
  }

  async post(path: string, fields: Record<string, string> | FormData, withCsrf = true): Promise<Answer> {
    let body: FormData | URLSearchParams;
    if (fields instanceof FormData) {
      if (withCsrf && !fields.has('_csrf')) fields.set('_csrf', this.csrf);
      body = fields;
    } else body = new URLSearchParams({ ...(withCsrf ? { _csrf: this.csrf } : {}), ...fields });
    return this.request(path, { method: 'POST', body });
  }

  private async request(path: string, init: RequestInit): Promise<Answer> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    if (this.address) headers.set('x-forwarded-for', this.address);
    const r = await fetch(this.gw.url + path, { ...init, headers, redirect: 'manual' });
    for (const c of r.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i);
      const value = pair!.slice(i + 1);
      if (value === '' || /max-age=0|expires=Thu, 01 Jan 1970/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const html = await r.text();
    const token = /name="(?:_csrf|csrf-token)" (?:value|content)="([^"]+)"/.exec(html)?.[1];
    if (token) this.csrf = token;
    return { status: r.status, html, location: r.headers.get('location') };
  }
}

/** The newest verification code the sandbox outbox holds for `phone` (E.164), waiting for it to appear. */
export async function codeSentTo(gw: TestGateway, phone: string, after = 0): Promise<{ code: string; id: number }> {
  return eventually(
    async () => {
      const row = await gw.services.db
        .selectFrom('sandbox_messages')
        .select(['id', 'payload'])
        .where('recipient', '=', phone)
        .where('id', '>', String(after))
        .orderBy('id', 'desc')
        .executeTakeFirst();
      const p = row?.payload as { templateKey?: string; rendered?: { params?: { code?: string } } } | undefined;
      return row && p?.templateKey === 'web_code' && p.rendered?.params?.code
        ? { code: p.rendered.params.code, id: Number(row.id) }
        : undefined;
    },
    30_000,
    `a code for ${phone}`,
  );
}

export async function codesSentTo(gw: TestGateway, phone: string): Promise<number> {
  const rows = await gw.services.db
    .selectFrom('sandbox_messages')
    .select('payload')
    .where('recipient', '=', phone)
    .execute();
  return rows.filter((r) => (r.payload as { templateKey?: string }).templateKey === 'web_code').length;
}

/** A fresh mainland mobile number (local 11 digits). */
export function newPhone(): string {
  return `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
}

/** Signs `citizen` in with `phone` through the real code flow (sandbox outbox). */
export async function verify(citizen: Citizen, phone: string, next = '/web/'): Promise<Answer> {
  await citizen.get('/web/');
  const sent = await citizen.post('/web/verify/send', { phone, next });
  if (sent.status !== 200) throw new Error(`code not sent: ${sent.status}`);
  const { code } = await codeSentTo(citizen.gw, `+86${phone}`);
  return citizen.post('/web/verify', { phone, code, next });
}

export const MAILBOX = 'street-510104-01';

/** The letter form as the browser posts it. */
export function letterForm(
  fields: Record<string, string> = {},
  photos: { name: string; type: string; data: Buffer }[] = [],
): FormData {
  const f = new FormData();
  const all = {
    mailbox: MAILBOX,
    kind: 'complaint',
    title: '路灯不亮',
    body: '人民南路四段路灯连续三晚不亮，夜间通行不安全。',
    address: '武侯区人民南路四段',
    visibility: 'private',
    ...fields,
  };
  for (const [k, v] of Object.entries(all)) f.set(k, v);
  for (const p of photos) f.append('photos', new Blob([new Uint8Array(p.data)], { type: p.type }), p.name);
  return f;
}

/** Writes, verifies and submits a letter; returns its id. */
export async function writeLetter(
  citizen: Citizen,
  phone: string,
  fields: Record<string, string> = {},
): Promise<string> {
  await citizen.get(`/web/write?mailbox=${MAILBOX}`);
  const draft = await citizen.post('/web/drafts', letterForm(fields));
  if (draft.status !== 303) throw new Error(`draft not stored: ${draft.status} ${draft.html.slice(0, 500)}`);
  const draftPage = await citizen.get(draft.location!);
  if (!/提交来信/.test(draftPage.html)) await verify(citizen, phone, draft.location!);
  await citizen.get(draft.location!);
  const submitted = await citizen.post(`${draft.location!}/submit`, {});
  const id = /\/web\/letters\/([0-9a-f-]{36})/.exec(submitted.location ?? '')?.[1];
  if (!id) throw new Error(`not submitted: ${submitted.status}`);
  return id;
}

/** A 1×1 PNG. */
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
