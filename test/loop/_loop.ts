// One gateway with all three channels live (WeChat and Aliyun faked by nock as they answer) and a local case store,
// for the tests that follow a message through its whole delivery plan and a survey through its answer.
import nock from 'nock';
import { startTestGateway, eventually, type TestGateway } from '../_support/gateway.js';
import { fakeCaseStore, CASE_STORE_SECRET, type FakeCaseStore } from '../_support/case-store.js';
import { fakeWechatApi, type WechatApiFake } from '../_support/wechat-api-fake.js';
import { oaEnv } from '../_support/wechat-oa.js';
import { mpEnv } from '../channels/wechat-mp/_mp.js';
import { fakeAliyun, smsLiveEnv, SMS_PUSH_TOKEN } from '../channels/sms/fake-aliyun.js';

export { SMS_PUSH_TOKEN };

export interface Loop {
  gw: TestGateway;
  wx: WechatApiFake;
  aliyun: ReturnType<typeof fakeAliyun>;
  caseStore: FakeCaseStore;
  stop(): Promise<void>;
}

export async function startLoop(env: Record<string, string> = {}): Promise<Loop> {
  const caseStore = await fakeCaseStore();
  await caseStore.start();
  const wx = fakeWechatApi('TOKEN-LOOP');
  const aliyun = fakeAliyun();
  const gw = await startTestGateway({
    ...oaEnv(),
    ...mpEnv,
    CHANNELS: 'wechat-oa,wechat-mp,sms',
    ...smsLiveEnv(),
    CASE_STORE_URL: caseStore.url,
    CASE_STORE_SECRET,
    ...env,
  });
  return {
    gw,
    wx,
    aliyun,
    caseStore,
    async stop() {
      await gw.stop();
      await caseStore.close();
      aliyun.stop();
      nock.cleanAll();
      nock.enableNetConnect();
    },
  };
}

export interface AttemptView {
  at: string;
  channel: string;
  route: string;
  outcome: string;
  errorCode: string | null;
  providerMessageId: string | null;
}
export interface DeliveryView {
  id: string;
  kind: string;
  status: string;
  route: string | null;
  lastError: string | null;
  plan: { channel: string; route: string; recipient: string }[] | null;
  attempts: AttemptView[];
}

/** Records the 48-hour customer-service window as open, as a message from the citizen would. */
export function openWindow(gw: TestGateway, openid: string) {
  return gw.services.db
    .insertInto('wechat_oa_followers')
    .values({
      openid,
      window_until: new Date(Date.now() + 3600_000),
      quota_left: 5,
      last_message_at: new Date(),
      updated_at: new Date(),
    })
    .execute();
}

/** The letter as the case store reads it, once its delivery of `kind` has settled (no longer queued or sending). */
export async function settledDelivery(gw: TestGateway, letterId: string, kind: string): Promise<DeliveryView> {
  return eventually(
    async () => {
      const r = await gw.api(`/api/v1/letters/${letterId}`);
      const { deliveries } = (await r.json()) as { deliveries: DeliveryView[] };
      const d = deliveries.find((x) => x.kind === kind);
      return d && !['queued', 'sending'].includes(d.status) ? d : undefined;
    },
    60_000,
    `${kind} of ${letterId} to settle`,
  );
}

/** The `delivery.updated` events the case store received for one delivery, in order. */
export function deliveryEvents(cs: FakeCaseStore, deliveryId: string) {
  return cs.received
    .filter((r) => r.path === '/events' && r.body.type === 'delivery.updated')
    .map((r) => ({
      signed: r.signatureValid,
      data: r.body.data as {
        deliveryId: string;
        channel: string;
        route: string | null;
        status: string;
        error: string | null;
      },
    }))
    .filter((e) => e.data.deliveryId === deliveryId);
}
