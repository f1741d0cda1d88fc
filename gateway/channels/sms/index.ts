// The SMS channel: provider pushes in (uplinks become letters through the conversation module, reports update
// deliveries), staff templates out through the configured provider. Without provider credentials the same sending
// path runs against the provider's simulator inside the gateway, and the sandbox outbox records what the citizen got.
// (Opt-outs are the dispatcher's.)
import type { ChannelAdapter, ChannelModule } from '../adapter.js';
import type { GatewayServices } from '../../services.js';
import { smsProvider } from './providers/index.js';
import { mountPushRoutes } from './push-routes.js';
import { countVerificationFailures } from '../push-verification.js';
import { createSmsLimits } from './limits.js';
import { createSmsSender } from './outbound.js';
import { sandboxSmsSend } from './sandbox-send.js';
import { smsRoutes } from './template-routes.js';
import { format } from '../../i18n/catalogue.js';
import { messages } from './messages.zh-CN.js';

/** Longest text of one SMS template variable: query answers are split into parts this long. */
export const smsPartChars = 35;

export function createSmsChannel(s: GatewayServices): ChannelAdapter {
  s.conversation.registerChannel({ channel: 'sms', partChars: smsPartChars, senderIsPhone: true });
  const provider = smsProvider(s.config.SMS_PROVIDER);
  const limits = createSmsLimits(s.db, {
    perSecond: s.config.SMS_SEND_RATE_PER_SECOND,
    dailyPerNumber: s.config.SMS_DAILY_CAP_PER_NUMBER,
  });
  const defaultSignName = provider.defaultSignName(s.config);
  const common: Pick<ChannelAdapter, 'mount' | 'defineJobs' | 'routes'> = {
    routes: smsRoutes,
    mount: (router) => {
      router.use(`/sms/${provider.name}`, countVerificationFailures(s.metrics, 'sms'));
      mountPushRoutes(router, {
        db: s.db,
        log: s.log,
        metrics: s.metrics,
        provider,
        token: s.config.SMS_PUSH_TOKEN,
        allowedAddresses: s.config.SMS_PUSH_ALLOWED_IPS,
        itemMaxChars: s.config.INTAKE_ITEM_MAX_CHARS,
        pii: s.pii,
        accept: (messages) => s.conversation.accept(messages),
      });
    },
    defineJobs: (jobs) => {
      jobs.define('sms-prune-limits', () => limits.prune());
      void jobs.every('1 hour', 'sms-prune-limits');
    },
  };
  const planRoutes = async () => ['sms'];
  // SMS reaches any citizen whose phone is known: other channels' plans end with it.
  const phoneRoute = 'sms';

  if (s.config.sandbox.channels.includes('sms') && provider.simulator) {
    const simulator = provider.simulator;
    let running: { stop(): void } | undefined;
    return {
      channel: 'sms',
      mode: 'sandbox',
      ...common,
      sandboxRefusals: ['quota', 'carrier'],
      simulatedCitizen: { identity: 'phone', defaultId: '+8613700137000' },
      mount: (router) => {
        common.mount!(router);
        running = simulator.mount(router, {
          db: s.db,
          log: s.log,
          channel: 'sms',
          reportUrl: () =>
            s.config.SMS_PUSH_TOKEN
              ? `${s.selfUrl()}/sms/${provider.name}/report?token=${encodeURIComponent(s.config.SMS_PUSH_TOKEN)}`
              : undefined,
          reportDelayMs: s.config.SANDBOX_SMS_REPORT_DELAY_MS,
          // Messages sent outside the staff templates (the web mailbox's verification code) name theirs in settings.
          configuredTemplates: Object.values(s.config).filter(
            (v): v is string => typeof v === 'string' && /^SMS_[A-Za-z0-9_]+$/.test(v),
          ),
          publicBaseUrl: () => s.publicBaseUrl(),
        });
      },
      stop: async () => running?.stop(),
      planRoutes,
      phoneRoute,
      // The live sending path, against the provider simulated inside the gateway.
      send: sandboxSmsSend(s, { ...provider, simulator }, limits, defaultSignName ?? format(messages, 'sms.signName')),
    };
  }

  const send = createSmsSender({
    db: s.db,
    client: provider.createClient(s.config),
    limits,
    log: s.log,
    defaultSignName,
    recheckAfterMs: s.config.SMS_RECHECK_AFTER_SECONDS * 1000,
    pii: s.pii,
  });
  return { channel: 'sms', mode: 'live', ...common, planRoutes, phoneRoute, send };
}

/** The channel as the registry lists it. */
export const smsChannel: ChannelModule = { create: createSmsChannel, routes: smsRoutes, messages };
