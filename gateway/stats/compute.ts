// Channel statistics computed from the database for a date range, grouped by channel, mailbox, kind or origin: letters
// received, forwarded and rejected; replies sent and delivered; time from receipt to the first reply sent;
// satisfaction surveys sent and answered. Counts from 1 to 4 are published as "< 5" so small groups cannot point at
// a citizen.
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../store/db.js';
import { format } from '../i18n/catalogue.js';
import { messages } from './messages.zh-CN.js';

export const groupings = [
  'channel',
  'mailbox',
  'kind',
  'origin',
  'mailboxLevel',
  'department',
  'topic',
  'region',
] as const;
export type GroupBy = (typeof groupings)[number];
export type Count = number | '< 5';

/** Surveys of the group's letters. "Satisfied" counts 满意 and 基本满意 (scores 1 and 2), as the platform reports it. */
export interface SatisfactionStats {
  surveyed: Count;
  answered: Count;
  satisfied: Count;
  /** satisfied / answered, 0–1; null before any answer. */
  rate: number | null;
  /** answered / surveyed, 0–1; null before any survey. */
  responseRate: number | null;
}

export interface StatsGroup {
  key: string;
  received: Count;
  forwarded: Count;
  rejected: Count;
  repliesSent: Count;
  repliesDelivered: Count;
  repliedLetters: Count;
  /** Letters with at least one reply sent / letters forwarded, 0–1. */
  replyRate: number | null;
  firstReplyMedianHours: number | null;
  firstReplyAverageHours: number | null;
  satisfaction: SatisfactionStats;
}

export interface Stats {
  from: string;
  to: string;
  groupBy: GroupBy;
  totals: Omit<StatsGroup, 'key'>;
  groups: StatsGroup[];
  /** Letters received per day (Asia/Shanghai) and group. */
  daily: { date: string; counts: Record<string, Count> }[];
}

export const suppress = (n: number): Count => (n > 0 && n < 5 ? '< 5' : n);

/** Staff see exact counts (suppression is for published figures) and may bucket the series by week or month. */
export const buckets = ['day', 'week', 'month'] as const;
export type Bucket = (typeof buckets)[number];
export interface StatsOptions {
  exact?: boolean;
  bucket?: Bucket;
}

const groupExpr: Record<GroupBy, RawBuilder<string>> = {
  channel: sql<string>`l.channel`,
  mailbox: sql<string>`l.body->'mailbox'->>'name'`,
  kind: sql<string>`l.body->>'kind'`,
  // How the letter reached the platform: its channel, or the hotline/counter/mail it was registered from.
  origin: sql<string>`coalesce(l.body->>'origin', l.channel)`,
  // Issue 15's groupings (topic and region codes, the case store's department, the directory's office level).
  mailboxLevel: sql<string>`(select m.office_level from mailboxes m where m.id = l.body->'mailbox'->>'id')`,
  department: sql<string>`l.department`,
  topic: sql<string>`l.topic`,
  region: sql<string>`left(l.region_code, 6)`,
};

interface Row {
  key: string | null;
  received: string;
  forwarded: string;
  rejected: string;
  replies_sent: string;
  replies_delivered: string;
  replied_letters: string;
  median_s: number | null;
  avg_s: string | null;
  surveyed: string;
  answered: string;
  satisfied: string;
}

/** `from` inclusive and `to` exclusive, as dates (YYYY-MM-DD) in Asia/Shanghai. */
export async function computeStats(
  db: Db,
  range: { from: string; to: string },
  groupBy: GroupBy,
  options: StatsOptions = {},
): Promise<Stats> {
  const count = options.exact ? (n: number): Count => n : suppress;
  const bucket = options.bucket ?? 'day';
  const from = `${range.from}T00:00:00+08:00`;
  const to = `${range.to}T00:00:00+08:00`;
  const g = groupExpr[groupBy];
  const base = sql`
    with r as (
      select d.letter_id,
             count(*) filter (where d.status in ('sent', 'delivered')) as sent,
             count(*) filter (where d.status = 'delivered') as delivered,
             min(d.sent_at) filter (where d.status in ('sent', 'delivered')) as first_at
      from deliveries d join letters l on l.id = d.letter_id
      where d.kind = 'reply' and l.received_at >= ${from}::timestamptz and l.received_at < ${to}::timestamptz
      group by d.letter_id),
    sv as (
      select s.letter_id, count(*) as surveyed,
             count(*) filter (where s.state = 'answered') as answered,
             count(*) filter (where s.state = 'answered' and s.score in (1, 2)) as satisfied
      from surveys s join letters l on l.id = s.letter_id
      where l.received_at >= ${from}::timestamptz and l.received_at < ${to}::timestamptz
      group by s.letter_id)`;
  const measures = sql`count(*) as received,
      -- Letters the case store registered itself (external) are at the case store as much as forwarded ones.
      count(*) filter (where l.forward_state in ('forwarded', 'external')) as forwarded,
      count(*) filter (where l.forward_state = 'rejected') as rejected,
      coalesce(sum(r.sent), 0) as replies_sent,
      coalesce(sum(r.delivered), 0) as replies_delivered,
      count(r.first_at) filter (where r.sent > 0) as replied_letters,
      percentile_cont(0.5) within group (order by extract(epoch from r.first_at - l.received_at)) as median_s,
      avg(extract(epoch from r.first_at - l.received_at)) as avg_s,
      coalesce(sum(sv.surveyed), 0) as surveyed,
      coalesce(sum(sv.answered), 0) as answered,
      coalesce(sum(sv.satisfied), 0) as satisfied`;
  const where = sql`l.received_at >= ${from}::timestamptz and l.received_at < ${to}::timestamptz`;
  const [grouped, total, daily] = await Promise.all([
    sql<Row>`${base} select ${g} as key, ${measures} from letters l left join r on r.letter_id = l.id left join sv on sv.letter_id = l.id where ${where} group by 1 order by 2 desc`.execute(
      db,
    ),
    sql<Row>`${base} select null as key, ${measures} from letters l left join r on r.letter_id = l.id left join sv on sv.letter_id = l.id where ${where}`.execute(
      db,
    ),
    sql<{ day: string; key: string | null; n: string }>`
      select to_char(date_trunc(${bucket}, l.received_at at time zone 'Asia/Shanghai'), 'YYYY-MM-DD') as day, ${g} as key, count(*) as n
      from letters l where ${where} group by 1, 2 order by 1`.execute(db),
  ]);
  const days = new Map<string, Record<string, Count>>();
  for (let d = bucketStart(range.from, bucket); d < new Date(`${range.to}T00:00:00Z`); d = nextBucket(d, bucket)) {
    days.set(d.toISOString().slice(0, 10), {});
  }
  for (const r of daily.rows) {
    const counts = days.get(r.day);
    if (counts) counts[r.key ?? format(messages, 'stats.unknown')] = count(Number(r.n));
  }
  const { key: _key, ...totals } = toGroup(total.rows[0]!, count);
  return {
    from: range.from,
    to: range.to,
    groupBy,
    totals,
    groups: grouped.rows.map((r) => toGroup(r, count)),
    daily: [...days].map(([date, counts]) => ({ date, counts })),
  };
}

/** The first day of the bucket holding `day` (weeks start on Monday, as date_trunc has them). */
function bucketStart(day: string, bucket: Bucket): Date {
  const d = new Date(`${day}T00:00:00Z`);
  if (bucket === 'week') return new Date(d.getTime() - ((d.getUTCDay() + 6) % 7) * 86_400_000);
  if (bucket === 'month') return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
  return d;
}

function nextBucket(d: Date, bucket: Bucket): Date {
  if (bucket === 'month') return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
  return new Date(d.getTime() + (bucket === 'week' ? 7 : 1) * 86_400_000);
}

function toGroup(r: Row, suppress: (n: number) => Count): StatsGroup {
  const n = (v: string) => Number(v);
  const hours = (s: number | string | null) => (s === null ? null : Math.round((Number(s) / 3600) * 10) / 10);
  return {
    key: r.key ?? format(messages, 'stats.unknown'),
    received: suppress(n(r.received)),
    forwarded: suppress(n(r.forwarded)),
    rejected: suppress(n(r.rejected)),
    repliesSent: suppress(n(r.replies_sent)),
    repliesDelivered: suppress(n(r.replies_delivered)),
    repliedLetters: suppress(n(r.replied_letters)),
    replyRate: n(r.forwarded) > 0 ? Math.round((n(r.replied_letters) / n(r.forwarded)) * 1000) / 1000 : null,
    firstReplyMedianHours: hours(r.median_s),
    firstReplyAverageHours: hours(r.avg_s),
    satisfaction: {
      surveyed: suppress(n(r.surveyed)),
      answered: suppress(n(r.answered)),
      satisfied: suppress(n(r.satisfied)),
      rate: n(r.answered) > 0 ? Math.round((n(r.satisfied) / n(r.answered)) * 1000) / 1000 : null,
      responseRate: n(r.surveyed) > 0 ? Math.round((n(r.answered) / n(r.surveyed)) * 1000) / 1000 : null,
    },
  };
}
