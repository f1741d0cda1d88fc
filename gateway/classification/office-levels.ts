// Mailbox office levels, as the platform reports letters by them: 市委书记信箱, 市长信箱, 市级部门, 区（市）县, 乡镇（街道）.
// The directory may state a mailbox's level; otherwise it follows from the mailbox's place in the tree and its name.
import { messages } from './messages.zh-CN.js';

export const officeLevels = ['party-secretary', 'mayor', 'city-department', 'district', 'street'] as const;
export type OfficeLevel = (typeof officeLevels)[number];

export const officeLevelLabels: Record<OfficeLevel, string> = {
  'party-secretary': messages['classification.level.party-secretary'],
  mayor: messages['classification.level.mayor'],
  'city-department': messages['classification.level.city-department'],
  district: messages['classification.level.district'],
  street: messages['classification.level.street'],
};

/** The level of a directory entry that does not state one. */
export function deriveOfficeLevel(treeLevel: string, name: string): OfficeLevel {
  if (treeLevel === 'district') return 'district';
  if (treeLevel === 'street') return 'street';
  if (name.includes('书记')) return 'party-secretary';
  if (name.includes('市长') || name.includes('12345')) return 'mayor';
  return 'city-department';
}
