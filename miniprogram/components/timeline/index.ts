// The progress of a letter, top to bottom: received, accepted with its serial, each reply with its text, closed.
import { timelineItems } from '../../lib/format';
import type { TimelineEntry } from '../../shared/index';

Component({
  properties: {
    entries: { type: Array, value: [] },
  },
  data: { items: [] as ReturnType<typeof timelineItems> },
  observers: {
    entries(entries: TimelineEntry[] | null) {
      this.setData({ items: timelineItems(entries ?? []) });
    },
  },
});
