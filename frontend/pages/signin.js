// /signin : handle and password.
import { signIn } from '../api.js';
import {
  append, busy, clearErrors, field, formError, h, safePath, setTitle, showError,
} from '../ui.js';
import { showPasswordToggle } from './join.js';

export default async function render({ view, navigate, query, takeFlash }) {
  setTitle('Sign in');
  const flash = takeFlash();
  const handle = field({ label: 'Handle', name: 'handle', autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false', required: true });
  const password = field({ label: 'Password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const err = formError();
  const button = h('button', { type: 'submit', class: 'button primary' }, 'Sign in');
  const form = h('form', { class: 'stack', novalidate: true },
    handle.wrap, password.wrap, showPasswordToggle(password.input),
    h('div', { class: 'form-actions' }, button), err);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    await busy(button, async () => {
      try {
        await signIn(handle.input.value.trim(), password.input.value);
        navigate(safePath(query.get('next')), { replace: true });
      } catch (e) {
        showError(e, { invalid_handle: handle.input }, err);
      }
    });
  });
  const next = query.get('next');
  append(view,
    flash && flash.message ? h('p', { class: 'notice-banner', role: 'status' }, flash.message) : null,
    h('h1', { tabindex: '-1' }, 'Sign in'),
    next ? h('p', { class: 'lede' }, 'Please sign in to carry on where you were.') : h('p', { class: 'lede' }, 'Welcome back.'),
    form,
    h('ul', { class: 'plain-list' },
      h('li', null, 'Forgot your password? ', h('a', { href: '/recover' }, 'Use a recovery code'), '.'),
      h('li', null, 'New here? ', h('a', { href: '/join' }, 'Join Hearth'), '.')));
}
