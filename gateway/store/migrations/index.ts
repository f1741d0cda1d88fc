// The core's migrations; a channel's own live in its folder (channels/<name>/migrations/, gathered by
// channels/migrations.ts), and store/migration-list.ts merges both by name, a migration's identity in the database.
// Names sort in the order they run; each feature adds its own file and one line here. Features own number ranges
// (core 0001+, conversation 0100+, official account 0200+, SMS 0300+, mini-program 0400+, staff console 0500+), so a
// database may have run a later range first: the migrator allows it.
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
import * as wechatMp from './0400-wechat-mp.js';
import * as staffConsole from './0500-staff-console.js';
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
import * as monthlyReports from './0860-monthly-reports.js';
import * as publicLetterRef from './0910-public-letter-ref.js';
import * as mpMessageReadMarks from './0911-mp-message-read-marks.js';
import * as piiIds from './0920-pii-ids.js';
import * as letterPhoneTail from './0922-letter-phone-tail.js';
import * as surveyByPhoneIndex from './0970-survey-by-phone-index.js';
import * as heldConfirmations from './1040-held-confirmations.js';
import * as surveyWithdrawal from './1050-survey-withdrawal.js';
import * as conversationClaims from './1060-conversation-claims.js';
import * as heldDraftMessages from './1070-held-draft-messages.js';
import * as queueStatistics from './1080-queue-statistics.js';

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
  '0400-wechat-mp': wechatMp,
  '0500-staff-console': staffConsole,
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
  '0860-monthly-reports': monthlyReports,
  '0910-public-letter-ref': publicLetterRef,
  '0911-mp-message-read-marks': mpMessageReadMarks,
  '0920-pii-ids': piiIds,
  '0922-letter-phone-tail': letterPhoneTail,
  '0970-survey-by-phone-index': surveyByPhoneIndex,
  '1040-held-confirmations': heldConfirmations,
  '1050-survey-withdrawal': surveyWithdrawal,
  '1060-conversation-claims': conversationClaims,
  '1070-held-draft-messages': heldDraftMessages,
  '1080-queue-statistics': queueStatistics,
};
