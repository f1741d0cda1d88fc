// Phones as the gateway stores them: the citizen's token (gateway/privacy/pii-ids.ts), for tests that look rows up
// by phone or read a stored phone back.
import type { TestGateway } from './gateway.js';
import { clearId, storedId } from '../../gateway/privacy/pii-ids.js';

/** The token every table holds in place of `phone` (created when the gateway has not seen the number yet). */
export const phoneToken = (gw: TestGateway, phone: string): Promise<string> =>
  storedId(gw.services.db, gw.services.pii, phone);

/** The phone behind a stored token (anything else as it is). */
export const phoneOf = (gw: TestGateway, stored: string): Promise<string> =>
  clearId(gw.services.db, gw.services.pii, stored);
