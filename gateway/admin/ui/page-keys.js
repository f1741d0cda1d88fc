// API keys for the case store: create (the key is shown once), see last use, revoke.
import { h, mount, toast, fmtTime, table, field } from './dom.js';
import { api } from './api.js';

export async function keysPage(main) {
  const r = await api('GET', '/api-keys');
  const name = h('input', { id: 'key-name', required: true, maxlength: 80 });
  const scopes = r.scopes.map((s) =>
    h('input', { type: 'checkbox', id: `scope-${s}`, value: s, checked: s === 'letters:read' }),
  );
  const shown = h('div', { 'aria-live': 'polite' });
  mount(
    main,
    h('h2', {}, 'API 密钥'),
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
              .append(h('p', {}, '新密钥（只显示这一次，请立即复制保存）：'), h('p', { class: 'secret' }, k.key));
          } catch (x) {
            toast(`创建失败：${x.message}`);
          }
        },
      },
      h('h3', {}, '新建密钥'),
      field('名称', name),
      h(
        'fieldset',
        {},
        h('legend', {}, '权限'),
        scopes.map((c) => h('span', {}, c, ' ', h('label', { for: c.id, class: 'inline' }, c.value), '　')),
      ),
      h('button', { type: 'submit' }, '创建'),
    ),
    h('div', { id: 'key-shown', class: 'card' }, shown),
    table(
      ['名称', '权限', '创建', '最近使用', '状态', ''],
      r.keys.map((k) =>
        h(
          'tr',
          {},
          h('td', {}, k.name),
          h('td', {}, k.scopes.join(', ')),
          h('td', {}, fmtTime(k.created_at)),
          h('td', {}, fmtTime(k.last_used_at)),
          h('td', {}, k.revoked_at ? `已吊销 ${fmtTime(k.revoked_at)}` : '有效'),
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
                      if (!confirm(`吊销密钥“${k.name}”？使用它的系统会立即无法调用。`)) return;
                      await api('POST', `/api-keys/${k.id}/revoke`);
                      toast('已吊销');
                      keysPage(main);
                    },
                  },
                  '吊销',
                ),
          ),
        ),
      ),
    ),
  );
}
