// The web mailbox's citizen in the console's sandbox simulator: a verified phone. A simulated letter is stored as a
// draft written in the form and submitted by the same code as the browser's submit once the phone is verified, so its
// receipt, replies and survey go out by SMS to that phone like any web letter's.
import { randomUUID } from 'node:crypto';
import type { SimulatedCitizen, SimulatedLetter } from '../adapter.js';
import { AppError } from '../../errors.js';
import type { WebDeps } from './deps.js';
import { webKinds, type DraftContent } from './letter-form.js';
import { submitDraft } from './routes.js';
import { mainlandMobile } from './verify.js';
import { t } from './messages.zh-CN.js';

export function webSimulatedCitizen(d: WebDeps): SimulatedCitizen {
  return {
    identity: 'phone',
    defaultId: '+8613700137001',
    kinds: webKinds,
    async submitLetter(letter: SimulatedLetter) {
      const phone = mainlandMobile(letter.from);
      if (!phone) throw new AppError('request_invalid', { problems: [{ field: 'from', message: t('web.err.phone') }] });
      const kind = webKinds.find((k) => k === letter.kind);
      if (!kind) throw new AppError('request_invalid', { problems: [{ field: 'kind', message: t('web.err.kind') }] });
      // The mailbox the other channels' letters go to, when the directory has it; else the directory's first one.
      const mailbox = (await d.mailboxes.get(d.config.DEFAULT_MAILBOX_ID)) ?? (await firstOfTree(d));
      if (!mailbox) throw new AppError('conflict', { detail: t('web.err.mailbox') });
      const content: DraftContent = {
        mailboxId: mailbox.id,
        kind,
        title: '',
        body: letter.text,
        address: '',
        location: null,
        visibility: 'private',
        photos: [],
      };
      const draftId = randomUUID();
      await d.webDb
        .insertInto('web_drafts')
        .values({ id: draftId, content: JSON.stringify(content) })
        .execute();
      return { letterId: await submitDraft(d, draftId, content, null, mailbox, phone) };
    },
  };
}

async function firstOfTree(d: WebDeps) {
  const [root] = await d.mailboxes.tree();
  return root ? d.mailboxes.get(root.id) : null;
}
