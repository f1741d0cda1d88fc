// What the sandbox simulator tests share: the SMS push token of their gateway, the outbox as staff read it (each
// message with the provider calls it took), and a development mini-program citizen.
import type { StaffClient } from '../../admin/_staff.js';

export const SMS_PUSH_TOKEN = 'sandbox-push-token-0123456789';

export interface SimulatorCall {
  action: string;
  delivery_id: string | null;
  request: Record<string, unknown>;
  answer: Record<string, unknown>;
  code: string;
  shown: string | null;
  report: { err_code?: string } | null;
}
export interface Outbox {
  messages: {
    delivery_id: string;
    channel: string;
    route: string;
    payload: { templateKey: string };
    calls: SimulatorCall[];
  }[];
  calls: SimulatorCall[];
}

/** The sandbox outbox for one recipient, read through the console's API. */
export const readOutbox = async (admin: StaffClient, recipient: string): Promise<Outbox> =>
  (await (await admin.call('GET', `/sandbox/outbox?recipient=${encodeURIComponent(recipient)}`)).json()) as Outbox;

/** A sandbox mini-program citizen: signed in with a development code, and a way to post to /mp as them. */
export async function mpCitizen(baseUrl: string, name: string) {
  const s = await fetch(`${baseUrl}/mp/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: `dev:${name}` }),
  });
  const { token } = (await s.json()) as { token: string };
  const call = (path: string, json: unknown) =>
    fetch(baseUrl + path, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(json),
    });
  return { openid: `dev-${name}`, call };
}
