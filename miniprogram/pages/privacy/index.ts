// The privacy policy in the app itself (also declared in the console's 用户隐私保护指引, which wx.openPrivacyContract
// opens): what the app collects, why, how long it is kept, and how to have it removed. Shown when the console's
// guide cannot be opened and reachable from the home page.
import { openContract } from '../../lib/privacy';
import { careBehavior } from '../../lib/care';
import { texts } from '../../lib/messages.zh-CN';

Component({
  behaviors: [careBehavior],
  data: { contractUnavailable: false, texts: texts('mp.privacy.page.') },
  methods: {
    onOpenContract() {
      openContract(() => this.setData({ contractUnavailable: true }));
    },
  },
});
