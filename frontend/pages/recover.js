// /recover : back in with a recovery code and a new password.
import { recover } from '../api.js';
import {
  append, field, h, setTitle,
} from '../ui.js';
import {
  credentialsForm, handleField, passphraseHint, passwordRefusals,
} from './credentials.js';

export default async function render({ view, navigate }) {
  setTitle('Recover your account');
  const handle = handleField();
  const code = field({ label: 'Recovery code', name: 'code', autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false', required: true, hint: 'One of the ten codes you saved when you joined. Each works once.' });
  const password = field({ label: 'New password', name: 'new-password', type: 'password', autocomplete: 'new-password', required: true, maxlength: 256, hint: passphraseHint });
  const form = credentialsForm({
    fields: [handle, code, password],
    password,
    label: 'Recover my account',
    send: async () => {
      await recover(handle.input.value.trim(), code.input.value.trim(), password.input.value);
      navigate('/', {
        replace: true,
        flash: { message: 'You are back in, with your new password. That recovery code is now used up; the others still work. Any other devices were signed out.' },
      });
    },
    refusals: { invalid_handle: handle.input, invalid_recovery: code.input, ...passwordRefusals(password.input) },
  });
  append(view,
    h('h1', { tabindex: '-1' }, 'Recover your account'),
    h('p', { class: 'lede' }, 'Forgotten passwords happen. A recovery code lets you choose a new one.'),
    form,
    h('p', null, 'Remembered it? ', h('a', { href: '/signin' }, 'Sign in'), '.'));
}
