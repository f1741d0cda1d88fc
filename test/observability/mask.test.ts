import test from 'ava';
import { maskDeep, maskIdentifier, maskText } from '../../gateway/observability/mask.js';

test('when text holds phones and openids, then each is masked and the rest is kept', (t) => {
  t.is(maskText('请回电 13812345678 或 +8613912345678'), '请回电 138****5678 或 +86139****5678');
  t.is(maskText('来自 oAbC12345678901234567890wxyz 的消息'), '来自 oAbC****wxyz 的消息');
  t.is(maskText('+441632960961'), '+44******0961');
});

test('when a UUID holds a run of digits shaped like a phone, then the id is kept whole, and a phone beside it is not', (t) => {
  const id = '8ccbc234-a90d-478a-9f0d-15926017175c';
  t.is(maskText(id), id);
  t.is(maskText(`letter ${id} from 13812345678`), `letter ${id} from 138****5678`);
  t.deepEqual(maskDeep({ id, letters: [{ id, citizen_id: '+8613812345678' }] }), {
    id,
    letters: [{ id, citizen_id: '+86138****5678' }],
  });
});

test('when an identifier is not a phone or an openid, then it is masked whatever its shape', (t) => {
  t.is(maskIdentifier('web-user-0001'), 'web****001');
  t.is(maskIdentifier('abc'), '****');
});
