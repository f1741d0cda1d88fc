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
      toast(t('console.admin.failed', { message: x.message }));
    }
  };
  mount(
    main,
    h('h2', {}, t('console.admin.staffHeading')),
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
            toast(t('console.admin.created'));
            staffPage(main);
          } catch (x) {
            toast(
              t('console.admin.createFailed', {
                problem: x.body.problems?.map((p) => p.message).join('；') ?? x.message,
              }),
            );
          }
        },
      },
      h('h3', {}, t('console.admin.newAccount')),
      h(
        'div',
        { class: 'row' },
        field(t('console.admin.username'), f.username),
        field(t('console.admin.displayName'), f.displayName),
        field(t('console.admin.initialPassword'), f.password),
        field(t('console.admin.role'), f.role),
        h('button', { type: 'submit' }, t('console.admin.create')),
      ),
    ),
    table(
      [
        t('console.admin.username'),
        t('console.admin.displayName'),
        t('console.admin.role'),
        t('console.admin.status'),
        '',
      ],
      r.staff.map((u) => {
        const role = h(
          'select',
          { 'aria-label': t('console.admin.roleOf', { username: u.username }) },
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
                    onclick: () => patch(u.id, { role: role.value }, t('console.admin.roleChanged')),
                  },
                  t('console.admin.saveRole'),
                ),
          ),
          h('td', {}, u.disabled ? t('console.admin.disabled') : t('console.admin.active')),
          h(
            'td',
            {},
            self
              ? t('console.admin.self')
              : h(
                  'button',
                  {
                    type: 'button',
                    class: u.disabled ? 'secondary' : 'danger',
                    onclick: () =>
                      patch(
                        u.id,
                        { disabled: !u.disabled },
                        u.disabled ? t('console.admin.enabled') : t('console.admin.disabled'),
                      ),
                  },
                  u.disabled ? t('console.admin.enable') : t('console.admin.disable'),
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
                        t('console.admin.newPasswordFor', { username: u.username }),
                        t('console.admin.newPassword'),
                        {
                          type: 'password',
                          check: (v) => (v.length < 12 ? t('console.admin.newPasswordTooShort') : ''),
                        },
                      );
                      if (p) patch(u.id, { password: p }, t('console.admin.passwordReset'));
                    },
                  },
                  t('console.admin.resetPassword'),
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
      h('option', { value: '' }, t('console.admin.all')),
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
        : h('details', {}, h('summary', {}, t('console.admin.view')), h('pre', {}, JSON.stringify(v, null, 2)));
    mount(
      out,
      table(
        [
          t('console.admin.time'),
          t('console.admin.staffHeading'),
          t('console.admin.action'),
          t('console.admin.target'),
          t('console.admin.reason'),
          t('console.admin.before'),
          t('console.admin.after'),
          'IP',
        ],
        r.entries.map((e) =>
          h(
            'tr',
            {},
            h('td', {}, fmtTime(e.at)),
            h('td', {}, e.staff),
            h('td', {}, label('audit', e.action, t('console.admin.otherAction', { action: e.action }))),
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
    h('h2', {}, t('console.admin.auditHeading')),
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
        field(t('console.admin.staffHeading'), q.staff),
        field(t('console.admin.action'), q.action),
        field(t('console.admin.targetId'), q.targetId),
        field(t('console.admin.from'), q.from),
        field(t('console.admin.to'), q.to),
        h('button', { type: 'submit' }, t('console.admin.filter')),
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
    h('h2', {}, t('console.admin.changePassword')),
    h(
      'form',
      {
        class: 'card login',
        onsubmit: async (e) => {
          e.preventDefault();
          try {
            await api('POST', '/password', { current: current.value, next: next.value });
            toast(t('console.admin.passwordChanged'));
            current.value = next.value = '';
          } catch (x) {
            toast(
              t('console.admin.changeFailed', {
                problem: x.body.problems?.map((p) => p.message).join('；') ?? x.message,
              }),
            );
          }
        },
      },
      field(t('console.admin.currentPassword'), current),
      field(t('console.admin.newPasswordRule'), next),
      h('button', { type: 'submit' }, t('console.admin.change')),
    ),
  );
}
