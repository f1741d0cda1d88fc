import test from 'ava';
import { loadConfig, ConfigError, describeConfig } from '../../config/load.js';

test('when nothing is set, then development defaults run everything in the sandbox', (t) => {
  const c = loadConfig({});
  t.is(c.PORT, 8080);
  t.is(c.DATA_DIR, './data');
  t.deepEqual(c.CONVERSATION_SUBMIT_WORDS, ['提交']);
  t.true(c.sandbox.caseStore);
  t.deepEqual([...c.sandbox.channels], ['wechat-oa', 'wechat-mp', 'sms', 'web']);
  t.true(Object.isFrozen(c));
  t.true(Object.isFrozen(c.sandbox.channels));
});

test('when several settings are wrong, then one error lists every problem and hides secret values', (t) => {
  const err = t.throws(
    () =>
      loadConfig({
        PORT: '70000',
        CASE_STORE_TIMEOUT_MS: 'soon',
        WECHAT_OA_AES_KEY: 'short-secret',
        CHANNELS: 'sms,fax',
      }),
    { instanceOf: ConfigError },
  );
  t.is(err?.problems.length, 4);
  t.regex(err.message, /PORT \("70000"\)/);
  t.regex(err.message, /CASE_STORE_TIMEOUT_MS/);
  t.regex(err.message, /WECHAT_OA_AES_KEY \(value hidden\)/);
  t.notRegex(err.message, /short-secret/);
  t.regex(err.message, /CHANNELS/);
});

test('when the pool is too small to leave work beside its two LISTEN connections, then start-up is refused', (t) => {
  for (const size of ['2', '3']) {
    const err = t.throws(() => loadConfig({ DATABASE_POOL_SIZE: size }), { instanceOf: ConfigError });
    t.regex(err?.message ?? '', /DATABASE_POOL_SIZE/);
  }
  t.is(loadConfig({ DATABASE_POOL_SIZE: '4' }).DATABASE_POOL_SIZE, 4);
});

test('when a case store URL comes without its secret, or a channel is half configured, then start-up is refused', (t) => {
  const err = t.throws(
    () => loadConfig({ CASE_STORE_URL: 'https://cases.example.gov.cn/api', WECHAT_OA_APPID: 'wx123' }),
    { instanceOf: ConfigError },
  );
  t.deepEqual(err?.problems, [
    'CASE_STORE_SECRET is required when CASE_STORE_URL is set',
    'channel wechat-oa is partly configured: also set WECHAT_OA_SECRET, WECHAT_OA_TOKEN',
  ]);
});

test('when a channel is fully configured, then it leaves the sandbox and the URL loses its trailing slash', (t) => {
  const c = loadConfig({
    CASE_STORE_URL: 'https://cases.example.gov.cn/api/',
    CASE_STORE_SECRET: 'a-long-enough-secret',
    ALIYUN_SMS_ACCESS_KEY_ID: 'id',
    ALIYUN_SMS_ACCESS_KEY_SECRET: 'secret',
    ALIYUN_SMS_SIGN_NAME: '成都市网络理政',
  });
  t.is(c.CASE_STORE_URL, 'https://cases.example.gov.cn/api');
  t.false(c.sandbox.caseStore);
  t.false(c.sandbox.channels.includes('sms'));
  t.is(describeConfig(c).CASE_STORE_SECRET, '***');
  t.is(describeConfig(c).ALIYUN_SMS_ACCESS_KEY_ID, 'id');
});

test('when no survey delay is set, then development waits seconds and production and tests keep the hour; a set value wins everywhere', (t) => {
  t.is(loadConfig({}).SURVEY_DELAY_SECONDS, 10);
  t.is(loadConfig({ NODE_ENV: 'development' }).SURVEY_DELAY_SECONDS, 10);
  t.is(loadConfig({ NODE_ENV: 'test' }).SURVEY_DELAY_SECONDS, 3600);
  const production = {
    NODE_ENV: 'production',
    CHANNELS: 'wechat-mp',
    WECHAT_MP_APPID: 'wx123',
    WECHAT_MP_SECRET: 'secret',
    CASE_STORE_URL: 'https://cases.example.gov.cn/api',
    CASE_STORE_SECRET: 'a-long-enough-secret',
    CORE_API_KEY: 'a-core-api-key-long-enough-0123',
    PII_ENCRYPTION_KEY: 'ab'.repeat(32),
  };
  t.is(loadConfig(production).SURVEY_DELAY_SECONDS, 3600);
  t.is(loadConfig({ NODE_ENV: 'development', SURVEY_DELAY_SECONDS: '0' }).SURVEY_DELAY_SECONDS, 0);
  t.is(loadConfig({ ...production, SURVEY_DELAY_SECONDS: '120' }).SURVEY_DELAY_SECONDS, 120);
});

test('when production runs without PII_ENCRYPTION_KEY, then start-up is refused with one line naming it; with a key it starts', (t) => {
  const production = {
    NODE_ENV: 'production',
    CHANNELS: 'wechat-mp',
    CASE_STORE_URL: 'https://cases.example.gov.cn/api',
    CASE_STORE_SECRET: 'case-store-secret-0123456789',
    CORE_API_KEY: 'core-api-key-0123456789abcdef',
    WECHAT_MP_APPID: 'wx0123456789abcdef',
    WECHAT_MP_SECRET: 'mp-secret-0123456789',
  };
  const err = t.throws(() => loadConfig(production), { instanceOf: ConfigError });
  t.deepEqual(err?.problems.filter((p) => /PII_ENCRYPTION_KEY/.test(p)).length, 1);
  t.is(err?.problems.length, 1);
  const key = 'ab'.repeat(32);
  const c = loadConfig({
    ...production,
    PII_ENCRYPTION_KEY: key,
    PII_PREVIOUS_KEYS: `${'cd'.repeat(32)}, ${'ef'.repeat(32)}`,
  });
  t.deepEqual([...c.PII_PREVIOUS_KEYS], ['cd'.repeat(32), 'ef'.repeat(32)]);
  t.is(describeConfig(c).PII_ENCRYPTION_KEY, '***');
  const short = t.throws(() => loadConfig({ ...production, PII_ENCRYPTION_KEY: 'too-short' }), {
    instanceOf: ConfigError,
  });
  t.regex(short.message, /PII_ENCRYPTION_KEY \(value hidden\)/);
  t.notRegex(short.message, /too-short/);
});
