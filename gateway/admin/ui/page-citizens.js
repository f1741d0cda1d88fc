// Admin: a citizen's personal data on request — export everything held about them as JSON, or erase it. Both need
// a reason and are written to the audit log.
import { h, mount, toast, field } from './dom.js';
import { api } from './api.js';

export function citizensPage(main) {
  const id = h('input', { id: 'c-id', required: true, placeholder: '+86 手机号或 openid' });
  const reason = h('input', {
    id: 'c-reason',
    required: true,
    minlength: 2,
    maxlength: 500,
    placeholder: '如：市民申请查阅（工单号）',
  });
  const mode = h(
    'select',
    { id: 'c-mode' },
    h('option', { value: 'pseudonymise' }, '去标识化（保留来信内容与统计）'),
    h('option', { value: 'erase' }, '删除（来信内容一并删除）'),
  );
  const out = h('div', { 'aria-live': 'polite' });
  const who = () => (/^[+\d\s-]+$/.test(id.value.trim()) ? { phone: id.value.trim() } : { openid: id.value.trim() });
  const problem = (x) => x.body?.problems?.map((p) => p.message).join('；') ?? x.message;
  const exportData = async () => {
    try {
      const data = await api('POST', '/citizens/export', { ...who(), reason: reason.value });
      const a = h(
        'a',
        {
          href: URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' })),
          download: 'citizen-export.json',
        },
        '下载导出文件',
      );
      mount(out, h('p', {}, `找到来信 ${data.letters.length} 封（已记入审计日志）。`, a));
    } catch (x) {
      toast(`导出失败：${problem(x)}`);
    }
  };
  const erase = async () => {
    if (!confirm('删除后无法恢复，确定删除该市民的个人信息吗？')) return;
    try {
      const r = await api('POST', '/citizens/erase', { ...who(), reason: reason.value, mode: mode.value });
      mount(
        out,
        h(
          'p',
          {},
          `已处理来信 ${r.letters} 封，取消待发消息 ${r.cancelledDeliveries} 条，删除记录 ${r.deletedRows} 条（已通知核心系统并记入审计日志）。`,
        ),
      );
    } catch (x) {
      toast(`删除失败：${problem(x)}`);
    }
  };
  mount(
    main,
    h('h2', {}, '市民个人信息'),
    h(
      'form',
      {
        class: 'card',
        onsubmit: (e) => {
          e.preventDefault();
          exportData();
        },
      },
      h('div', { class: 'row' }, field('市民（手机号或 openid）', id), field('原因', reason), field('删除方式', mode)),
      h(
        'div',
        { class: 'row' },
        h('button', { type: 'submit' }, '导出 JSON'),
        h('button', { type: 'button', class: 'secondary', onclick: erase }, '删除个人信息'),
      ),
    ),
    out,
  );
}
