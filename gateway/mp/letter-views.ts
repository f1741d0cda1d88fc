// What citizens see of a letter: its progress as a timeline (received → accepted with serial → replies → closed),
// built from the letter row and the reply deliveries queued by the case store's API; the citizen's own view adds their
// follow-ups (追问 / 补充材料), the topic and region, and the department and deadline the case store reported.
import type { Letter } from '../../shared/letter.js';
import type {
  MpLetterDetail,
  MpLetterStatus,
  MpLetterSummary,
  MpQueryAnswer,
  TimelineEntry,
} from '../../shared/mp-api.js';
import type { Db } from '../store/db.js';
import type { AttachmentStore } from '../attachments/store.js';
import { wechatMpChannel } from '../channels/wechat-mp/channel-id.js';
import { regionName, topicName } from '../classification/names.js';

interface LetterRow {
  id: string;
  status: MpLetterStatus;
  serial: string | null;
  body: Letter;
  received_at: Date;
  forwarded_at: Date | null;
  status_changed_at: Date;
}

const iso = (d: Date | string) => new Date(d).toISOString();

export function summaryOf(r: LetterRow): MpLetterSummary {
  return {
    id: r.id,
    serial: r.serial,
    status: r.status,
    kind: r.body.kind,
    title: r.body.title ?? [...r.body.body].slice(0, 20).join(''),
    mailbox: r.body.mailbox.name,
    receivedAt: iso(r.received_at),
  };
}

export async function timelineOf(db: Db, r: LetterRow): Promise<TimelineEntry[]> {
  const t: TimelineEntry[] = [{ type: 'received', at: iso(r.received_at) }];
  if (r.serial) t.push({ type: 'accepted', at: iso(r.forwarded_at ?? r.status_changed_at), serial: r.serial });
  const replies = await db
    .selectFrom('deliveries')
    .select(['variables', 'created_at'])
    .where('letter_id', '=', r.id)
    .where('kind', '=', 'reply')
    .orderBy('seq')
    .execute();
  // A long reply may be queued in parts on some channels; the parts of one reply are joined again here.
  for (const d of replies) {
    const text = d.variables.replyText ?? '';
    const last = t[t.length - 1];
    if (d.variables.partNumber && d.variables.partNumber !== '1' && last?.type === 'reply') last.text += text;
    else t.push({ type: 'reply', at: iso(d.created_at), text });
  }
  if (r.status === 'closed') t.push({ type: 'closed', at: iso(r.status_changed_at) });
  return t;
}

const columns = ['id', 'status', 'serial', 'body', 'received_at', 'forwarded_at', 'status_changed_at'] as const;

export async function listOwn(db: Db, openid: string): Promise<MpLetterSummary[]> {
  const rows = await db
    .selectFrom('letters')
    .select(columns)
    .where('channel', '=', wechatMpChannel)
    .where('citizen_id', '=', openid)
    .orderBy('created_at', 'desc')
    .limit(200)
    .execute();
  return rows.map((r) => summaryOf(r));
}

export async function detailOwn(
  db: Db,
  attachments: AttachmentStore,
  openid: string,
  id: string,
): Promise<MpLetterDetail | null> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return null;
  const row = await db
    .selectFrom('letters')
    .select([...columns, 'topic', 'region_code', 'department', 'deadline_at'])
    .where('id', '=', id)
    .where('channel', '=', wechatMpChannel)
    .where('citizen_id', '=', openid)
    .executeTakeFirst();
  if (!row) return null;
  const r = row;
  // Until the classifier has filed the letter (moments after storing), what the letter itself carries.
  const [topic, region] = await Promise.all([
    r.topic ? topicName(db, r.topic) : (r.body.topic?.name ?? null),
    r.region_code ? regionName(r.region_code, r.body.region) : (r.body.region?.name ?? null),
  ]);
  const photos = r.body.attachments.flatMap((a) => ('url' in a ? [freshUrl(attachments, a.url)] : []));
  return {
    ...summaryOf(r),
    extractionCode: r.body.extractionCode,
    body: r.body.body,
    photos,
    ...(r.body.location ? { location: r.body.location } : {}),
    visibility: r.body.visibility,
    timeline: withFollowups(await timelineOf(db, r), await followupsOf(db, attachments, r.id)),
    survey: await surveyOf(db, r.id),
    ...(topic ? { topic } : {}),
    ...(region ? { region } : {}),
    ...(r.department ? { department: r.department } : {}),
    ...(r.deadline_at ? { deadline: r.deadline_at.toISOString() } : {}),
  };
}

/** The citizen's own follow-ups as timeline entries, photos signed afresh. */
async function followupsOf(db: Db, attachments: AttachmentStore, letterId: string): Promise<TimelineEntry[]> {
  const rows = await db
    .selectFrom('mp_followups')
    .select(['text', 'attachment_ids', 'created_at'])
    .where('letter_id', '=', letterId)
    .orderBy('created_at')
    .execute();
  return rows.map((f) => ({
    type: 'followup' as const,
    at: iso(f.created_at),
    text: f.text,
    photos: f.attachment_ids.map((id) => attachments.signedUrl(id)),
  }));
}

/** Follow-ups go in by time; closing stays last whatever the clocks say. */
function withFollowups(timeline: TimelineEntry[], followups: TimelineEntry[]): TimelineEntry[] {
  if (followups.length === 0) return timeline;
  const closed = timeline.filter((e) => e.type === 'closed');
  const rest = [...timeline.filter((e) => e.type !== 'closed'), ...followups];
  // A stable sort: entries of the same instant keep their order (received before accepted before replies).
  return [...rest.sort((a, b) => Date.parse(a.at) - Date.parse(b.at)), ...closed];
}

async function surveyOf(db: Db, letterId: string): Promise<MpLetterDetail['survey']> {
  const s = await db
    .selectFrom('surveys')
    .select(['state', 'score'])
    .where('letter_id', '=', letterId)
    .executeTakeFirst();
  if (!s) return null;
  // To the citizen a withdrawn survey has simply ended, as an expired one has.
  const state = s.state === 'withdrawn' ? 'expired' : s.state;
  return { state, score: s.score === 1 || s.score === 2 || s.score === 3 ? s.score : null };
}

/** The letter's stored URL may have expired: sign the same attachment again. */
function freshUrl(attachments: AttachmentStore, url: string): string {
  const id = /\/attachments\/([0-9a-f-]{36})\?/.exec(url)?.[1];
  return id ? attachments.signedUrl(id) : url;
}

export async function queryView(db: Db, row: LetterRow): Promise<MpQueryAnswer> {
  const s = summaryOf(row);
  return {
    serial: row.serial!,
    status: s.status,
    kind: s.kind,
    title: s.title,
    mailbox: s.mailbox,
    receivedAt: s.receivedAt,
    timeline: await timelineOf(db, row),
  };
}

export type { LetterRow };
export { columns as letterColumns };
