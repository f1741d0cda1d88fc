// Turns WeChat's answers to a citizen-facing call (login, phone number) into our error codes: a bad or used code,
// rate limiting and blocked users are the citizen's to see; anything else is "WeChat unavailable".
// Codes: https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/user-login/code2Session.html
import { AppError } from '../../errors.js';
import { WechatApiError } from '../wechat-common/api-client.js';

export function citizenFacingError(err: unknown): AppError {
  if (!(err instanceof WechatApiError)) return new AppError('wechat_unavailable');
  switch (err.errcode) {
    case 40029:
    case 41008:
      return new AppError('wechat_code_invalid', { wechatErrcode: err.errcode });
    case 45011:
      return new AppError('wechat_rate_limited', { wechatErrcode: err.errcode });
    case 40226:
      return new AppError('wechat_user_blocked', { wechatErrcode: err.errcode });
    default:
      return new AppError('wechat_unavailable', err.errcode === undefined ? {} : { wechatErrcode: err.errcode });
  }
}
