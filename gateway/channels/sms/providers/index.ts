// The SMS providers the gateway can use, by SMS_PROVIDER. Adding one (Tencent Cloud SMS, a carrier CMPP link) is a
// folder beside aliyun/ implementing SmsProvider and one line here.
import type { SmsProvider } from '../provider.js';
import { aliyunProvider } from './aliyun/index.js';

export const smsProviders: Readonly<Record<string, SmsProvider>> = {
  aliyun: aliyunProvider,
};

export function smsProvider(name: string): SmsProvider {
  const p = smsProviders[name];
  if (!p) throw new Error(`SMS_PROVIDER "${name}" is unknown; known: ${Object.keys(smsProviders).join(', ')}`);
  return p;
}
