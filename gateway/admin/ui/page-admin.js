// Admin pages: staff accounts (create, role, disable, reset password) and the audit log with filters.
import { h, mount, toast, fmtTime, table, field } from './dom.js';
import { api, labels, session } from './api.js';
import { group, label } from './i18n.js';

export async function staffPage(main) {
  const r = await api('GET', '/staff');
  const f = {
    username: h('input', { id: 'st-user', required: true }),
    displayName: h('input', { id: 'st-name', required: true }),
    password: h('input', { id: 'st-pass', type: 'password', autocomplete: 'new-password', required: true }),
    role: h(
      'select',
      { id: 'st-role' },
      Object.entries(labels.role).map(([v, t]) => h('option', { value: v, selected: v === 'operator' }, t)),
    ),
  };
  const patch = async (id, body, done) => {
    try {
      await api('PATCH', `/staff/${id}`, body);
      toast(done);
      staffPage(main);
    } catch (x) {
      toast(`失败：${x.message}`);
    }
  };
  mount(
    main,
    h('h2', {}, '人员'),
    h(
      'form',
      {
        class: 'card',
        onsubmit: async (e) => {
          e.preventDefault();
          try {
            await api('POST', '/staff', {
              username: f.username.value,
              displayName: f.displayName.value,
              password: f.password.value,
              role: f.role.value,
            });
            toast('已创建');
            staffPage(main);
          } catch (x) {
            toast(`创建失败：${x.body.problems?.map((p) => p.message).join('；') ?? x.message}`);
          }
        },
      },
      h('h3', {}, '新建账号'),
      h(
        'div',
        { class: 'row' },
        field('用户名', f.username),
        field('姓名', f.displayName),
        field('初始密码（至少 12 位）', f.password),
        field('角色', f.role),
        h('button', { type: 'submit' }, '创建'),
      ),
    ),
    table(
      ['用户名', '姓名', '角色', '状态', ''],
      r.staff.map((u) => {
        const role = h(
          'select',
          { 'aria-label': `${u.username} 的角色` },
          Object.entries(labels.role).map(([v, t]) => h('option', { value: v, selected: v === u.role }, t)),
        );
        const self = u.id === session.staff.id;
        return h(
          'tr',
          {},
          h('td', {}, u.username),
          h('td', {}, u.displayName),
          h(
            'td',
            {},
            role,
            self
              ? ''
              : h(
                  'button',
                  {
                    type: 'button',
                    class: 'secondary',
                    onclick: () => patch(u.id, { role: role.value }, '角色已修改'),
                  },
                  '保存角色',
                ),
          ),
          h('td', {}, u.disabled ? '已停用' : '正常'),
          h(
            'td',
            {},
            self
              ? '（本人）'
              : h(
                  'button',
                  {
                    type: 'button',
                    class: u.disabled ? 'secondary' : 'danger',
                    onclick: () => patch(u.id, { disabled: !u.disabled }, u.disabled ? '已启用' : '已停用'),
                  },
                  u.disabled ? '启用' : '停用',
                ),
            ' ',
            self
              ? ''
              : h(
                  'button',
                  {
                    type: 'button',
                    class: 'secondary',
                    onclick: () => {
                      const p = prompt(`为 ${u.username} 设置新密码（至少 12 位）`);
                      if (p) patch(u.id, { password: p }, '密码已重置');
                    },
                  },
                  '重置密码',
                ),
          ),
        );
      }),
    ),
  );
}

export async function auditPage(main) {
  const actions = Object.entries(group('audit'));
  const q = {
    staff: h('input', { id: 'a-staff' }),
    action: h(
      'select',
      { id: 'a-action' },
      h('option', { value: '' }, '全部'),
      actions.map(([v, t]) => h('option', { value: v }, t)),
    ),
    targetId: h('input', { id: 'a-target' }),
    from: h('input', { id: 'a-from', type: 'date' }),
    to: h('input', { id: 'a-to', type: 'date' }),
  };
  const out = h('div', { 'aria-live': 'polite' });
  const load = async () => {
    const p = new URLSearchParams(
      Object.entries(q)
        .filter(([, c]) => c.value)
        .map(([k, c]) => [k, c.value]),
    );
    const r = await api('GET', `/audit?${p}`);
    const json = (v) =>
      v === null ? '' : h('details', {}, h('summary', {}, '查看'), h('pre', {}, JSON.stringify(v, null, 2)));
    mount(
      out,
      table(
        ['时间', '人员', '操作', '对象', '原因', '修改前', '修改后', 'IP'],
        r.entries.map((e) =>
          h(
            'tr',
            {},
            h('td', {}, fmtTime(e.at)),
            h('td', {}, e.staff),
            h('td', {}, label('audit', e.action, `其他操作（${e.action}）`)),
            h(
              'td',
              {},
              label('auditTarget', e.targetType),
              ' ',
              e.targetId ? h('code', { class: 'mono' }, e.targetId) : '',
            ),
            h('td', {}, e.reason ?? ''),
            h('td', {}, json(e.before)),
            h('td', {}, json(e.after)),
            h('td', {}, e.ip ?? ''),
          ),
        ),
      ),
    );
  };
  mount(
    main,
    h('h2', {}, '审计日志'),
    h(
      'form',
      {
        class: 'card',
        onsubmit: (e) => {
          e.preventDefault();
          load();
        },
      },
      h(
        'div',
        { class: 'row' },
        field('人员', q.staff),
        field('操作', q.action),
        field('对象 ID', q.targetId),
        field('从', q.from),
        field('到', q.to),
        h('button', { type: 'submit' }, '筛选'),
      ),
    ),
    out,
  );
  await load();
}

export function passwordPage(main) {
  const current = h('input', { id: 'pw-current', type: 'password', autocomplete: 'current-password', required: true });
  const next = h('input', {
    id: 'pw-next',
    type: 'password',
    autocomplete: 'new-password',
    required: true,
    minlength: 12,
  });
  mount(
    main,
    h('h2', {}, '修改密码'),
    h(
      'form',
      {
        class: 'card login',
        onsubmit: async (e) => {
          e.preventDefault();
          try {
            await api('POST', '/password', { current: current.value, next: next.value });
            toast('密码已修改，其他设备上的登录已退出');
            current.value = next.value = '';
          } catch (x) {
            toast(`修改失败：${x.body.problems?.map((p) => p.message).join('；') ?? x.message}`);
          }
        },
      },
      field('当前密码', current),
      field('新密码（至少 12 位，不能只有一类字符）', next),
      h('button', { type: 'submit' }, '修改'),
    ),
  );
}
