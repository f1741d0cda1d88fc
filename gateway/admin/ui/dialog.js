// An accessible question box (a modal <dialog> with a labelled input) for the reason an audited action needs; resolves
// with the trimmed reason, or null when cancelled.
import { h } from './dom.js';

export function askReason(title, hint = '原因将记入审计日志') {
  return new Promise((resolve) => {
    const input = h('input', { id: 'reason-input', required: true, minlength: 2, maxlength: 500, autocomplete: 'off' });
    const error = h('p', { class: 'problems', role: 'alert' });
    const dialog = h(
      'dialog',
      { 'aria-labelledby': 'reason-title', class: 'card' },
      h(
        'form',
        {
          method: 'dialog',
          novalidate: true,
          onsubmit: (e) => {
            e.preventDefault();
            const v = input.value.trim();
            if (v.length < 2) {
              error.textContent = '请填写原因（至少 2 个字）';
              input.setAttribute('aria-invalid', 'true');
              return input.focus();
            }
            dialog.close();
            dialog.remove();
            resolve(v);
          },
        },
        h('h2', { id: 'reason-title' }, title),
        h('label', { for: 'reason-input' }, `原因（${hint}）`),
        input,
        error,
        h(
          'div',
          { class: 'row' },
          h('button', { type: 'submit' }, '确定'),
          h(
            'button',
            {
              type: 'button',
              class: 'secondary',
              onclick: () => {
                dialog.close();
                dialog.remove();
                resolve(null);
              },
            },
            '取消',
          ),
        ),
      ),
    );
    dialog.addEventListener('cancel', () => {
      dialog.remove();
      resolve(null);
    });
    document.body.append(dialog);
    dialog.showModal();
    input.focus();
  });
}
