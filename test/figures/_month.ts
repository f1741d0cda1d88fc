// A generated month of letters shaped like the platform's seed month (kinds, mailbox levels, topic shares, deadlines,
// resolutions, survey answers), inserted straight into the tables, with each letter's facts kept for hand computation.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../gateway/store/db.js';

export interface GenLetter {
  id: string;
  channel: string;
  mailbox: string;
  level: string;
  department: string;
  kind: string;
  topic: string;
  region: string;
  /** Asia/Shanghai day of receipt. */
  day: string;
  rejected: boolean;
  receivedAt: Date;
  repliedAt: Date | null;
  deadlineAt: Date | null;
  resolved: boolean | null;
  survey: { state: 'open' | 'answered' | 'expired'; score: number | null } | null;
}

// A small deterministic generator, so a failure can be reproduced.
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const pickWeighted = <T>(r: () => number, items: [T, number][]): T => {
  const total = items.reduce((a, [, w]) => a + w, 0);
  let x = r() * total;
  for (const [v, w] of items) if ((x -= w) < 0) return v;
  return items[items.length - 1]![0];
};

const mailboxes: [string, string, number][] = [
  ['city-secretary', 'party-secretary', 1338],
  ['city-mayor', 'mayor', 3000],
  ['city-12345', 'mayor', 1773],
  ['district-510104', 'district', 400],
  ['district-510105', 'district', 259],
  ['street-510104-01', 'street', 26],
];
const kinds: [string, number][] = [
  ['complaint', 3358],
  ['suggestion', 608],
  ['consultation', 419],
  ['praise', 48],
  ['other', 2363],
];
const topics: [string, number][] = [
  ['city-management', 1354],
  ['housing', 1211],
  ['traffic', 920],
  ['environment', 800],
  ['labour', 700],
  ['education', 600],
  ['health', 500],
  ['market', 500],
  ['utilities', 400],
  ['other', 1015],
];
const regions: [string, number][] = [
  ['510104', 30],
  ['510105', 20],
  ['510107', 25],
  ['510107001', 5],
  ['510107064', 5],
  ['', 15],
];
const departments: [string, number][] = [
  ['市城管委', 30],
  ['市住建局', 25],
  ['市交通运输局', 20],
  ['武侯区政府', 15],
  ['', 10],
];
const channelsW: [string, number][] = [
  ['wechat-mp', 50],
  ['wechat-oa', 30],
  ['sms', 20],
];

/** `count` letters received on the days from `from` (inclusive, YYYY-MM-DD) over `days` days. */
export function generate(seed: number, from: string, days: number, count: number): GenLetter[] {
  const r = prng(seed);
  const out: GenLetter[] = [];
  for (let i = 0; i < count; i++) {
    const d = Math.floor(r() * days);
    const day = new Date(Date.parse(`${from}T00:00:00Z`) + d * 86_400_000).toISOString().slice(0, 10);
    // Whole eighths of a day (3 hours): exact in single precision, so medians compare exactly.
    const receivedAt = new Date(Date.parse(`${day}T00:00:00+08:00`) + Math.floor(r() * 8) * 3 * 3600_000);
    const [mailbox, level] = (() => {
      const m = pickWeighted(
        r,
        mailboxes.map(([id, lvl, w]) => [[id, lvl] as [string, string], w]),
      );
      return m;
    })();
    const rejected = r() < 0.01;
    const replied = !rejected && r() < 0.992;
    const cycleEighths = 1 + Math.floor(r() * 120);
    const repliedAt = replied ? new Date(receivedAt.getTime() + cycleEighths * 3 * 3600_000) : null;
    const hasDeadline = r() < 0.9;
    const deadlineAt = hasDeadline ? new Date(receivedAt.getTime() + (40 + Math.floor(r() * 30)) * 3 * 3600_000) : null;
    const resolved = replied && r() < 0.85 ? r() < 0.904 : null;
    const sv: { state: 'open' | 'answered' | 'expired'; score: number | null } | null =
      replied && r() < 0.7
        ? r() < 0.8
          ? {
              state: 'answered',
              score: pickWeighted(r, [
                [1, 70],
                [2, 21],
                [3, 9],
              ]),
            }
          : { state: r() < 0.5 ? 'open' : 'expired', score: null }
        : null;
    out.push({
      id: randomUUID(),
      channel: pickWeighted(r, channelsW),
      mailbox,
      level,
      department: pickWeighted(r, departments),
      kind: pickWeighted(r, kinds),
      topic: pickWeighted(r, topics),
      region: pickWeighted(r, regions),
      day,
      rejected,
      receivedAt,
      repliedAt,
      deadlineAt,
      resolved,
      survey: sv,
    });
  }
  return out;
}

export async function insert(db: Db, letters: GenLetter[]): Promise<void> {
  for (let i = 0; i < letters.length; i += 1000) {
    const chunk = letters.slice(i, i + 1000);
    await sql`
      insert into letters (id, channel, citizen_id, status, forward_state, extraction_code, body, received_at, replied_at, deadline_at,
                           resolved, topic, region_code, department, classification_evidence)
      select v.id, v.channel, 'citizen', v.status, v.fs, '123456', v.body, v.received_at, v.replied_at, v.deadline_at, v.resolved,
             v.topic, nullif(v.region, ''), nullif(v.department, ''), '{}'::jsonb
      from unnest(${chunk.map((l) => l.id)}::uuid[], ${chunk.map((l) => l.channel)}::text[],
                  ${chunk.map((l) => (l.rejected ? 'rejected' : l.resolved !== null ? 'closed' : l.repliedAt ? 'replied' : 'accepted'))}::text[],
                  ${chunk.map((l) => (l.rejected ? 'rejected' : 'forwarded'))}::text[],
                  ${chunk.map((l) => JSON.stringify({ mailbox: { id: l.mailbox, name: l.mailbox }, kind: l.kind, body: '…' }))}::jsonb[],
                  ${chunk.map((l) => l.receivedAt.toISOString())}::timestamptz[], ${chunk.map((l) => l.repliedAt?.toISOString() ?? null)}::timestamptz[],
                  ${chunk.map((l) => l.deadlineAt?.toISOString() ?? null)}::timestamptz[], ${chunk.map((l) => l.resolved)}::boolean[],
                  ${chunk.map((l) => l.topic)}::text[], ${chunk.map((l) => l.region)}::text[], ${chunk.map((l) => l.department)}::text[])
        as v(id, channel, status, fs, body, received_at, replied_at, deadline_at, resolved, topic, region, department)`.execute(
      db,
    );
    const surveyed = chunk.filter((l) => l.survey);
    if (surveyed.length > 0) {
      await sql`
        insert into surveys (id, letter_id, channel, recipient, trigger, state, expires_at, score, answered_at)
        select gen_random_uuid(), v.id, 'sms', 'citizen', 'closed', v.state, now(), v.score, case when v.state = 'answered' then now() end
        from unnest(${surveyed.map((l) => l.id)}::uuid[], ${surveyed.map((l) => l.survey!.state)}::text[], ${surveyed.map((l) => l.survey!.score)}::int[])
          as v(id, state, score)`.execute(db);
    }
  }
}

const rate = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 10000) / 10000 : null);
const days2 = (v: number) => Math.round(v * 100) / 100;

/** The KPIs of a set of letters, computed by hand from the generated facts. */
export function hand(letters: GenLetter[]) {
  const ls = letters.filter((l) => !l.rejected);
  const replied = ls.filter((l) => l.repliedAt);
  const cycles = replied
    .map((l) => (l.repliedAt!.getTime() - l.receivedAt.getTime()) / 86_400_000)
    .sort((a, b) => a - b);
  const closed = ls.filter((l) => l.resolved !== null);
  const resolved = ls.filter((l) => l.resolved === true);
  const answered = ls.filter((l) => l.survey?.state === 'answered');
  const satisfied = answered.filter((l) => l.survey!.score === 1 || l.survey!.score === 2);
  const now = Date.now();
  const due = ls.filter((l) => l.deadlineAt && (l.repliedAt || l.deadlineAt.getTime() <= now));
  const overdue = due.filter((l) => (l.repliedAt ? l.repliedAt > l.deadlineAt! : true));
  const mid = cycles.length / 2;
  const median =
    cycles.length === 0 ? null : cycles.length % 2 ? cycles[Math.floor(mid)]! : (cycles[mid - 1]! + cycles[mid]!) / 2;
  return {
    received: ls.length,
    replied: replied.length,
    replyRate: rate(replied.length, ls.length),
    closed: closed.length,
    resolved: resolved.length,
    resolutionRate: rate(resolved.length, closed.length),
    answered: answered.length,
    satisfied: satisfied.length,
    satisfactionRate: rate(satisfied.length, answered.length),
    due: due.length,
    overdue: overdue.length,
    overdueRate: rate(overdue.length, due.length),
    averageReplyDays: cycles.length ? days2(cycles.reduce((a, b) => a + b, 0) / cycles.length) : null,
    medianReplyDays: median === null ? null : days2(median),
  };
}

/** The key a letter has in a grouping, as the KPI module keys it. */
export function keyOf(l: GenLetter, g: string): string {
  switch (g) {
    case 'channel':
      return l.channel;
    case 'mailbox':
      return l.mailbox;
    case 'mailboxLevel':
      return l.level;
    case 'department':
      return l.department;
    case 'kind':
      return l.kind;
    case 'topic':
      return l.topic;
    case 'region':
      return l.region.slice(0, 6);
    default:
      throw new Error(g);
  }
}
