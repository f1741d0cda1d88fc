// The web mailbox's session cookie across a personal-data key rotation: readable while the old key is still listed in
// PII_PREVIOUS_KEYS, void (the citizen verifies again) once it is removed, and never holding the phone in clear.
import test from 'ava';
import { randomBytes } from 'node:crypto';
import type { Context } from 'koa';
import { createWebSessions } from '../../../gateway/channels/web/session.js';
import { createPiiService } from '../../../gateway/privacy/pii-service.js';

const secret = randomBytes(32).toString('hex');
const oldKey = randomBytes(32).toString('hex');
const newKey = randomBytes(32).toString('hex');
const phone = '+8613766619999';

/** Just enough of a Koa context for the cookie calls: one browser's cookie jar over plain HTTP. */
function browser(jar = new Map<string, string>()): Context {
  return {
    state: {},
    req: { socket: {} },
    cookies: {
      get: (name: string) => jar.get(name),
      set: (name: string, value: string) => {
        jar.set(name, value);
      },
    },
  } as unknown as Context;
}

const jarOf = (ctx: Context) => {
  const jar = new Map<string, string>();
  const value = ctx.cookies.get('web_session');
  if (value) jar.set('web_session', value);
  return jar;
};

test('when the key is rotated, then a session cookie still signs in while the old key is listed and no longer after', (t) => {
  const signedIn = browser();
  createWebSessions(secret, 1, createPiiService(oldKey)).signIn(signedIn, phone);
  const cookie = signedIn.cookies.get('web_session')!;
  const payload = Buffer.from(cookie.split('.')[0]!, 'base64url').toString();
  t.false(payload.includes('13766619999'), 'the cookie does not hold the phone in clear');

  const rotating = createWebSessions(secret, 1, createPiiService(newKey, [oldKey]));
  t.is(rotating.phoneOf(browser(jarOf(signedIn))), phone);
  const rotated = createWebSessions(secret, 1, createPiiService(newKey));
  t.is(rotated.phoneOf(browser(jarOf(signedIn))), null);
});
