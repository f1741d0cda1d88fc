import test from 'ava';
import { Writable } from 'node:stream';
import { createLogger, maskPhone } from '../../gateway/observability/logger.js';

test('when a log line carries phone numbers or secrets, then phones are masked and secrets removed', (t) => {
  let out = '';
  const sink = new Writable({ write(chunk: Buffer, _enc, cb) { out += chunk.toString(); cb(); } });
  const log = createLogger('info', sink);
  log.info({ citizen: { phone: '+8613812345678' }, secret: 'hunter2', note: '来电 13987654321' }, 'sms from 8613512345678');
  t.notRegex(out, /13812345678|13987654321|13512345678|hunter2/);
  t.regex(out, /\+86138\*\*\*\*5678/);
  t.regex(out, /139\*\*\*\*4321/);
  t.regex(out, /86135\*\*\*\*5678/);
  t.is(maskPhone('订单号 201311223344556677 不是手机号'), '订单号 201311223344556677 不是手机号');
});
