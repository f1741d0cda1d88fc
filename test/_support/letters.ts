// Sample letters for tests: a valid draft and its source message, with unique provider ids.
import { randomUUID } from 'node:crypto';
import type { IntakeInput } from '../../gateway/letters/intake.js';

export function sampleIntake(
  overrides: Partial<IntakeInput['draft']> = {},
  providerMessageId = randomUUID(),
): IntakeInput {
  const now = new Date().toISOString();
  return {
    draft: {
      channel: 'sms',
      receivedAt: now,
      citizen: { channelUserId: '+8613800138000', phone: '+8613800138000', anonymous: false },
      mailbox: { id: 'city-12345', name: '市民服务热线12345' },
      kind: 'complaint',
      body: '小区门口的路灯坏了一个月，晚上很黑，请尽快修理。',
      attachments: [],
      visibility: 'private',
      ...overrides,
    },
    sources: [{ providerMessageId, receivedAt: now, type: 'text', payload: { content: 'raw' } }],
  };
}
