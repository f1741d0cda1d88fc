// Keeps the catalogue the only place text lives: no Chinese string literal in gateway/ code or in the console's files,
// outside message fragments (`*.zh-CN.ts`) and comments, except the files listed below with why they stay.
import test from 'ava';
import ts from 'typescript';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { zhCN } from '../../gateway/i18n/zh-CN.js';

const han = /[\u4e00-\u9fff]/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.(ts|js|html)$/.test(e.name) ? [p] : [];
  });
}

/** Fragments are where text lives; gateway/i18n/ composes them (its core table is the catalogue itself). */
const isCatalogue = (file: string): boolean => file.endsWith('.zh-CN.ts') || file.startsWith('gateway/i18n/');

/** Each Chinese literal of a file (strings, template parts, HTML text and attributes), by line; comments are skipped. */
function chineseLiterals(file: string, text = readFileSync(file, 'utf8')): string[] {
  if (file.endsWith('.html')) {
    const withoutComments = text.replace(/<!--[\s\S]*?-->/g, '');
    return withoutComments.split('\n').flatMap((l, i) => (han.test(l) ? [`${i + 1}: ${l.trim()}`] : []));
  }
  const kind = file.endsWith('.js') ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
  const found: string[] = [];
  const add = (node: ts.Node) =>
    found.push(`${sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1}: ${node.getText(sf).slice(0, 80)}`);
  const visit = (node: ts.Node): void => {
    if (ts.isTemplateExpression(node)) {
      // One template is one text, however many parts hold Chinese; its expressions may hold more literals.
      if ([node.head, ...node.templateSpans.map((s) => s.literal)].some((p) => han.test(p.text))) add(node);
      node.templateSpans.forEach((s) => visit(s.expression));
      return;
    }
    if (
      (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isRegularExpressionLiteral(node)) &&
      han.test(node.getText(sf))
    )
      add(node);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/**
 * Files that may still hold Chinese literals, with how many and why. The check fails on any other file and on a count
 * that changed, so the list only shrinks: lower the count, or drop the line, when a text moves to the catalogue. No
 * console file (gateway/admin/) is listed: its screen text lives in its fragments under gateway/admin/messages/.
 */
const allowed: Record<string, { count: number; why: string }> = {
  'gateway/classification/default-topics.ts': {
    count: 197,
    why: 'seed data: the topic tree written into the database once, then edited there',
  },
  'gateway/classification/regions.ts': { count: 8, why: 'data: the official names of administrative regions' },
  'gateway/templates/catalogue.ts': {
    count: 24,
    why: "seed data (the default templates' texts stored in the database) and the template-key table the catalogue composes",
  },
  'gateway/surveys/surveys.ts': { count: 3, why: 'the score-name table the catalogue composes (prefixed surveyScore)' },
  'gateway/conversation/parse.ts': { count: 7, why: 'input: the command words citizens type, recognised, never shown' },
  'gateway/surveys/parse-answer.ts': { count: 5, why: 'input: the answers citizens type to a survey, recognised' },
  'gateway/classification/office-levels.ts': { count: 2, why: 'input: words in mailbox names that tell the level' },
  'gateway/figures/facts.ts': { count: 1, why: 'input: the same mailbox-name words, in SQL' },
  'gateway/channels/wechat-common/template-fields.ts': {
    count: 2,
    why: "input: WeChat's date and amount patterns (年月日, 元) that field values are checked against",
  },
  'gateway/channels/sms/providers/aliyun/codes.ts': {
    count: 2,
    why: "input: the words in Aliyun's flow-control message that name its window",
  },
  'gateway/channels/wechat-common/template-card.ts': {
    count: 1,
    why: 'matches its own length messages (不能超过) to soften them to warnings; a problem kind would be better',
  },
  'gateway/channels/sms/providers/aliyun/push.ts': {
    count: 1,
    why: "protocol: the acknowledgement text Aliyun's push expects back",
  },
  'gateway/templates/variables.ts': {
    count: 8,
    why: 'developer documentation in English quoting Chinese examples; staff read variable.* from the catalogue',
  },
  'gateway/classification/case-facts.ts': {
    count: 3,
    why: 'developer documentation in English naming the Chinese terms',
  },
  'gateway/registrations/register.ts': { count: 1, why: 'the published API schema describing a field, for developers' },
  'gateway/openapi/document.ts': { count: 7, why: "the published API document, for the case store's developers" },
  'gateway/openapi/routes.ts': { count: 2, why: "the published API documents' page titles" },
  'gateway/letters/view-schema.ts': {
    count: 1,
    why: "the published API document: the survey's answers as the platform names them",
  },
  'gateway/channels/sms/settings.ts': {
    count: 1,
    why: "operator documentation in English (README, example.env) naming Aliyun's Chinese term 签名",
  },
  'gateway/channels/wechat-mp/settings.ts': {
    count: 1,
    why: "operator documentation in English naming the WeChat admin console's menu (开发管理 → 消息推送)",
  },
  'gateway/banner.ts': { count: 1, why: 'the start-up log line for whoever runs the gateway, naming a console page' },
  'gateway/channels/sms/providers/aliyun/simulator/rules.ts': {
    count: 8,
    why: "protocol: the sandbox's simulated Aliyun answers, with the Message texts Aliyun writes",
  },
  'gateway/channels/sms/providers/aliyun/simulator/routes.ts': {
    count: 2,
    why: 'protocol: the err_msg texts of the simulated Aliyun delivery reports, as Aliyun writes them',
  },
};

const files = sourceFiles('gateway').filter((f) => !isCatalogue(f));
const found: Record<string, string[]> = {};
for (const f of files) {
  const literals = chineseLiterals(f);
  if (literals.length > 0) found[f] = literals;
}

test('when the gateway and the console are read, then the check sees the console files and the servers', (t) => {
  t.true(files.includes('gateway/admin/ui/index.html'));
  t.true(files.includes('gateway/admin/ui/page-templates.js'));
  t.true(files.includes('gateway/admin/login-guard.ts'));
  t.false(files.includes('gateway/admin/messages/page-templates.zh-CN.ts'));
});

test('when a source file holds a Chinese string literal, then it is a listed exception, as often as listed', (t) => {
  const unexpected = Object.entries(found)
    .filter(([f, l]) => !(f in allowed) || allowed[f]!.count !== l.length)
    .map(([f, l]) => `${f} (${l.length}, allowed ${allowed[f]?.count ?? 0}):\n  ${l.slice(0, 5).join('\n  ')}`);
  t.deepEqual(unexpected, []);
  const gone = Object.keys(allowed).filter((f) => !(f in found));
  t.deepEqual(gone, [], 'a listed file has no Chinese literal any more: drop its line');
});

test('when the check reads a file, then it finds Chinese in strings, templates and HTML but not in comments', (t) => {
  const js = [
    '// 注释里的中文不算',
    "const a = '来信';",
    'const b = `共 ${n} 封`;',
    "const c = t('console.x'); /* 也不算 */",
  ].join('\n');
  t.deepEqual(
    chineseLiterals('x.js', js).map((l) => l.split(':')[0]),
    ['2', '3'],
  );
  t.deepEqual(chineseLiterals('x.html', '<!-- 注释 -->\n<p>{{console.index.title}}</p>\n<p>正在加载</p>'), [
    '3: <p>正在加载</p>',
  ]);
});

test('when the console is read, then none of its files is an exception to the check', (t) => {
  t.deepEqual(
    Object.keys(allowed).filter((f) => f.startsWith('gateway/admin/')),
    [],
  );
  t.true(files.filter((f) => f.startsWith('gateway/admin/ui/') && f.endsWith('.js')).length >= 20);
});

/**
 * The console keys a console file asks for (`t('console.…')`, a menu entry's `title: 'console.…'`, `{{console.…}}`
 * in the page): a whole key, or for a key built at run time (`t(\`console.letters.col.${k}\`)`) the part before the first substitution.
 */
function consoleKeys(file: string, text = readFileSync(file, 'utf8')): { key: string; prefix: boolean }[] {
  if (file.endsWith('.html'))
    return [...text.matchAll(/\{\{([\w.]+)\}\}/g)].map((m) => ({ key: m[1]!, prefix: false }));
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const found: { key: string; prefix: boolean }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression)) {
      const a = node.arguments[0];
      // label('console.chart.bucket', value) and group(…) read the keys under a group: `console.chart.bucket.…`.
      if (a && ts.isStringLiteral(a) && ['label', 'group'].includes(node.expression.text)) {
        found.push({ key: `${a.text}.`, prefix: true });
        node.arguments.slice(1).forEach(visit);
        return;
      }
      if (a && ts.isTemplateExpression(a) && ['t', 'has'].includes(node.expression.text))
        found.push({ key: a.head.text, prefix: true });
    }
    // Any whole key written out (a t() argument, or a navigation entry's title read later).
    if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && /^console\.[\w.]*\w$/.test(node.text))
      found.push({ key: node.text, prefix: false });
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found.filter((k) => k.key.startsWith('console.'));
}

test('when a console file asks for a text by its key, then the catalogue has that key', (t) => {
  const keys = Object.keys(zhCN);
  const missing = files
    .filter((f) => f.startsWith('gateway/admin/ui/'))
    .flatMap((f) =>
      consoleKeys(f)
        .filter(({ key, prefix }) => (prefix ? !keys.some((k) => k.startsWith(key)) : !(key in zhCN)))
        .map(({ key }) => `${f}: ${key}`),
    );
  t.deepEqual(missing, []);
  const topics = consoleKeys('gateway/admin/ui/page-topics.js');
  t.true(
    topics.some((k) => k.key === 'console.topics.editButton') && topics.some((k) => k.key === 'console.topics.nav'),
    'the check finds the keys it is meant to',
  );
});
