// Accessible question boxes (a modal <dialog>): the reason an audited action needs, a yes/no confirmation and a
// single answer such as a new password; each resolves with the answer, or null/false when cancelled. They stand in
// for window.prompt/confirm, whose texts and buttons the page cannot label or translate. The dialog is named by its
// heading, Esc cancels it, Tab and Shift+Tab go round its own controls only (the page behind is inert, but the
// browser's own bar would otherwise take the focus), and the focus returns to the control that opened it.
import { h } from './dom.js';
import { t } from './i18n.js';

let opened = 0;

/** A dialog with `title`, optional `body` nodes and an optional input; resolves with the input's value, true or null. */
function ask({ title, body = [], input, check }) {
  const id = `dialog-${++opened}`;
  const opener = document.activeElement;
  return new Promise((resolve) => {
    const error = h('p', { class: 'problems', role: 'alert' });
    const finish = (value) => {
      if (dialog.open) dialog.close();
      dialog.remove();
      if (opener?.isConnected) opener.focus();
      resolve(value);
    };
    const dialog = h(
      'dialog',
      { 'aria-labelledby': `${id}-title`, class: 'card' },
      h(
        'form',
        {
          method: 'dialog',
          novalidate: true,
          onsubmit: (e) => {
            e.preventDefault();
            if (!input) return finish(true);
            const v = input.value.trim();
            const problem = check?.(v);
            if (problem) {
              error.textContent = problem;
              input.setAttribute('aria-invalid', 'true');
              return input.focus();
            }
            finish(v);
          },
        },
        h('h2', { id: `${id}-title` }, title),
        ...body,
        error,
        h(
          'div',
          { class: 'row' },
          h('button', { type: 'submit' }, t('console.dialog.ok')),
          h('button', { type: 'button', class: 'secondary', onclick: () => finish(null) }, t('console.dialog.cancel')),
        ),
      ),
    );
    dialog.addEventListener('cancel', (e) => {
      e.preventDefault();
      finish(null);
    });
    dialog.addEventListener('keydown', (e) => {
      if (e.key !== 'Tab') return;
      const controls = [...dialog.querySelectorAll('input, button, select, textarea, a[href]')].filter(
        (c) => !c.disabled,
      );
      const first = controls[0];
      const last = controls.at(-1);
      if (e.shiftKey && document.activeElement === first) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && document.activeElement === last) {
        e.preventDefault();
        first.focus();
      }
    });
    document.body.append(dialog);
    dialog.showModal();
    (input ?? dialog.querySelector('button[type=submit]')).focus();
  });
}

export function askReason(title, hint = t('console.dialog.reasonHint')) {
  const input = h('input', { id: 'reason-input', required: true, minlength: 2, maxlength: 500, autocomplete: 'off' });
  return ask({
    title,
    input,
    body: [h('label', { for: 'reason-input' }, t('console.dialog.reasonLabel', { hint })), input],
    check: (v) => (v.length < 2 ? t('console.dialog.reasonTooShort') : ''),
  });
}

/** A yes/no question (e.g. before an action that cannot be undone); resolves true only when confirmed. */
export async function askConfirm(title, text = '') {
  return (await ask({ title, body: text ? [h('p', {}, text)] : [] })) === true;
}

/** One answer typed in (`type` e.g. 'password'); `check(value)` returns a problem to show, or '' when it is fine. */
export function askValue(title, label, { type = 'text', check } = {}) {
  const input = h('input', { id: 'dialog-value', type, required: true, autocomplete: 'off' });
  return ask({ title, input, check, body: [h('label', { for: 'dialog-value' }, label), input] });
}
