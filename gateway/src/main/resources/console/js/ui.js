// Page-independent interaction: the status line and the confirmation dialog.
import { h } from './dom.js';

/** A message for screen readers and sighted users alike (the status region is aria-live). */
export function announce(message, tone) {
  const status = document.getElementById('status');
  status.textContent = message || '';
  status.className = `status ${tone || ''}`;
}

/**
 * Asks before a change that moves traffic: a modal <dialog> (focus is trapped, Escape cancels) naming
 * what will happen. Resolves to true when confirmed.
 */
export function confirmAction(title, text, confirmLabel) {
  return new Promise((resolve) => {
    const cancel = h('button', { type: 'button', value: 'cancel', class: 'secondary' }, 'Cancel');
    const ok = h('button', { type: 'button', value: 'confirm', class: 'danger' }, confirmLabel);
    const dialog = h('dialog', { class: 'confirm', 'aria-labelledby': 'confirm-title', 'aria-describedby': 'confirm-text' },
      h('h2', { id: 'confirm-title' }, title),
      h('p', { id: 'confirm-text' }, text),
      h('div', { class: 'buttons' }, cancel, ok));
    const close = (answer) => {
      dialog.close();
      dialog.remove();
      resolve(answer);
    };
    cancel.addEventListener('click', () => close(false));
    ok.addEventListener('click', () => close(true));
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      close(false);
    });
    document.body.appendChild(dialog);
    dialog.showModal();
    cancel.focus();
  });
}
