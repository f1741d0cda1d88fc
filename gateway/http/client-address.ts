// The one answer to "who is the client": the connection's address, or — only when it comes from a proxy listed in
// TRUSTED_PROXIES — the right-most X-Forwarded-For hop that is not itself a trusted proxy. Earlier hops and the
// X-Forwarded-Proto of an untrusted peer are whatever the client wrote, so they are never believed.
import { BlockList, isIP } from 'node:net';
import type { Context, Middleware } from 'koa';
import { addressRuleProblem } from '../lib/address-rules.js';

/** A set of addresses and CIDR blocks (IPv4 and IPv6). */
export interface AddressSet {
  has(address: string): boolean;
  readonly size: number;
}

/** `::ffff:1.2.3.4` → `1.2.3.4`, `[::1]` → `::1`, `1.2.3.4:5678` → `1.2.3.4`; anything not an address → ''. */
export function normalizeAddress(raw: string): string {
  let a = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(a);
  if (bracketed) a = bracketed[1]!;
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(a)) a = a.slice(0, a.lastIndexOf(':'));
  a = a.replace(/%[A-Za-z0-9_.-]+$/, ''); // an IPv6 zone id says nothing about who the client is
  if (/^::ffff:\d{1,3}(\.\d{1,3}){3}$/i.test(a)) a = a.slice(7);
  return isIP(a) === 0 ? '' : a.toLowerCase();
}

/** Builds the set from rules already checked with `addressRuleProblem` (a bad rule throws). */
export function addressSet(rules: readonly string[]): AddressSet {
  const list = new BlockList();
  for (const rule of rules) {
    const problem = addressRuleProblem(rule);
    if (problem) throw new Error(problem);
    const [base = '', bits] = rule.split('/');
    const normalized = normalizeAddress(base);
    const type = isIP(normalized) === 4 ? 'ipv4' : 'ipv6';
    // An IPv4-mapped IPv6 rule matches as the IPv4 block it names.
    const prefix = bits === undefined ? undefined : Number(bits) - (type === 'ipv4' && isIP(base) === 6 ? 96 : 0);
    if (prefix === undefined) list.addAddress(normalized, type);
    else list.addSubnet(normalized, Math.max(0, prefix), type);
  }
  return {
    size: rules.length,
    has(address) {
      const a = normalizeAddress(address);
      return a !== '' && list.check(a, isIP(a) === 4 ? 'ipv4' : 'ipv6');
    },
  };
}

export interface ClientFacts {
  /** The client's address as seen by the nearest proxy we trust (or by us). */
  ip: string;
  /** Whether the client reached us over HTTPS. */
  https: boolean;
}

/**
 * Walks the hops from the connection back through X-Forwarded-For while each is a trusted proxy; the first
 * untrusted hop is the client. A hop that is not an address stops the walk at the proxy that reported it.
 */
export function clientFacts(
  trusted: AddressSet,
  socket: { remoteAddress?: string; encrypted?: boolean },
  forwardedFor: string,
  forwardedProto: string,
): ClientFacts {
  const peer = normalizeAddress(socket.remoteAddress ?? '') || (socket.remoteAddress ?? '');
  const encrypted = socket.encrypted === true;
  if (trusted.size === 0 || !trusted.has(peer)) return { ip: peer, https: encrypted };
  const hops = forwardedFor
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean);
  let ip = peer;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normalizeAddress(hops[i]!);
    if (hop === '') break;
    ip = hop;
    if (!trusted.has(hop)) break;
  }
  // Proxies in front set the scheme the client used; the first value is the outermost proxy's.
  const proto = forwardedProto.split(',')[0]?.trim().toLowerCase();
  return { ip, https: encrypted || proto === 'https' };
}

/**
 * Settles the client's address and scheme once per request: `ctx.ip` (used by logins, sessions, the audit log and
 * the SMS push allowlist) and the Secure decision of cookies both come from here.
 */
export function clientAddress(trusted: AddressSet): Middleware {
  return async (ctx, next) => {
    const facts = clientFacts(trusted, ctx.req.socket, ctx.get('x-forwarded-for'), ctx.get('x-forwarded-proto'));
    ctx.state.client = facts;
    ctx.request.ip = facts.ip;
    ctx.cookies.secure = facts.https;
    await next();
  };
}

/** Whether this request reached us over HTTPS, by the same rule as the client's address. */
export function isHttps(ctx: Context): boolean {
  const facts = ctx.state.client as ClientFacts | undefined;
  return facts ? facts.https : (ctx.req.socket as { encrypted?: boolean }).encrypted === true;
}
