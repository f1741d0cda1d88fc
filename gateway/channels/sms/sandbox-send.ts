// The SMS sending path in sandbox mode: the live sender (template rules, per-number cap, fleet-wide rate) against the
// provider simulated inside the gateway, with generated credentials, recording what the citizen got in the outbox.
import type { ChannelAdapter } from '../adapter.js';
import type { GatewayServices } from '../../services.js';
import { recordingSend } from '../sandbox/simulation.js';
import type { SmsProvider } from './provider.js';
import type { SmsLimits } from './limits.js';
import { createSmsSender, withClearPhone } from './outbound.js';

export function sandboxSmsSend(
  s: GatewayServices,
  provider: SmsProvider & { simulator: NonNullable<SmsProvider['simulator']> },
  limits: SmsLimits,
  /** Nothing reaches a carrier in the sandbox, so no approved signature is needed to try the flow. */
  signName: string,
): ChannelAdapter['send'] {
  let sender: Promise<ChannelAdapter['send']> | undefined;
  const connect = async () =>
    createSmsSender({
      db: s.db,
      client: provider.createClient({ ...s.config, ...(await provider.simulator.clientSettings(s.db, s.selfUrl())) }),
      limits,
      log: s.log,
      defaultSignName: signName,
      recheckAfterMs: s.config.SMS_RECHECK_AFTER_SECONDS * 1000,
      pii: s.pii,
    });
  // The sandbox outbox shows the phone in clear, as staff play the citizen.
  return recordingSend(
    s.db,
    'sms',
    async (m) => (await (sender ??= connect()))(m),
    async (m) => (await withClearPhone(s.db, s.pii, m)).message.recipient,
  );
}
