// A pile-up about one matter: many citizens writing about the same advertisement on the metro within hours, each in
// slightly different words (greetings, punctuation, a detail added or left out).
import { uuidv7 } from '../../gateway/letters/ids.js';
import type { MonthLetter } from '../_support/letter-month.js';
import { seeded } from '../_support/letter-month.js';

const core = '地铁3号线车厢里新投放的那幅减肥广告画面低俗，严重影响未成年人，希望有关部门尽快责令撤下';
const before = ['', '你好，', '您好！', '领导好，', '反映：', '我要投诉，'];
const after = ['。', '，谢谢！', '。盼复', '！！', '，请尽快处理。', '。孩子天天坐地铁看到'];

export function burstLetters(o: {
  at: Date;
  count: number;
  topic: string;
  regionCode: string;
  seed?: number;
  spreadHours?: number;
}): MonthLetter[] {
  const rnd = seeded(o.seed ?? 7);
  const out: MonthLetter[] = [];
  for (let i = 0; i < o.count; i++) {
    const at = o.at.getTime() + rnd() * (o.spreadHours ?? 6) * 3600_000;
    out.push({
      id: uuidv7(at),
      citizenId: `burst-citizen-${i}`,
      receivedAt: new Date(at),
      channel: i % 2 === 0 ? 'wechat-mp' : 'sms',
      kind: 'complaint',
      mailbox: { id: 'mayor', name: '市长信箱' },
      topic: o.topic,
      regionCode: o.regionCode,
      text: `${before[i % before.length]}${core}${after[Math.floor(rnd() * after.length)]}`,
    });
  }
  return out.sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime());
}
