// /recover : back in with a recovery code and a new password.
import { recover } from '../api.js';
import {
  append, busy, clearErrors, field, formError, h, setTitle, showError,
} from '../ui.js';
import { passphraseHint, showPasswordToggle } from './join.js';

export default async function render({ view, navigate }) {
  setTitle('Recover your account');
  const handle = field({ label: 'Handle', name: 'handle', autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false', required: true });
  const code = field({ label: 'Recovery code', name: 'code', autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false', required: true, hint: 'One of the ten codes you saved when you joined. Each works once.' });
  const password = field({ label: 'New password', name: 'new-password', type: 'password', autocomplete: 'new-password', required: true, maxlength: 256, hint: passphraseHint });
  const err = formError();
  const button = h('button', { type: 'submit', class: 'button primary' }, 'Recover my account');
  const form = h('form', { class: 'stack', novalidate: true },
    handle.wrap, code.wrap, password.wrap, showPasswordToggle(password.input),
    h('div', { class: 'form-actions' }, button), err);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    await busy(button, async () => {
      try {
        await recover(handle.input.value.trim(), code.input.value.trim(), password.input.value);
        navigate('/', {
          replace: true,
          flash: { message: 'You are back in, with your new password. That recovery code is now used up; the others still work. Any other devices were signed out.' },
        });
      } catch (e) {
        showError(e, {
          invalid_handle: handle.input, invalid_recovery: code.input,
          password_too_short: password.input, password_too_long: password.input, password_too_common: password.input,
        }, err);
      }
    });
  });
  append(view,
    h('h1', { tabindex: '-1' }, 'Recover your account'),
    h('p', { class: 'lede' }, 'Forgotten passwords happen. A recovery code lets you choose a new one.'),
    form,
    h('p', null, 'Remembered it? ', h('a', { href: '/signin' }, 'Sign in'), '.'));
}
