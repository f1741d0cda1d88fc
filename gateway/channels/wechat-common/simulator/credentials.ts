// The development AppID and AppSecret of a sandboxed WeChat channel: generated once and kept in the database (every
// instance and restart uses the same), accepted by the simulator and used by the channel's live client.
import { randomBytes } from 'node:crypto';
import type { Db } from '../../../store/db.js';
import { sharedSecret } from '../../../store/secrets.js';
import type { SimulatedApp } from './routes.js';

const apps = new WeakMap<Db, Map<string, Promise<SimulatedApp>>>();

/** `appId`: the AppID already configured (a development push AppID), kept so pushes and API calls name one app. */
export function developmentApp(db: Db, channel: string, appId?: string): () => Promise<SimulatedApp> {
  return () => {
    let byChannel = apps.get(db);
    if (!byChannel) apps.set(db, (byChannel = new Map<string, Promise<SimulatedApp>>()));
    let app = byChannel.get(channel);
    if (!app) {
      app = (async () => ({
        channel,
        appId:
          appId ?? (await sharedSecret(db, `sandbox-${channel}-appid`, () => `wx${randomBytes(8).toString('hex')}`)),
        secret: await sharedSecret(db, `sandbox-${channel}-secret`, () => randomBytes(16).toString('hex')),
      }))();
      byChannel.set(channel, app);
    }
    return app;
  };
}
