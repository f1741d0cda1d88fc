import test from 'ava';
import { scrubSecrets } from '../../../gateway/channels/wechat-common/api-client.js';

test('when a WeChat transport error quotes its URL, then the secret, login code and access token are masked and the rest is kept', (t) => {
  const message =
    'url: https://api.weixin.qq.com/sns/jscode2session?appid=wx01&secret=S3CR3T&js_code=CODE1&grant_type=authorization_code, status code: 502';
  t.is(
    scrubSecrets(message),
    'url: https://api.weixin.qq.com/sns/jscode2session?appid=wx01&secret=***&js_code=***&grant_type=authorization_code, status code: 502',
  );
  t.is(
    scrubSecrets('url: https://x/cgi-bin/message/custom/send?access_token=TOKEN-1 failed'),
    'url: https://x/cgi-bin/message/custom/send?access_token=*** failed',
  );
});
