// /join : choose a handle and a passphrase; then the recovery codes, once.
import { join } from '../api.js';
import {
  announce, append, copyText, field, h, put, selectText, setTitle,
} from '../ui.js';
import {
  credentialsForm, handleField, passphraseHint, passwordRefusals,
} from './credentials.js';

// savedCodes shows codes, made just now and shown only now: a list, a button
// that copies them, a status line that says what the copy did, and the
// button "I have saved my codes", which calls done.
export function savedCodes(codes, done) {
  const list = h('ol', { class: 'codes', id: 'recovery-codes' }, codes.map((c) => h('li', null, h('code', null, c))));
  const status = h('p', { class: 'status', role: 'status' });
  const copy = h('button', { type: 'button', class: 'button' }, 'Copy codes');
  copy.addEventListener('click', async () => {
    if (await copyText(codes.join('\n'))) {
      status.textContent = 'Copied. Paste them somewhere safe and private, such as a password manager.';
    } else {
      selectText(list);
      status.textContent = 'The codes are selected: press Ctrl+C (or ⌘+C) to copy them.';
    }
  });
  const saved = h('button', { type: 'button', class: 'button primary' }, 'I have saved my codes');
  saved.addEventListener('click', done);
  return [
    h('p', null, h('strong', null, 'We show them only now.'), ' Copy them into a password manager, or write them down and keep them somewhere private.'),
    list,
    h('div', { class: 'form-actions' }, copy, saved),
    status,
  ];
}

function codesView(view, grant, navigate) {
  setTitle('Save your recovery codes');
  const done = () => navigate('/', {
    flash: { message: `Welcome to Hearth, ${grant.member.handle}. There is no hurry: read a few stories, and join a circle when one feels right.` },
  });
  put(view,
    h('h1', { tabindex: '-1' }, 'Save your recovery codes'),
    h('p', { class: 'lede' }, `You are in, ${grant.member.handle}. One more step, and it matters.`),
    h('p', null, 'If you ever forget your password, one of these codes is the only way back in: Hearth has no email to send a reset to. Each code works once.'),
    ...savedCodes(grant.recovery_codes, done));
  view.querySelector('h1').focus();
  announce('Your account is made. Save your recovery codes now; they are shown only once.');
}

export default async function render({ view, navigate }) {
  setTitle('Join');
  const handle = handleField({
    maxlength: 30,
    hint: 'The name others see. 3 to 30 of a–z, 0–9, _ and -. Not your real name, and not one you use elsewhere.',
  });
  const password = field({ label: 'Password', name: 'password', type: 'password', autocomplete: 'new-password', required: true, maxlength: 256, hint: passphraseHint });
  const form = credentialsForm({
    fields: [handle, password],
    password,
    label: 'Join',
    send: async () => {
      const grant = await join(handle.input.value.trim(), password.input.value);
      codesView(view, grant, navigate);
    },
    refusals: {
      invalid_handle: handle.input, handle_reserved: handle.input, handle_taken: handle.input, ...passwordRefusals(password.input),
    },
  });
  append(view,
    h('h1', { tabindex: '-1' }, 'Join Hearth'),
    h('p', { class: 'lede' }, 'No email, no real name, nothing to trace you by. Just a handle and a passphrase.'),
    form,
    h('p', null, 'Already have an account? ', h('a', { href: '/signin' }, 'Sign in'), '.'));
}
