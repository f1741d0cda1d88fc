// The delivery plan of one message, computed when it is first sent from what the gateway knows of the citizen then:
// the routes of the letter's channel, best first, then a phone channel's route (SMS) when the channel cannot reach the
// citizen and a phone is known (only a verified one where the channel requires it). A phone channel's own letters
// plan that channel only.
import type { Letter } from '../../shared/letter.js';
import type { ChannelRegistry } from '../channels/registry.js';
import type { PlanStep } from '../store/tables.js';

export interface PlanInput {
  channel: string;
  recipient: string;
  kind: string;
  templateKey: string;
  letterId: string | null;
  letter: Letter | null;
  /** The form a citizen id is stored in (privacy/pii-ids.ts): a phone becomes its token. */
  storeId?: (id: string) => Promise<string>;
}

export async function planDelivery(channels: ChannelRegistry, d: PlanInput): Promise<PlanStep[]> {
  const own = channels.get(d.channel as never);
  const steps: PlanStep[] = own
    ? (
        await own.planRoutes({ recipient: d.recipient, kind: d.kind, templateKey: d.templateKey, letterId: d.letterId })
      ).map((route) => ({
        channel: d.channel,
        route,
        recipient: d.recipient,
      }))
    : [];
  const phone = d.letter?.citizen.phone;
  const phoneUsable =
    phone !== undefined && (own?.requiresVerifiedPhone !== true || d.letter?.citizen.phoneVerified === true);
  if (!phoneUsable) return steps;
  for (const [name, ch] of channels) {
    if (name !== d.channel && ch.phoneRoute)
      steps.push({ channel: name, route: ch.phoneRoute, recipient: d.storeId ? await d.storeId(phone) : phone });
  }
  return steps;
}
