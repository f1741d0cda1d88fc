// Official-account customer-service text messages: the API rejects a text over 2048 bytes of UTF-8 with errcode
// 45002 (content size out of limit) [community reports; the send API page states no limit]
// https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Service_Center_messages.html — longer answers
// are split in parts by the sender, so a template alone must fit with room for the parts' text.
import { error, warning, type TemplateProblem } from '../../templates/validation/problems.js';
import { format } from '../../i18n/catalogue.js';
import { messages } from './messages.zh-CN.js';

export const OA_TEXT_MAX_BYTES = 2048;

export function utf8Bytes(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

export function checkOaText(text: string): TemplateProblem[] {
  if (text.trim() === '') return [error('text', format(messages, 'wechatOa.template.textRequired'))];
  const bytes = utf8Bytes(text);
  if (bytes > OA_TEXT_MAX_BYTES)
    return [
      error(
        'text',
        format(messages, 'wechatOa.template.customTextTooLong', {
          oA_TEXT_MAX_BYTES: OA_TEXT_MAX_BYTES,
          bytes,
          ceil: Math.ceil(bytes / 3),
        }),
      ),
    ];
  if (bytes > OA_TEXT_MAX_BYTES * 0.8)
    return [
      warning(
        'text',
        format(messages, 'wechatOa.template.customTextNearLimit', { bytes, oA_TEXT_MAX_BYTES: OA_TEXT_MAX_BYTES }),
      ),
    ];
  return [];
}
