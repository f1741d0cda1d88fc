// The letter being written, saved on the phone at every change so that a killed app loses nothing. Each draft has its
// own client key: the gateway stores one letter per key, so submitting again after a network failure is safe.
import type { LetterKind } from '../shared/index';

const DRAFT_KEY = 'mp.draft';

export interface DraftPhoto {
  path: string;
  uploadId?: string;
  /** Shown on the photo: being uploaded, or failed (tap to retry). Not meaningful after a restart. */
  state?: 'uploading' | 'failed';
}

export interface Draft {
  clientKey: string;
  kind: LetterKind | '';
  mailbox: { id: string; name: string } | null;
  title: string;
  body: string;
  photos: DraftPhoto[];
  location: { latitude: number; longitude: number; name?: string; address?: string } | null;
  name: string;
  usePhone: boolean;
  visibility: 'public' | 'private' | '';
  /** The citizen's own choice from the pickers; absent, the gateway infers (and marks it inferred). */
  topic: { code: string; name: string } | null;
  region: { code: string; name: string } | null;
  /** Where a region the citizen did not pick came from (the mailbox or the location); null once they pick or clear. */
  regionFrom: 'mailbox' | 'location' | null;
}

export function newClientKey(): string {
  const random = Array.from({ length: 4 }, () => Math.floor(Math.random() * 0x100000000).toString(36)).join('');
  return `${Date.now().toString(36)}-${random}`.slice(0, 64);
}

export function emptyDraft(): Draft {
  return {
    clientKey: newClientKey(),
    kind: '',
    mailbox: null,
    title: '',
    body: '',
    photos: [],
    location: null,
    name: '',
    usePhone: false,
    visibility: '',
    topic: null,
    region: null,
    regionFrom: null,
  };
}

export function loadDraft(): Draft {
  const saved = wx.getStorageSync<Partial<Draft> | ''>(DRAFT_KEY);
  return saved && typeof saved === 'object' && saved.clientKey ? { ...emptyDraft(), ...saved } : emptyDraft();
}

export function saveDraft(d: Draft): void {
  wx.setStorageSync(DRAFT_KEY, d);
}

export function updateDraft(change: Partial<Draft>): Draft {
  const d = { ...loadDraft(), ...change };
  saveDraft(d);
  return d;
}

export function clearDraft(): void {
  wx.removeStorageSync(DRAFT_KEY);
}
