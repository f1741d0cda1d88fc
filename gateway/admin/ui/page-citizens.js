// Admin: a citizen's personal data on request — export everything held about them as JSON, or erase it. Both need
// a reason and are written to the audit log.
import { h, mount, toast, field } from './dom.js';
import { api } from './api.js';
import { askConfirm } from './dialog.js';
import { t } from './i18n.js';

export function citizensPage(main) {
  const id = h('input', { id: 'c-id', required: true, placeholder: t('console.citizens.subjectPlaceholder') });
  const reason = h('input', {
    id: 'c-reason',
    required: true,
    minlength: 2,
    maxlength: 500,
    placeholder: t('console.citizens.reasonPlaceholder'),
  });
  const mode = h(
    'select',
    { id: 'c-mode' },
    h('option', { value: 'pseudonymise' }, t('console.citizens.modeAnonymise')),
    h('option', { value: 'erase' }, t('console.citizens.modeDelete')),
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
        t('console.citizens.downloadExport'),
      );
      mount(out, h('p', {}, t('console.citizens.lettersFound', { length: data.letters.length }), a));
    } catch (x) {
      toast(t('console.citizens.exportFailed', { problem: problem(x) }));
    }
  };
  const erase = async () => {
    if (!(await askConfirm(t('console.citizens.confirmErase')))) return;
    try {
      const r = await api('POST', '/citizens/erase', { ...who(), reason: reason.value, mode: mode.value });
      mount(
        out,
        h(
          'p',
          {},
          t('console.citizens.erased', {
            letters: r.letters,
            cancelledDeliveries: r.cancelledDeliveries,
            deletedRows: r.deletedRows,
          }),
        ),
      );
    } catch (x) {
      toast(t('console.citizens.eraseFailed', { problem: problem(x) }));
    }
  };
  mount(
    main,
    h('h2', {}, t('console.citizens.heading')),
    h(
      'form',
      {
        class: 'card',
        onsubmit: (e) => {
          e.preventDefault();
          exportData();
        },
      },
      h(
        'div',
        { class: 'row' },
        field(t('console.citizens.subjectLabel'), id),
        field(t('console.citizens.reason'), reason),
        field(t('console.citizens.eraseMode'), mode),
      ),
      h(
        'div',
        { class: 'row' },
        h('button', { type: 'submit' }, t('console.citizens.exportJson')),
        h('button', { type: 'button', class: 'secondary', onclick: erase }, t('console.citizens.erase')),
      ),
    ),
    out,
  );
}
