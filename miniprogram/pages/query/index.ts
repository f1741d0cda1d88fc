// Progress of any letter (mini-program, official account or SMS) by serial and extraction code.
import { api, ApiFailure } from '../../lib/api';
import { statusText } from '../../lib/format';
import { problemsByField } from '../../lib/submit';
import { checkRequest, mpQueryRequestSchema, type MpQueryAnswer } from '../../shared/index';
import { careBehavior } from '../../lib/care';

Component({
  behaviors: [careBehavior],
  data: {
    serial: '',
    code: '',
    errors: {},
    message: '',
    asking: false,
    result: null as MpQueryAnswer | null,
    statusText: '',
  },
  methods: {
    onSerial(e: WechatMiniprogram.Input) {
      this.setData({ serial: e.detail.value.trim().toUpperCase() });
    },
    onCode(e: WechatMiniprogram.Input) {
      this.setData({ code: e.detail.value.trim() });
    },
    async onQuery() {
      const checked = checkRequest(mpQueryRequestSchema, { serial: this.data.serial, code: this.data.code });
      if (!checked.ok) {
        this.setData({ errors: problemsByField(checked.problems), message: '', result: null });
        return;
      }
      this.setData({ asking: true, errors: {}, message: '' });
      try {
        const result = await api<MpQueryAnswer>('POST', '/mp/query', checked.value);
        this.setData({ result, statusText: statusText(result.status), asking: false });
      } catch (err) {
        const message =
          err instanceof ApiFailure && err.status === 404
            ? '流水号或提取码不正确，请核对后再查'
            : err instanceof ApiFailure
              ? err.message
              : '查询失败，请稍后再试';
        this.setData({ message, result: null, asking: false });
      }
    },
  },
});
