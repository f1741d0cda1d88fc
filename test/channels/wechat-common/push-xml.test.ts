// The direct reading of flat pushes must give exactly what the general XML parser gives, and leave every other
// document to it (so what the general parser refuses stays refused).
import test from 'ava';
import {
  flatPushFields,
  parsePushXml,
  parsePushXmlGeneral,
  PushXmlError,
} from '../../../gateway/channels/wechat-common/push-xml.js';
import { pushXml, textMessage } from '../../_support/wechat-oa.js';

const general = (xml: string): unknown => {
  try {
    return parsePushXmlGeneral(xml);
  } catch (err) {
    return err instanceof PushXmlError ? `refused: ${err.reason}` : err;
  }
};

const flat = [
  textMessage('oPipe000001', '投诉：第1号路灯坏了，晚上很黑'),
  textMessage('oPipe000002', '提交'),
  pushXml({ FromUserName: 'o1', CreateTime: 1764473000, MsgType: 'event', Event: 'subscribe', EventKey: 'qrscene_7' }),
  pushXml({ FromUserName: 'o1', MsgType: 'location', Location_X: '30.657', Location_Y: '104.066', Scale: 15 }),
  '<xml><ToUserName><![CDATA[gh_1]]></ToUserName><Encrypt><![CDATA[ab+/cd==]]></Encrypt></xml>\n',
  '<xml>\n  <A><![CDATA[a < b 和 </c]]></A>\n  <B>x</B>\n</xml>',
  '<xml><Constructor>1</Constructor><ToString>2</ToString><prototypes>3</prototypes></xml>',
  '<xml><Content><![CDATA[a ]] b]]></Content></xml>',
  '<xml><Content><![CDATA[〇 and ⼀]]></Content></xml>',
];

// Documents the direct reading must leave to the general parser: each differs from the flat shape in one way.
const others = [
  '<xml></xml>',
  '<xml> </xml>',
  ' <xml><A>1</A></xml>',
  '<?xml version="1.0"?><xml><A>1</A></xml>',
  '<xml><A>1</A><A>2</A></xml>',
  '<xml><List><A>1</A></List></xml>',
  '<xml><A><B>1</B></A></xml>',
  '<xml><A> 1</A></xml>',
  '<xml><A><![CDATA[ 1 ]]></A></xml>',
  '<xml><A></A></xml>',
  '<xml><A><![CDATA[]]></A></xml>',
  '<xml><A>a &amp; b</A></xml>',
  '<xml><A>a > b</A></xml>',
  '<xml><A><![CDATA[含 <b>标签</b> 的文字]]></A></xml>',
  '<xml><A>a\r\nb</A></xml>',
  '<xml><A><![CDATA[a\r\nb]]></A></xml>',
  '<xml><A>a\u0001b</A></xml>',
  '<xml><A>a\ud800b</A></xml>',
  '<xml><Content><![CDATA[emoji 😀]]></Content></xml>',
  '<xml><A x="1">1</A></xml>',
  '<xml><A>1</A>text</xml>',
  '<xml><A><![CDATA[1]]>2</A></xml>',
  '<xml><A>1</B></xml>',
  '<xml><A>1</A>',
  '<xml><A>1</A></xml><xml><B>2</B></xml>',
  '<xml><_A>1</_A></xml>',
  '<xml><__proto__>1</__proto__></xml>',
  '<xml><constructor>1</constructor></xml>',
  '<xml><prototype>1</prototype></xml>',
  '<xml><toString>1</toString></xml>',
  '<xml><hasOwnProperty>1</hasOwnProperty></xml>',
  '<xml><valueOf>1</valueOf></xml>',
  '<xml><A><![CDATA[1]]></A></xml></xml>',
  '<xml><A><![CDATA[</xml>]]></A></xml>',
  '<XML><A>1</A></XML>',
  '<xml><A>1</A><!-- note --></xml>',
];

test('when a push has the flat shape WeChat sends, then reading it directly gives what the general parser gives', (t) => {
  for (const xml of flat) {
    const direct = flatPushFields(xml);
    t.truthy(direct, xml);
    t.deepEqual(direct, general(xml), xml);
    t.deepEqual(parsePushXml(xml), general(xml), xml);
  }
});

test('when a document departs from the flat shape in any way, then the general parser decides, refusals included', (t) => {
  for (const xml of others) {
    t.is(flatPushFields(xml), undefined, xml);
    let answer: unknown;
    try {
      answer = parsePushXml(xml);
    } catch (err) {
      answer = err instanceof PushXmlError ? `refused: ${err.reason}` : err;
    }
    t.deepEqual(answer, general(xml), xml);
  }
});
