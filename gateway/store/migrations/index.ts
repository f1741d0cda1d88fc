// The ordered list of migrations. Names sort in the order they run; each channel or feature adds its own file and
// one line here. Features own number ranges (core 0001+, conversation 0100+, official account 0200+, SMS 0300+,
// mini-program 0400+, staff console 0500+), so a database may have run a later range first: the migrator allows it.
import type { Migration } from 'kysely';
import * as foundation from './0001-foundation.js';
import * as attachments from './0002-attachments.js';
import * as caseEvents from './0003-case-events.js';
import * as letterStatus from './0004-letter-status.js';
import * as surveys from './0005-surveys.js';
import * as deliveryPlans from './0006-delivery-plans.js';
import * as statsIndexes from './0007-stats-indexes.js';
import * as deliveryOrder from './0008-delivery-order.js';
import * as conversation from './0100-conversation.js';
import * as wechatOa from './0200-wechat-oa.js';
import * as wechatTokenErrors from './0201-wechat-token-errors.js';
import * as sms from './0300-sms.js';
import * as wechatMp from './0400-wechat-mp.js';
import * as mpSharedToken from './0401-mp-shared-token.js';
import * as staffConsole from './0500-staff-console.js';
import * as rawUplinkText from './0600-raw-uplink-text.js';
import * as caseStoreBackoff from './0620-case-store-backoff.js';
import * as registeredLetters from './0670-registered-letters.js';
import * as privacy from './0650-privacy.js';
import * as fairForwarding from './0610-fair-forwarding.js';
import * as guards from './0640-guards.js';
import * as optOutSource from './0621-opt-out-source.js';
import * as backlogAge from './0630-backlog-age.js';
import * as completeStatusHistory from './0690-complete-status-history.js';
import * as piiLookupHash from './0700-pii-lookup-hash.js';
import * as warnings from './0850-warnings.js';
import * as publicDisclosure from './0851-public.js';
import * as topicRegion from './0830-topic-region.js';
import * as classificationQueue from './0831-classification-queue.js';
import * as mpMediaCheck from './0870-mp-media-check.js';
import * as mpMessageReads from './0871-mp-message-reads.js';
import * as mpFollowups from './0872-mp-followups.js';
import * as webMailbox from './0810-web-mailbox.js';
import * as monthlyReports from './0860-monthly-reports.js';
import * as publicLetterRef from './0910-public-letter-ref.js';
import * as mpMessageReadMarks from './0911-mp-message-read-marks.js';
import * as piiIds from './0920-pii-ids.js';
import * as smsPii from './0921-sms-pii.js';
import * as letterPhoneTail from './0922-letter-phone-tail.js';
import * as sandboxProviders from './0940-sandbox-providers.js';
import * as sandboxDueReports from './0960-sandbox-due-reports.js';
import * as surveyByPhoneIndex from './0970-survey-by-phone-index.js';
import * as heldConfirmations from './1040-held-confirmations.js';
import * as conversationClaims from './1060-conversation-claims.js';

export const migrations: Record<string, Migration> = {
  '0001-foundation': foundation,
  '0002-attachments': attachments,
  '0003-case-events': caseEvents,
  '0004-letter-status': letterStatus,
  '0005-surveys': surveys,
  '0006-delivery-plans': deliveryPlans,
  '0007-stats-indexes': statsIndexes,
  '0008-delivery-order': deliveryOrder,
  '0100-conversation': conversation,
  '0200-wechat-oa': wechatOa,
  '0201-wechat-token-errors': wechatTokenErrors,
  '0300-sms': sms,
  '0400-wechat-mp': wechatMp,
  '0401-mp-shared-token': mpSharedToken,
  '0500-staff-console': staffConsole,
  '0600-raw-uplink-text': rawUplinkText,
  '0620-case-store-backoff': caseStoreBackoff,
  '0670-registered-letters': registeredLetters,
  '0650-privacy': privacy,
  '0610-fair-forwarding': fairForwarding,
  '0640-guards': guards,
  '0621-opt-out-source': optOutSource,
  '0630-backlog-age': backlogAge,
  '0690-complete-status-history': completeStatusHistory,
  '0700-pii-lookup-hash': piiLookupHash,
  '0850-warnings': warnings,
  '0851-public': publicDisclosure,
  '0830-topic-region': topicRegion,
  '0831-classification-queue': classificationQueue,
  '0870-mp-media-check': mpMediaCheck,
  '0871-mp-message-reads': mpMessageReads,
  '0872-mp-followups': mpFollowups,
  '0810-web-mailbox': webMailbox,
  '0860-monthly-reports': monthlyReports,
  '0910-public-letter-ref': publicLetterRef,
  '0911-mp-message-read-marks': mpMessageReadMarks,
  '0920-pii-ids': piiIds,
  '0921-sms-pii': smsPii,
  '0922-letter-phone-tail': letterPhoneTail,
  '0940-sandbox-providers': sandboxProviders,
  '0960-sandbox-due-reports': sandboxDueReports,
  '0970-survey-by-phone-index': surveyByPhoneIndex,
  '1040-held-confirmations': heldConfirmations,
  '1060-conversation-claims': conversationClaims,
};
