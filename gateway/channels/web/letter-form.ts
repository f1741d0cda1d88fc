// The letter form: reading and checking what the citizen wrote (every problem named by its field, in Chinese), and
// rendering the form again with those problems beside their fields.
import { kindLabels, LETTER_LIMITS, type LetterKind } from '../../../shared/letter.js';
import type { AttachmentStore } from '../../attachments/store.js';
import { detectImageType } from '../../mp/image-type.js';
import type { MailboxEntry } from '../../mp/mailboxes.js';
import type { FormPost } from './forms.js';
import { describedBy, errorSummary, fieldError, hidden, html, type FieldErrors, type Html } from './html.js';
import { t } from './messages.zh-CN.js';

export const webKinds = ['complaint', 'suggestion', 'consultation', 'praise'] as const satisfies readonly LetterKind[];
export const MAX_PHOTOS = 9;
const ADDRESS_MAX = 300;

export interface DraftPhoto {
  attachmentId: string;
  contentType: string;
  bytes: number;
  sha256: string;
}

/** What a draft holds: the letter as written, checked, photos already stored. */
export interface DraftContent {
  mailboxId: string;
  kind: (typeof webKinds)[number];
  title: string;
  body: string;
  address: string;
  location: { latitude: number; longitude: number } | null;
  visibility: 'public' | 'private';
  photos: DraftPhoto[];
  /** The citizen's topic from the platform's taxonomy; absent when they left it to staff (then it is inferred). */
  topic?: TopicChoice;
  /** The district/county or street the citizen picked (street named with its county); absent: the mailbox's region. */
  region?: { code: string; name: string };
}

/** A topic the citizen can pick: the current taxonomy's entries, by code and name. */
export interface TopicChoice {
  code: string;
  name: string;
}

/** A district/county of the city the citizen can pick, with its townships/streets (REGION_CITY_CODE). */
export interface RegionChoice {
  code: string;
  name: string;
  streets: { code: string; name: string }[];
}

/** The picked code as the letter names it (a street with its county), or undefined when it is not the city's. */
function regionOf(regions: readonly RegionChoice[], code: string): { code: string; name: string } | undefined {
  for (const r of regions) {
    if (r.code === code) return { code: r.code, name: r.name };
    const s = r.streets.find((x) => x.code === code);
    if (s) return { code: s.code, name: `${r.name}${s.name}` };
  }
  return undefined;
}

/** The form's values as typed, to show again after a problem. */
export type FormValues = Partial<
  Record<
    'mailbox' | 'kind' | 'topic' | 'region' | 'title' | 'body' | 'address' | 'latitude' | 'longitude' | 'visibility',
    string
  >
>;

const chars = (s: string) => [...s].length;

export async function readLetterForm(
  form: FormPost,
  mailbox: MailboxEntry | null,
  attachments: AttachmentStore,
  photoMaxBytes: number,
  topics: readonly TopicChoice[],
  regions: readonly RegionChoice[],
): Promise<{ ok: true; content: DraftContent } | { ok: false; errors: FieldErrors; values: FormValues }> {
  const values: FormValues = {};
  for (const k of [
    'mailbox',
    'kind',
    'topic',
    'region',
    'title',
    'body',
    'address',
    'latitude',
    'longitude',
    'visibility',
  ] as const)
    values[k] = form.field(k);
  const errors: FieldErrors = {};
  const mb = (photoMaxBytes / 1024 / 1024).toFixed(0);
  if (!mailbox) errors.mailbox = t('web.err.mailbox');
  const kind = webKinds.find((k) => k === values.kind);
  if (!kind) errors.kind = t('web.err.kind');
  // Optional: an empty choice leaves the topic to staff; a code not in the current taxonomy is a problem to fix.
  const topic = values.topic ? topics.find((c) => c.code === values.topic) : undefined;
  if (values.topic && !topic) errors.topic = t('web.err.topic');
  // Optional too: empty leaves the mailbox's region; a code outside the city's list is a problem to fix.
  const region = values.region ? regionOf(regions, values.region) : undefined;
  if (values.region && !region) errors.region = t('web.err.region');
  if (chars(values.title!) > LETTER_LIMITS.titleMax) errors.title = t('web.err.titleLong');
  if (!values.body) errors.body = t('web.err.body');
  else if (chars(values.body) > LETTER_LIMITS.bodyMax) errors.body = t('web.err.bodyLong');
  if (chars(values.address!) > ADDRESS_MAX) errors.address = t('web.err.addressLong');
  const visibility = values.visibility === 'public' || values.visibility === 'private' ? values.visibility : null;
  if (!visibility) errors.visibility = t('web.err.visibility');
  let location: DraftContent['location'] = null;
  if (values.latitude || values.longitude) {
    const latitude = Number(values.latitude);
    const longitude = Number(values.longitude);
    if (!values.latitude || !values.longitude || !(Math.abs(latitude) <= 90) || !(Math.abs(longitude) <= 180))
      errors.address = t('web.err.location');
    else location = { latitude, longitude };
  }
  const files = form.files('photos');
  const photos: { data: Buffer; contentType: string }[] = [];
  if (files.length > MAX_PHOTOS) errors.photos = t('web.err.photosMany');
  else {
    for (const f of files) {
      if (f.size > photoMaxBytes) {
        errors.photos = t('web.err.photoBig', { name: f.name, mb });
        break;
      }
      const data = Buffer.from(await f.arrayBuffer());
      const contentType = detectImageType(data);
      if (!contentType) {
        errors.photos = t('web.err.photoType', { name: f.name });
        break;
      }
      photos.push({ data, contentType });
    }
  }
  if (Object.keys(errors).length > 0 || !kind || !visibility || !mailbox) return { ok: false, errors, values };
  // Photos are kept only once the whole form is right, so a refused form stores nothing.
  const stored: DraftPhoto[] = [];
  for (const p of photos) {
    const ref = await attachments.put(p);
    stored.push({ attachmentId: ref.attachmentId, contentType: ref.contentType, bytes: ref.bytes, sha256: ref.sha256 });
  }
  return {
    ok: true,
    content: {
      mailboxId: mailbox.id,
      kind,
      title: values.title!,
      body: values.body!,
      address: values.address!,
      location,
      visibility,
      photos: stored,
      ...(topic ? { topic: { code: topic.code, name: topic.name } } : {}),
      ...(region ? { region } : {}),
    },
  };
}

export function writeForm(
  mailbox: MailboxEntry,
  csrf: string,
  values: FormValues,
  errors: FieldErrors,
  photoMaxBytes: number,
  topics: readonly TopicChoice[],
  regions: readonly RegionChoice[],
): Html {
  // A fresh form starts at the mailbox's district or street (when it is one of the city's); the citizen may change it.
  const regionDefault =
    values.region === undefined && mailbox.region && regionOf(regions, mailbox.region.code) ? mailbox.region.code : '';
  const v = (k: keyof FormValues) => values[k] ?? (k === 'region' ? regionDefault : '');
  const option = (field: 'topic' | 'region', value: string, label: string) =>
    html`<option value="${value}"${v(field) === value ? html` selected` : ''}>${label}</option>`;
  const radio = (name: 'kind' | 'visibility', value: string, label: string) =>
    html`<label class="choice"><input type="radio" name="${name}" value="${value}"${values[name] === value ? html` checked` : ''} required> ${label}</label>`;
  return html`${errorSummary(errors)}
<p>${t('web.write.to', { name: mailbox.path.join(' › ') })} <a href="/web/">${t('web.write.change')}</a></p>
<form method="post" action="/web/drafts" enctype="multipart/form-data" novalidate>
${hidden('_csrf', csrf)}${hidden('mailbox', mailbox.id)}
<fieldset id="kind"${describedBy('kind', errors, false)}><legend>${t('web.write.kind')}</legend>${fieldError('kind', errors)}
${webKinds.map((k) => radio('kind', k, kindLabels[k]))}</fieldset>
<div class="field"><label for="topic">${t('web.write.topic')}</label><p class="hint" id="topic-hint">${t('web.write.topicHint')}</p>${fieldError('topic', errors)}
<select id="topic" name="topic"${describedBy('topic', errors, true)}>${option('topic', '', t('web.write.topicUnsure'))}${topics.map((c) => option('topic', c.code, c.name))}</select></div>
<div class="field"><label for="region">${t('web.write.region')}</label><p class="hint" id="region-hint">${t('web.write.regionHint')}</p>${fieldError('region', errors)}
<select id="region" name="region"${describedBy('region', errors, true)}>${option('region', '', t('web.write.regionUnsure'))}${regions.map(
    (r) =>
      html`<optgroup label="${r.name}">${option('region', r.code, t('web.write.regionWhole', { name: r.name }))}${r.streets.map((s) => option('region', s.code, s.name))}</optgroup>`,
  )}</select></div>
<div class="field"><label for="title">${t('web.write.titleLabel')}</label><p class="hint" id="title-hint">${t('web.write.titleHint')}</p>${fieldError('title', errors)}
<input id="title" name="title" maxlength="${LETTER_LIMITS.titleMax}" value="${v('title')}"${describedBy('title', errors, true)}></div>
<div class="field"><label for="body">${t('web.write.body')}</label><p class="hint" id="body-hint">${t('web.write.bodyHint')}</p>${fieldError('body', errors)}
<textarea id="body" name="body" rows="10" required${describedBy('body', errors, true)}>${v('body')}</textarea></div>
<div class="field"><label for="photos">${t('web.write.photos')}</label><p class="hint" id="photos-hint">${t('web.write.photosHint', { mb: (photoMaxBytes / 1024 / 1024).toFixed(0) })}</p>${fieldError('photos', errors)}
<input type="file" id="photos" name="photos" accept="image/jpeg,image/png,image/gif,image/webp" multiple${describedBy('photos', errors, true)}></div>
<div class="field"><label for="address">${t('web.write.address')}</label><p class="hint" id="address-hint">${t('web.write.addressHint')}</p>${fieldError('address', errors)}
<input id="address" name="address" maxlength="${ADDRESS_MAX}" value="${v('address')}"${describedBy('address', errors, true)}>
${hidden('latitude', v('latitude'))}${hidden('longitude', v('longitude'))}
<button type="button" class="secondary" id="locate" hidden data-ok="${t('web.write.located')}" data-fail="${t('web.write.locateFailed')}">${t('web.write.locate')}</button>
<p id="locate-status" role="status"></p></div>
<fieldset id="visibility"${describedBy('visibility', errors, false)}><legend>${t('web.write.visibility')}</legend>${fieldError('visibility', errors)}
${radio('visibility', 'private', t('web.write.private'))}${radio('visibility', 'public', t('web.write.public'))}</fieldset>
<button type="submit">${t('web.write.next')}</button>
</form>`;
}
