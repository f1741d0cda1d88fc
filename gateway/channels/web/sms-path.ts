// The web mailbox reaches citizens only by SMS, so everything it sends — verification codes, receipts, replies,
// surveys — takes the SMS channel's own sending path: its template rules, per-number daily cap, fleet-wide rate and
// provider client: live, or in the sandbox against the provider simulated inside the gateway (mounted by the SMS
// channel; when this gateway does not serve SMS, the outbox records the message after the same template checks).
// Verification codes keep the fleet-wide rate but neither count against nor wait for SMS_DAILY_CAP_PER_NUMBER: they
// have their own, tighter per-phone and per-address limits (WEB_CODES_*), a citizen asking for codes must not use up
// the day's SMS meant for their letters' receipts and replies, and a code held until tomorrow is no code at all.
import type { GatewayServices } from '../../services.js';
import type { OutboundMessage, SendResult } from '../adapter.js';
import { createSandboxAdapter } from '../sandbox/index.js';
import { smsProvider } from '../sms/providers/index.js';
import { createSmsLimits, type SmsLimits } from '../sms/limits.js';
import { createSmsSender, precheck, withClearPhone } from '../sms/outbound.js';
import { sandboxSmsSend } from '../sms/sandbox-send.js';
import { format } from '../../i18n/catalogue.js';
import { messages } from './messages.zh-CN.js';

export interface SmsPath {
  mode: 'live' | 'sandbox';
  /** Deliveries (receipts, replies, surveys): within the per-number daily cap. */
  send(m: OutboundMessage): Promise<SendResult>;
  /** Verification codes: outside the per-number daily cap (see above). */
  sendCode(m: OutboundMessage): Promise<SendResult>;
}

type Send = (m: OutboundMessage) => Promise<SendResult>;

export function createSmsPath(s: GatewayServices): SmsPath {
  const provider = smsProvider(s.config.SMS_PROVIDER);
  const defaultSignName = provider.defaultSignName(s.config);
  const limitsOf = (dailyPerNumber: number) =>
    createSmsLimits(s.db, { perSecond: s.config.SMS_SEND_RATE_PER_SECOND, dailyPerNumber });
  const both = (sender: (limits: SmsLimits) => Send) => ({
    send: sender(limitsOf(s.config.SMS_DAILY_CAP_PER_NUMBER)),
    sendCode: sender(limitsOf(0)),
  });
  const simulator = provider.simulator;
  if (s.config.sandbox.channels.includes('web') && simulator && s.config.CHANNELS.includes('sms')) {
    const signName = defaultSignName ?? format(messages, 'web.sms.signName');
    return {
      mode: 'sandbox',
      ...both((limits) => sandboxSmsSend(s, { ...provider, simulator }, limits, signName)),
    };
  }
  if (s.config.sandbox.channels.includes('web')) {
    // No simulator mounted: recorded as an SMS like any other, so the outbox shows the code where staff look for SMS.
    const sandbox = createSandboxAdapter('sms', s.db, ['sms']);
    const send: Send = async (stored) => {
      // Web letters' recipients are phone tokens (privacy/pii-ids.ts); the sandbox records the phone itself.
      const m = (await withClearPhone(s.db, s.pii, stored)).message;
      const checked = precheck(m, defaultSignName ?? format(messages, 'web.sms.signName'));
      return checked.ok ? sandbox.send(m) : checked.result;
    };
    return { mode: 'sandbox', send, sendCode: send };
  }
  const client = provider.createClient(s.config);
  return {
    mode: 'live',
    ...both((limits) =>
      createSmsSender({
        db: s.db,
        client,
        limits,
        log: s.log,
        defaultSignName,
        recheckAfterMs: s.config.SMS_RECHECK_AFTER_SECONDS * 1000,
        pii: s.pii,
      }),
    ),
  };
}
