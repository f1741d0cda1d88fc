// Checks the address lists of the configuration (TRUSTED_PROXIES, SMS_PUSH_ALLOWED_IPS): each entry an IPv4 or IPv6
// address or CIDR block, so a typo stops the start instead of silently trusting or refusing the wrong hosts.
import { isIP } from 'node:net';

/** Why `rule` (an address or a CIDR block) is not acceptable, or null when it is. */
export function addressRuleProblem(rule: string): string | null {
  const [base = '', bits, extra] = rule.split('/');
  if (extra !== undefined) return `"${rule}" is not an address or a CIDR block`;
  const version = isIP(base);
  if (version === 0) return `"${rule}" is not an IPv4 or IPv6 address`;
  if (bits === undefined) return null;
  const max = version === 4 ? 32 : 128;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= max ? null : `"${rule}" has a prefix length outside 0–${max}`;
}

/** Whether a listen address only accepts connections from this machine. */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || /^::ffff:127(\.\d{1,3}){3}$/.test(h);
}
