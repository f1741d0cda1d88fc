// The Aliyun SMS provider (Dysmsapi 2017-05-25): push formats, default signature and the SDK client.
import type { SmsProvider } from '../../provider.js';
import { aliyunPush } from './push.js';
import { createAliyunClient } from './client.js';
import { aliyunSimulator } from './simulator/index.js';

export const aliyunProvider: SmsProvider = {
  name: 'aliyun',
  push: aliyunPush,
  defaultSignName: (c) => c.ALIYUN_SMS_SIGN_NAME,
  simulator: aliyunSimulator,
  createClient(c) {
    if (!c.ALIYUN_SMS_ACCESS_KEY_ID || !c.ALIYUN_SMS_ACCESS_KEY_SECRET)
      throw new Error('Aliyun SMS needs ALIYUN_SMS_ACCESS_KEY_ID and ALIYUN_SMS_ACCESS_KEY_SECRET');
    return createAliyunClient({
      accessKeyId: c.ALIYUN_SMS_ACCESS_KEY_ID,
      accessKeySecret: c.ALIYUN_SMS_ACCESS_KEY_SECRET,
      endpoint: c.ALIYUN_SMS_ENDPOINT,
      timeoutMs: c.SMS_TIMEOUT_MS,
    });
  },
};
