// API keys for the case store: create (the key is shown once), see last use, revoke.
import { h, mount, toast, fmtTime, table, field } from './dom.js';
import { api } from './api.js';
import { askConfirm } from './dialog.js';
import { t } from './i18n.js';

export async function keysPage(main) {
  const r = await api('GET', '/api-keys');
  const name = h('input', { id: 'key-name', required: true, maxlength: 80 });
  const scopes = r.scopes.map((s) =>
    h('input', { type: 'checkbox', id: `scope-${s}`, value: s, checked: s === 'letters:read' }),
  );
  const shown = h('div', { 'aria-live': 'polite' });
  mount(
    main,
    h('h2', {}, t('console.keys.heading')),
    h(
      'form',
      {
        class: 'card',
        onsubmit: async (e) => {
          e.preventDefault();
          const chosen = scopes.filter((c) => c.checked).map((c) => c.value);
          try {
            const k = await api('POST', '/api-keys', { name: name.value, scopes: chosen });
            await keysPage(main);
            main
              .querySelector('#key-shown')
              .append(h('p', {}, t('console.keys.newKeyOnce')), h('p', { class: 'secret' }, k.key));
          } catch (x) {
            toast(t('console.keys.createFailed', { message: x.message }));
          }
        },
      },
      h('h3', {}, t('console.keys.newKey')),
      field(t('console.keys.name'), name),
      h(
        'fieldset',
        {},
        h('legend', {}, t('console.keys.scopes')),
        scopes.map((c) => h('span', {}, c, ' ', h('label', { for: c.id, class: 'inline' }, c.value), '　')),
      ),
      h('button', { type: 'submit' }, t('console.keys.create')),
    ),
    h('div', { id: 'key-shown', class: 'card' }, shown),
    table(
      [
        t('console.keys.name'),
        t('console.keys.scopes'),
        t('console.keys.create'),
        t('console.keys.lastUsed'),
        t('console.keys.status'),
        '',
      ],
      r.keys.map((k) =>
        h(
          'tr',
          {},
          h('td', {}, k.name),
          h('td', {}, k.scopes.join(', ')),
          h('td', {}, fmtTime(k.created_at)),
          h('td', {}, fmtTime(k.last_used_at)),
          h(
            'td',
            {},
            k.revoked_at ? t('console.keys.revokedAt', { fmtTime: fmtTime(k.revoked_at) }) : t('console.keys.active'),
          ),
          h(
            'td',
            {},
            k.revoked_at
              ? ''
              : h(
                  'button',
                  {
                    type: 'button',
                    class: 'danger',
                    onclick: async () => {
                      if (
                        !(await askConfirm(
                          t('console.keys.confirmRevoke', { name: k.name }),
                          t('console.keys.revokeWarning'),
                        ))
                      )
                        return;
                      await api('POST', `/api-keys/${k.id}/revoke`);
                      toast(t('console.keys.revoked'));
                      keysPage(main);
                    },
                  },
                  t('console.keys.revoke'),
                ),
          ),
        ),
      ),
    ),
  );
}
