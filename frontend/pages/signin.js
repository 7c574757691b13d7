// /signin : handle and password.
import { signIn } from '../api.js';
import {
  append, field, h, safePath, setTitle,
} from '../ui.js';
import { credentialsForm, handleField } from './credentials.js';

export default async function render({ view, navigate, query, takeFlash }) {
  setTitle('Sign in');
  const flash = takeFlash();
  const handle = handleField();
  const password = field({ label: 'Password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const form = credentialsForm({
    fields: [handle, password],
    password,
    label: 'Sign in',
    send: async () => {
      await signIn(handle.input.value.trim(), password.input.value);
      navigate(safePath(query.get('next')), { replace: true });
    },
    refusals: { invalid_handle: handle.input },
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
