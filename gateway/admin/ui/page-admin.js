// Admin pages: staff accounts (create, role, disable, reset password) and the audit log with filters.
import { h, mount, toast, fmtTime, table, field } from './dom.js';
import { api, labels, session } from './api.js';
import { group, label, t } from './i18n.js';
import { askValue } from './dialog.js';

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
      toast(t('console.admin.shiBai', { message: x.message }));
    }
  };
  mount(
    main,
    h('h2', {}, t('console.admin.renYuan')),
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
            toast(t('console.admin.yiChuangJian'));
            staffPage(main);
          } catch (x) {
            toast(
              t('console.admin.chuangJianShiBai', {
                problem: x.body.problems?.map((p) => p.message).join('；') ?? x.message,
              }),
            );
          }
        },
      },
      h('h3', {}, t('console.admin.xinJianZhangHao')),
      h(
        'div',
        { class: 'row' },
        field(t('console.admin.yongHuMing'), f.username),
        field(t('console.admin.xingMing'), f.displayName),
        field(t('console.admin.chuShiMiMa'), f.password),
        field(t('console.admin.jiaoSe'), f.role),
        h('button', { type: 'submit' }, t('console.admin.chuangJian')),
      ),
    ),
    table(
      [
        t('console.admin.yongHuMing'),
        t('console.admin.xingMing'),
        t('console.admin.jiaoSe'),
        t('console.admin.zhuangTai'),
        '',
      ],
      r.staff.map((u) => {
        const role = h(
          'select',
          { 'aria-label': t('console.admin.deJiaoSe', { username: u.username }) },
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
                    onclick: () => patch(u.id, { role: role.value }, t('console.admin.jiaoSeYiXiu')),
                  },
                  t('console.admin.baoCunJiaoSe'),
                ),
          ),
          h('td', {}, u.disabled ? t('console.admin.yiTingYong') : t('console.admin.zhengChang')),
          h(
            'td',
            {},
            self
              ? t('console.admin.benRen')
              : h(
                  'button',
                  {
                    type: 'button',
                    class: u.disabled ? 'secondary' : 'danger',
                    onclick: () =>
                      patch(
                        u.id,
                        { disabled: !u.disabled },
                        u.disabled ? t('console.admin.yiQiYong') : t('console.admin.yiTingYong'),
                      ),
                  },
                  u.disabled ? t('console.admin.qiYong') : t('console.admin.tingYong'),
                ),
            ' ',
            self
              ? ''
              : h(
                  'button',
                  {
                    type: 'button',
                    class: 'secondary',
                    onclick: async () => {
                      const p = await askValue(
                        t('console.admin.weiSheZhiXin', { username: u.username }),
                        t('console.admin.xinMiMa'),
                        {
                          type: 'password',
                          check: (v) => (v.length < 12 ? t('console.admin.xinMiMaZhi') : ''),
                        },
                      );
                      if (p) patch(u.id, { password: p }, t('console.admin.miMaYiZhong'));
                    },
                  },
                  t('console.admin.zhongZhiMiMa'),
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
      h('option', { value: '' }, t('console.admin.quanBu')),
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
      v === null
        ? ''
        : h('details', {}, h('summary', {}, t('console.admin.chaKan')), h('pre', {}, JSON.stringify(v, null, 2)));
    mount(
      out,
      table(
        [
          t('console.admin.shiJian'),
          t('console.admin.renYuan'),
          t('console.admin.caoZuo'),
          t('console.admin.duiXiang'),
          t('console.admin.yuanYin'),
          t('console.admin.xiuGaiQian'),
          t('console.admin.xiuGaiHou'),
          'IP',
        ],
        r.entries.map((e) =>
          h(
            'tr',
            {},
            h('td', {}, fmtTime(e.at)),
            h('td', {}, e.staff),
            h('td', {}, label('audit', e.action, t('console.admin.qiTaCaoZuo', { action: e.action }))),
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
    h('h2', {}, t('console.admin.shenJiRiZhi')),
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
        field(t('console.admin.renYuan'), q.staff),
        field(t('console.admin.caoZuo'), q.action),
        field(t('console.admin.duiXiangId'), q.targetId),
        field(t('console.admin.cong'), q.from),
        field(t('console.admin.dao'), q.to),
        h('button', { type: 'submit' }, t('console.admin.shaiXuan')),
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
    h('h2', {}, t('console.admin.xiuGaiMiMa')),
    h(
      'form',
      {
        class: 'card login',
        onsubmit: async (e) => {
          e.preventDefault();
          try {
            await api('POST', '/password', { current: current.value, next: next.value });
            toast(t('console.admin.miMaYiXiu'));
            current.value = next.value = '';
          } catch (x) {
            toast(
              t('console.admin.xiuGaiShiBai', {
                problem: x.body.problems?.map((p) => p.message).join('；') ?? x.message,
              }),
            );
          }
        },
      },
      field(t('console.admin.dangQianMiMa'), current),
      field(t('console.admin.xinMiMaZhiShao'), next),
      h('button', { type: 'submit' }, t('console.admin.xiuGai')),
    ),
  );
}
