// Generated letters for figures tests: a month (or several weeks) shaped like the city's seed month — kinds,
// mailboxes, topics and regions in its proportions, a weekly rhythm (busy Mondays, quiet weekends), and texts that
// differ the way citizens' own words do — inserted directly with their receipt times (already known to the case
// store, so nothing is forwarded). Deterministic for a seed.
import { sql } from 'kysely';
import type { Db } from '../../gateway/store/db.js';
import { uuidv7 } from '../../gateway/letters/ids.js';

export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rnd: () => number, items: readonly (readonly [T, number])[]): T => {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let r = rnd() * total;
  for (const [v, w] of items) if ((r -= w) < 0) return v;
  return items[items.length - 1]![0];
};
const one = <T>(rnd: () => number, items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;

export const seedKinds = [
  ['complaint', 3358],
  ['suggestion', 608],
  ['consultation', 419],
  ['praise', 48],
  ['other', 2363],
] as const;
export const seedMailboxes = [
  [{ id: 'secretary', name: '市委书记信箱' }, 1338],
  [{ id: 'mayor', name: '市长信箱' }, 4773],
  [{ id: 'district-jinjiang', name: '锦江区信箱' }, 659],
  [{ id: 'street-chunxi', name: '春熙路街道信箱' }, 26],
] as const;
export const seedTopics = [
  ['city-management', 1354],
  ['housing', 1211],
  ['traffic', 920],
  ['environment', 800],
  ['labour', 700],
  ['education', 650],
  ['health', 600],
  ['public-security', 500],
  ['market', 700],
  ['other', 2565],
] as const;
export const seedRegions = [
  ['510104', 14],
  ['510105', 12],
  ['510106', 12],
  ['510107', 14],
  ['510108', 11],
  ['510112', 8],
  ['510113', 6],
  ['510114', 7],
  ['510115', 8],
  ['510116', 8],
] as const;
const channels = [
  ['wechat-mp', 40],
  ['wechat-oa', 30],
  ['sms', 30],
] as const;

const places = [
  '人民南路',
  '蜀都大道',
  '建设路',
  '一环路',
  '天府大道',
  '金沙路',
  '双林路',
  '玉林街',
  '沙湾路',
  '青龙街',
  '府河',
  '东大街',
  '红星路',
  '科华北路',
];
const problems: Record<string, string[]> = {
  'city-management': ['占道经营严重', '垃圾桶满了没人清', '店招掉了一半', '路灯不亮', '井盖松动'],
  housing: ['物业不作为', '电梯经常停运', '房屋漏水', '公摊面积有疑问', '维修基金使用不公开'],
  traffic: ['红绿灯时间太短', '公交车站太远', '路口经常堵车', '违停占用人行道', '共享单车乱停'],
  environment: ['夜间施工噪音扰民', '餐馆油烟很大', '河道有异味', '工地扬尘', '烧烤摊排烟'],
  labour: ['公司拖欠工资', '社保没有缴纳', '加班不给加班费', '劳动合同不签', '辞职后押金不退'],
  education: ['学校门口交通混乱', '课后服务收费', '入学划片不清楚', '校车超载', '食堂饭菜质量差'],
  health: ['医院排队太久', '药店售假药', '社区医院缺药', '医保报销慢', '诊所无证行医'],
  'public-security': ['小区有人偷电瓶车', '夜里有人打架', '电信诈骗', '楼道堆放杂物有火灾隐患', '监控坏了'],
  market: ['网购退款难', '商家缺斤少两', '预付卡老板跑路', '价格欺诈', '外卖食品安全'],
  other: ['想咨询政策', '表扬工作人员', '建议增加绿地', '办事窗口态度差', '网站打不开'],
};
const openings = ['你好，', '领导好！', '您好，我是附近居民，', '', '反映一个问题：', '请问', '尊敬的领导：'];
const details = [
  '已经持续很久了',
  '多次打电话没人管',
  '给生活带来很大不便',
  '老人小孩出门很危险',
  '周边居民意见很大',
  '希望引起重视',
  '上次反映后没有变化',
  '晚上尤其明显',
];
const requests = ['请尽快处理。', '希望有关部门管一管。', '盼复。', '谢谢！', '请给个说法。', '望早日解决。'];

export interface MonthLetter {
  id: string;
  citizenId: string;
  receivedAt: Date;
  channel: string;
  kind: string;
  mailbox: { id: string; name: string };
  topic: string;
  regionCode: string;
  text: string;
}

/** Letters per day: busy Mondays, quiet weekends; `start` is an Asia/Shanghai midnight. */
export function generateLetters(o: { start: Date; days: number; perDay: number; seed: number }): MonthLetter[] {
  const rnd = seeded(o.seed);
  const rhythm = [0.6, 1.35, 1.15, 1.05, 1.05, 1.0, 0.6]; // Sunday … Saturday
  const out: MonthLetter[] = [];
  for (let d = 0; d < o.days; d++) {
    const dayStart = o.start.getTime() + d * 86_400_000;
    const weekday = new Date(dayStart + 8 * 3600_000).getUTCDay();
    const n = Math.round(o.perDay * rhythm[weekday]! * (0.9 + rnd() * 0.2));
    for (let i = 0; i < n; i++) {
      // Office hours busier than the night.
      const hour = rnd() < 0.8 ? 8 + rnd() * 12 : rnd() * 24;
      const at = dayStart + hour * 3600_000;
      const topic = pick(rnd, seedTopics);
      const text = `${one(rnd, openings)}${one(rnd, places)}${1 + Math.floor(rnd() * 300)}号附近${one(rnd, problems[topic]!)}，${one(rnd, details)}，${2 + Math.floor(rnd() * 60)}天了，${one(rnd, requests)}`;
      out.push({
        id: uuidv7(at),
        citizenId: `citizen-${Math.floor(rnd() * 1e9)}`,
        receivedAt: new Date(at),
        channel: pick(rnd, channels),
        kind: pick(rnd, seedKinds),
        mailbox: pick<{ id: string; name: string }>(rnd, seedMailboxes),
        topic,
        regionCode: pick(rnd, seedRegions),
        text,
      });
    }
  }
  return out.sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime());
}

/** Inserts letters as already forwarded by the case store's own registration (`external`: never forwarded). */
export async function insertLetters(
  db: Db,
  letters: MonthLetter[],
  o: { withClassification?: boolean } = {},
): Promise<void> {
  for (let i = 0; i < letters.length; i += 500) {
    const chunk = letters.slice(i, i + 500);
    const rows = chunk.map((l) => ({
      id: l.id,
      channel: l.channel,
      citizen_id: l.citizenId,
      status: 'accepted',
      forward_state: 'external',
      extraction_code: '123456',
      serial: `GEN${l.receivedAt.getTime()}${l.id.slice(-4)}`,
      received_at: l.receivedAt.toISOString(),
      body: JSON.stringify({
        id: l.id,
        schemaVersion: 1,
        channel: l.channel,
        receivedAt: l.receivedAt.toISOString(),
        submittedAt: l.receivedAt.toISOString(),
        citizen: { channelUserId: l.citizenId, anonymous: false },
        mailbox: l.mailbox,
        kind: l.kind,
        body: l.text,
        attachments: [],
        visibility: 'private',
        extractionCode: '123456',
        sourceMessages: [],
      }),
      ...(o.withClassification ? { topic: l.topic, region_code: l.regionCode } : {}),
    }));
    const cols = Object.keys(rows[0]!);
    const values = rows.map((r) => sql`(${sql.join(cols.map((c) => sql`${(r as Record<string, unknown>)[c]}`))})`);
    await sql`insert into letters (${sql.join(cols.map((c) => sql.ref(c)))}) values ${sql.join(values)}`.execute(db);
  }
}
