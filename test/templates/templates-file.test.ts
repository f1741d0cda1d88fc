import test from 'ava';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestGateway, eventually } from '../_support/gateway.js';
import { sampleIntake } from '../_support/letters.js';

const file = (text: string) => {
  const path = join(mkdtempSync(join(tmpdir(), 'templates-')), 'templates.json');
  writeFileSync(
    path,
    JSON.stringify({
      format: 'letter-gateway.templates',
      version: 1,
      templates: [
        {
          channel: 'sms',
          key: 'receipt',
          route: 'sms',
          content: { templateCode: 'SMS_9', params: { s: '{{serial}}' }, text },
        },
      ],
    }),
  );
  return path;
};

test('when TEMPLATES_FILE is loaded at start-up, then its templates are used, versioned once, and kept across restarts', async (t) => {
  const path = file('受理：${s}');
  const gw = await startTestGateway({ TEMPLATES_FILE: path });
  const { letterId } = await gw.services.intake.submit(sampleIntake());
  const sent = await eventually(async () =>
    gw.services.db
      .selectFrom('deliveries')
      .selectAll()
      .where('letter_id', '=', letterId)
      .where('status', '=', 'sent')
      .executeTakeFirst(),
  );
  t.deepEqual((sent.rendered as { params: unknown }).params, {
    s: (
      await gw.services.db.selectFrom('letters').select('serial').where('id', '=', letterId).executeTakeFirstOrThrow()
    ).serial,
  });
  t.is(sent.template_version, 2, 'the shipped default is version 1, the file version 2');
  await gw.stop();
  const again = await startTestGateway({ TEMPLATES_FILE: path }, gw.databaseUrl);
  t.teardown(() => again.stop());
  const current = await again.services.templates.current('sms', 'receipt', 'sms');
  t.is(current?.version, 2, 'loading the same file again adds no version');
  const exported = await again.services.templates.exportAll();
  t.is(exported.templates.find((x) => x.channel === 'sms' && x.key === 'receipt')?.content.templateCode, 'SMS_9');
});

test('when TEMPLATES_FILE is not a valid templates file, then start-up fails naming the problem', async (t) => {
  const path = join(mkdtempSync(join(tmpdir(), 'templates-')), 'bad.json');
  writeFileSync(
    path,
    JSON.stringify({
      format: 'letter-gateway.templates',
      version: 1,
      templates: [{ channel: 'fax', key: 'receipt', route: 'x1', content: {} }],
    }),
  );
  await t.throwsAsync(() => startTestGateway({ TEMPLATES_FILE: path }), { message: /templates\.0\.channel/ });
});
