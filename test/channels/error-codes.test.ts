// Channels contribute their own error codes to the gateway's catalogue; clients rely on each code's HTTP status.
import test from 'ava';
import { errorCatalogue, AppError } from '../../gateway/errors.js';
import { channelErrorCodes } from '../../gateway/channels/error-codes.js';

test('when channels contribute error codes, then the catalogue answers them with the same status and title', (t) => {
  t.true(Object.keys(channelErrorCodes).length > 0);
  for (const [code, entry] of Object.entries(channelErrorCodes))
    t.deepEqual(errorCatalogue[code as keyof typeof errorCatalogue], entry, code);
  const e = new AppError('wechat_code_invalid');
  t.is(e.status, 400);
  t.is(e.message, 'The WeChat login or phone code is invalid or already used');
  t.is(new AppError('wechat_user_blocked').status, 403);
  t.is(new AppError('wechat_rate_limited').status, 429);
  t.is(new AppError('wechat_unavailable').status, 502);
});

test('when the catalogue lists its codes, then the channel codes keep their place among the core ones', (t) => {
  const codes = Object.keys(errorCatalogue);
  const at = codes.indexOf('wechat_code_invalid');
  t.is(codes[at - 1], 'session_invalid');
  t.is(codes[at + 4], 'upload_not_image');
});
