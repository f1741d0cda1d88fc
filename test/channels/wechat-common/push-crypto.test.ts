import test from 'ava';
import {
  aesKeyOf,
  decryptMessage,
  encryptMessage,
  openEnvelope,
  PushCryptoError,
  pushSignature,
  signatureMatches,
} from '../../../gateway/channels/wechat-common/push-crypto.js';
import { parsePushXml, PushXmlError } from '../../../gateway/channels/wechat-common/push-xml.js';

// Published vectors: WeChat's message-push documentation and the official WXBizMsgCrypt samples.
const key = aesKeyOf('abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG');
const vectorC = {
  token: 'spamtest',
  appId: 'wx2c2769f8efd9abc2',
  timestamp: '1409735669',
  nonce: '1320562132',
  msgSignature: '5d197aaffba7e9b25a30732f161a50dee96bd5fa',
  signature: '16120ec1b8dbb870f510d87ce6bc2463eae6ca1a',
  encrypt:
    'hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHFVAFmOD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6tEDYsVticbSnyU8dKOIbgU6ux5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy0VxpAe+77TszTfRd5RJSVO/HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ixrcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE=',
  plaintext:
    '<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName>\n<FromUserName><![CDATA[oyORnuP8q7ou2gfYjqLzSIWZf0rs]]></FromUserName>\n<CreateTime>1409735668</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[abcdteT]]></Content>\n<MsgId>6054768590064713728</MsgId>\n</xml>',
};

test('when the documented URL-verification and plaintext-POST examples are signed, then the signatures match', (t) => {
  t.is(pushSignature('AAAAA', '1714036504', '1514711492'), 'f464b24fc39322e44b38aa78f5edd27bd1441696');
  t.is(pushSignature('AAAAA', '1714037059', '486452656'), '899cf89e464efb63f54ddac96b0a0a235f53aa78');
  t.is(pushSignature(vectorC.token, vectorC.timestamp, vectorC.nonce), vectorC.signature);
  t.is(pushSignature(vectorC.token, vectorC.timestamp, vectorC.nonce, vectorC.encrypt), vectorC.msgSignature);
});

test('when the official compatible-mode sample is decrypted, then it yields the plaintext byte for byte and the AppID', (t) => {
  const { message, receiveId } = decryptMessage(key, vectorC.encrypt);
  t.is(message, vectorC.plaintext);
  t.is(receiveId, vectorC.appId);
  t.is(parsePushXml(message).MsgId, '6054768590064713728');
});

test('when the Java sample is encrypted with its fixed random prefix, then the exact published ciphertext comes out', (t) => {
  const ciphertext = encryptMessage(key, '我是中文abcd123', 'wxb11529c136998cb6', Buffer.from('aaaabbbbccccdddd'));
  t.is(ciphertext, 'jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==');
});

test('when messages need every pad length from 1 to 32, then each round-trips', (t) => {
  const pads = new Set<number>();
  // 16 random + 4 length + message + 18-byte AppID: message lengths 0..31 cover every residue mod 32.
  for (let n = 0; n < 32; n++) {
    const message = 'x'.repeat(n);
    const full = 16 + 4 + n + vectorC.appId.length;
    pads.add(32 - (full % 32));
    const c = encryptMessage(key, message, vectorC.appId);
    t.is(Buffer.from(c, 'base64').length % 32, 0);
    t.deepEqual(decryptMessage(key, c), { message, receiveId: vectorC.appId });
  }
  t.is(pads.size, 32);
});

test('when the ciphertext was made for another AppID, then opening it fails the AppID check', (t) => {
  const err = t.throws(() => openEnvelope([key], vectorC.encrypt, 'wx_other'), { instanceOf: PushCryptoError });
  t.is(err?.reason, 'wrong_appid');
});

test('when the key was rotated, then a push under the previous key still opens and reports that key', (t) => {
  const current = aesKeyOf('ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut');
  const opened = openEnvelope([current, key], vectorC.encrypt, vectorC.appId);
  t.is(opened.message, vectorC.plaintext);
  t.is(opened.key, key);
  t.throws(() => openEnvelope([current], vectorC.encrypt, vectorC.appId), { instanceOf: PushCryptoError });
});

test('when a signature differs in one character or length, then it does not match', (t) => {
  t.true(signatureMatches(vectorC.signature, vectorC.signature.toUpperCase()));
  t.false(signatureMatches(vectorC.signature, vectorC.signature.slice(0, -1) + 'b'));
  t.false(signatureMatches(vectorC.signature, vectorC.signature.slice(0, -1)));
  t.false(signatureMatches(vectorC.signature, undefined));
});

test('when push XML declares a DOCTYPE or an entity, or is malformed, then it is refused before use', (t) => {
  const xxe =
    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><Content>&e;</Content></xml>';
  t.is(t.throws(() => parsePushXml(xxe), { instanceOf: PushXmlError })?.reason, 'declaration');
  t.is(
    t.throws(() => parsePushXml('<xml><Content>a</Conten></xml>'), { instanceOf: PushXmlError })?.reason,
    'malformed',
  );
  t.is(t.throws(() => parsePushXml('<other/>'), { instanceOf: PushXmlError })?.reason, 'not_a_push');
});

test('when a subscription event carries one List item, then it is still a list', (t) => {
  const f = parsePushXml(
    '<xml><SubscribeMsgPopupEvent><List><TemplateId><![CDATA[t1]]></TemplateId></List></SubscribeMsgPopupEvent></xml>',
  );
  t.deepEqual(f.SubscribeMsgPopupEvent, { List: [{ TemplateId: 't1' }] });
});
