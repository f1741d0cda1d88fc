import test from 'ava';
import { Writable } from 'node:stream';
import { createLogger, maskPhone } from '../../gateway/observability/logger.js';

test('when a log line carries phone numbers or secrets, then phones are masked and secrets removed', (t) => {
  let out = '';
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      out += chunk.toString();
      cb();
    },
  });
  const log = createLogger('info', sink);
  log.info(
    { citizen: { phone: '+8613812345678' }, secret: 'hunter2', note: '来电 13987654321' },
    'sms from 8613512345678',
  );
  t.notRegex(out, /13812345678|13987654321|13512345678|hunter2/);
  t.regex(out, /\+86138\*\*\*\*5678/);
  t.regex(out, /139\*\*\*\*4321/);
  t.regex(out, /86135\*\*\*\*5678/);
  t.is(maskPhone('订单号 201311223344556677 不是手机号'), '订单号 201311223344556677 不是手机号');
});

test('when a PostgreSQL unique violation naming a phone is logged, then message, detail and stack are masked', async (t) => {
  const { createTestDatabase } = await import('../_support/database.js');
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: await createTestDatabase() });
  await client.connect();
  let out = '';
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      out += chunk.toString();
      cb();
    },
  });
  const log = createLogger('info', sink);
  try {
    await client.query(`insert into sms_daily_counts (phone, day, sends) values ('+8613912345678', current_date, 1)`);
    const err = await client
      .query(`insert into sms_daily_counts (phone, day, sends) values ('+8613912345678', current_date, 1)`)
      .then(
        () => null,
        (e: unknown) => e as Error & { detail?: string },
      );
    t.truthy(err);
    t.regex(err!.detail ?? '', /13912345678/);
    log.error({ err }, `insert failed: ${err!.message}`);
    log.error(err);
    log.warn({ error: err, context: { cause: err } }, 'nested');
  } finally {
    await client.end();
  }
  t.notRegex(out, /13912345678/);
  t.regex(out, /\+86139\*\*\*\*5678/);
  t.regex(out, /already exists/);
});

test('when an openid or a phone sits inside an id, then the one masking function masks it there too', (t) => {
  const openid = 'oAbCd' + 'x'.repeat(19) + 'WXYZ';
  t.is(maskPhone(`+8613912345678:1001`), '+86139****5678:1001');
  t.is(maskPhone(`${openid}|1732800000|text`), 'oAbC****WXYZ|1732800000|text');
  t.is(maskPhone('+4915112345678'), '+49*******5678');
});
