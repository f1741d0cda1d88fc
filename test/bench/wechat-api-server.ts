// A WeChat server API stand-in for `npm run bench:pipeline`, run as its own process: hands out an access token and
// accepts every customer-service and template message, answering like WeChat (HTTP 200, errcode 0). It remembers
// when each citizen's receipt (the message carrying a serial) arrived; GET /stats returns how many, GET /stats?times
// also those times (asked once at the end: the benchmark polls in the gateway's process, and parsing every time on
// every poll would be charged to the gateway's CPU).
import { createServer } from 'node:http';

const receipts = new Map<string, number>();
let messages = 0;
let msgid = 3487542469355618300n;

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const [path = '', query = ''] = (req.url ?? '').split('?');
    res.setHeader('content-type', 'application/json; encoding=utf-8');
    if (path === '/stats') {
      res.end(
        JSON.stringify({
          messages,
          receipted: receipts.size,
          receipts: query.includes('times') ? Object.fromEntries(receipts) : {},
        }),
      );
      return;
    }
    if (path === '/cgi-bin/stable_token' || path === '/cgi-bin/token') {
      res.end(JSON.stringify({ access_token: 'BENCH-TOKEN', expires_in: 7200 }));
      return;
    }
    if (path.startsWith('/cgi-bin/message/')) {
      messages++;
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as {
        touser?: string;
        text?: { content?: string };
        data?: Record<string, { value?: string }>;
      };
      const text = body.text?.content ?? body.data?.character_string1?.value ?? '';
      if (body.touser && /BENCH\d+/.test(text) && !receipts.has(body.touser)) receipts.set(body.touser, Date.now());
      res.end(
        path.endsWith('/template/send')
          ? `{"errcode":0,"errmsg":"ok","msgid":${(msgid++).toString()}}`
          : '{"errcode":0,"errmsg":"ok"}',
      );
      return;
    }
    res.statusCode = 404;
    res.end('{"errcode":-1,"errmsg":"not found"}');
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const a = server.address();
  if (a && typeof a === 'object') process.stdout.write(`listening ${a.port}\n`);
});
