// The progress of a letter, top to bottom: received, accepted with its serial, each reply with its text, the
// citizen's follow-ups with their photos, closed.
import { timelineItems } from '../../lib/format';
import { say } from '../../lib/messages.zh-CN';
import type { TimelineEntry } from '../../shared/index';

Component({
  properties: {
    entries: { type: Array, value: [] },
  },
  data: { items: [] as ReturnType<typeof timelineItems>, photoLabel: say('mp.timeline.photo') },
  observers: {
    entries(entries: TimelineEntry[] | null) {
      this.setData({ items: timelineItems(entries ?? []) });
    },
  },
});
