// The Aliyun provider's sandbox side: a generated development AccessKey (kept in the database, so every instance
// and restart uses the same) and the simulator the live SDK client is pointed at.
import { randomBytes } from 'node:crypto';
import type { Db } from '../../../../../store/db.js';
import { sharedSecret } from '../../../../../store/secrets.js';
import type { SmsSimulator } from '../../../provider.js';
import { ALIYUN_SIMULATOR, mountAliyunSimulator } from './routes.js';

const keys = new WeakMap<Db, Promise<{ id: string; secret: string }>>();
const alnum = (n: number) => () => randomBytes(n).toString('base64url').replace(/[-_]/g, 'x').slice(0, n);

/** The development AccessKey the simulator accepts. */
export function developmentAccessKey(db: Db): Promise<{ id: string; secret: string }> {
  let k = keys.get(db);
  if (!k) {
    k = (async () => ({
      id: await sharedSecret(db, 'sandbox-aliyun-access-key-id', () => `LTAI${alnum(20)()}`),
      secret: await sharedSecret(db, 'sandbox-aliyun-access-key-secret', alnum(30)),
    }))();
    keys.set(db, k);
  }
  return k;
}

export const aliyunSimulator: SmsSimulator = {
  async clientSettings(db, selfUrl) {
    const key = await developmentAccessKey(db);
    return {
      ALIYUN_SMS_ACCESS_KEY_ID: key.id,
      ALIYUN_SMS_ACCESS_KEY_SECRET: key.secret,
      ALIYUN_SMS_ENDPOINT: `${selfUrl}${ALIYUN_SIMULATOR}`,
      // The simulator answers at once unless the gateway is busy: a busy machine is not a provider timeout.
      SMS_TIMEOUT_MS: 30_000,
    };
  },
  mount: (router, o) => mountAliyunSimulator(router, { ...o, accessKey: () => developmentAccessKey(o.db) }),
};
