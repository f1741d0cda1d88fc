// Asks the case store for its mailbox directory (`GET {CASE_STORE_URL}/mailboxes`, signed like every call to it).
// The case store may not offer one: 404/405/501 mean "use the file"; other failures keep what we have.
import { signBody } from '../casestore/client.js';

export async function fetchCaseStoreMailboxes(o: {
  baseUrl: string;
  secret: string;
  timeoutMs: number;
}): Promise<unknown> {
  const timestamp = Math.floor(Date.now() / 1000).toString();
  const res = await fetch(`${o.baseUrl}/mailboxes`, {
    headers: {
      accept: 'application/json',
      'x-gateway-timestamp': timestamp,
      'x-gateway-signature': signBody(o.secret, timestamp, ''),
    },
    signal: AbortSignal.timeout(o.timeoutMs),
  });
  if ([404, 405, 501].includes(res.status)) return null;
  if (!res.ok) throw new Error(`case store answered ${res.status} to GET /mailboxes`);
  return res.json();
}
