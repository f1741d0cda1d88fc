// The delivery plan of one message, computed when it is first sent from what the gateway knows of the citizen then:
// the routes of the letter's channel, best first, then SMS when the channel cannot reach the citizen and a phone is
// known (for the mini-program, only a phone the citizen verified). An SMS letter's own plan is SMS only.
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
}

export async function planDelivery(channels: ChannelRegistry, d: PlanInput): Promise<PlanStep[]> {
  const own = channels.get(d.channel as never);
  const steps: PlanStep[] = own
    ? (await own.planRoutes({ recipient: d.recipient, kind: d.kind, templateKey: d.templateKey, letterId: d.letterId })).map((route) => ({
        channel: d.channel,
        route,
        recipient: d.recipient,
      }))
    : [];
  const phone = d.letter?.citizen.phone;
  const phoneUsable = phone !== undefined && (d.channel !== 'wechat-mp' || d.letter?.citizen.phoneVerified === true);
  if (d.channel !== 'sms' && phoneUsable && channels.has('sms')) steps.push({ channel: 'sms', route: 'sms', recipient: phone });
  return steps;
}
