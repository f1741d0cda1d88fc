// Tables of letters registered by the case store and of survey batches (migration 0670).
import type { Timestamp } from '../store/column-types.js';

export interface RegisteredLettersTable {
  letter_id: string;
  serial: string;
  api_key_id: string;
  origin: string;
  content_hash: string;
  created_at: Timestamp;
}

export interface SurveyBatchesTable {
  id: string;
  api_key_id: string;
  letter_ids: string[];
  created_at: Timestamp;
}

export interface RegistrationTables {
  registered_letters: RegisteredLettersTable;
  survey_batches: SurveyBatchesTable;
}
