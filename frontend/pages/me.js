// /me : the member's account: circles, password, recovery codes, data, sign
// out, erasure.
import {
  api, deleteAccount, seg, signOut,
} from '../api.js';
import {
  announce, append, busy, clearErrors, drafts, exactly, field, formError, h, modal, put, setTitle, showError, uid,
} from '../ui.js';
import { passphraseHint, passwordRefusals, showPasswordToggle } from './credentials.js';
import { savedCodes } from './join.js';
import { themes } from './safety.js';

const roles = { member: 'Member', moderator: 'Moderator', admin: 'Admin' };

function passwordSection() {
  const current = field({ label: 'Current password', name: 'current-password', type: 'password', autocomplete: 'current-password', required: true });
  const next = field({ label: 'New password', name: 'new-password', type: 'password', autocomplete: 'new-password', required: true, maxlength: 256, hint: passphraseHint });
  const err = formError();
  const done = h('p', { class: 'status', role: 'status' });
  const button = h('button', { type: 'submit', class: 'button' }, 'Change password');
  const form = h('form', { class: 'stack', novalidate: true },
    current.wrap, next.wrap, showPasswordToggle(current.input, next.input),
    h('div', { class: 'form-actions' }, button), err, done);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    done.textContent = '';
    await busy(button, async () => {
      try {
        await api('POST', '/me/password', { current_password: current.input.value, new_password: next.input.value });
        current.input.value = '';
        next.input.value = '';
        done.textContent = 'Your password is changed. Any other devices were signed out.';
      } catch (e) {
        showError(e, {
          invalid_credentials: current.input, wrong_password: current.input, invalid_password: current.input,
          ...passwordRefusals(next.input),
        }, err);
      }
    });
  });
  return h('section', { class: 'card', 'aria-labelledby': 'password-title' },
    h('h2', { id: 'password-title' }, 'Change password'),
    h('p', null, 'Lost your password? Sign out, and use one of your recovery codes to choose a new one.'),
    form);
}

// recoverySection says how many recovery codes are left and makes a new
// set, shown once, in place of the old.
function recoverySection(count) {
  const section = h('section', { class: 'card', 'aria-labelledby': 'codes-title' });
  const show = (left, total) => {
    const password = field({ label: 'Your password', name: 'codes-password', type: 'password', autocomplete: 'current-password', required: true, hint: 'To be sure it is you.' });
    const err = formError();
    const button = h('button', { type: 'submit', class: 'button' }, 'Make new recovery codes');
    const form = h('form', { class: 'stack', novalidate: true }, password.wrap, h('div', { class: 'form-actions' }, button), err);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      clearErrors(form);
      await busy(button, async () => {
        try {
          const made = await api('POST', '/me/recovery-codes', { password: password.input.value });
          saved(made.recovery_codes);
        } catch (e) {
          showError(e, { invalid_credentials: password.input }, err);
        }
      });
    });
    put(section,
      h('h2', { id: 'codes-title', tabindex: '-1' }, 'Recovery codes'),
      left === 0
        ? h('p', null, 'You have no recovery codes left, so if you forgot your password there would be no way back in.')
        : h('p', null, `You have ${left} of ${total} recovery codes left. If you forget your password, each one lets you back in once.`),
      left <= 3 ? h('p', null, h('strong', null, 'Make a new set now,'), ' while you still know your password.') : null,
      h('p', null, 'A new set replaces the old one: your old codes stop working as soon as the new ones are made.'),
      form);
  };
  const saved = (codes) => {
    const done = () => {
      show(codes.length, codes.length);
      section.querySelector('h2').focus();
    };
    put(section,
      h('h2', { id: 'codes-title', tabindex: '-1' }, 'Your new recovery codes'),
      h('p', null, 'Your old codes no longer work: these ten take their place.'),
      ...savedCodes(codes, done));
    section.querySelector('h2').focus();
    announce('Your new recovery codes are made. Save them now; they are shown only once.');
  };
  show(count.left, count.total);
  return section;
}

function dataSection() {
  const err = formError();
  const done = h('p', { class: 'status', role: 'status' });
  const button = h('button', { type: 'button', class: 'button' }, 'Download my data');
  button.addEventListener('click', () => busy(button, async () => {
    err.textContent = '';
    done.textContent = '';
    try {
      const res = await api('GET', '/me/export', undefined, { raw: true });
      const blob = await res.blob();
      const url = URL.createObjectURL(blob);
      const a = h('a', { href: url, download: 'hearth-export.json', hidden: true });
      document.body.append(a);
      a.click();
      a.remove();
      window.setTimeout(() => URL.revokeObjectURL(url), 60000);
      done.textContent = 'Your data is saved as hearth-export.json. It holds what you wrote in plain text, so keep it somewhere private.';
    } catch (e) {
      showError(e, null, err);
    }
  }));
  return h('section', { class: 'card', 'aria-labelledby': 'data-title' },
    h('h2', { id: 'data-title' }, 'Your data'),
    h('p', null, 'Everything you wrote here, as one file you can keep.'),
    h('div', { class: 'form-actions' }, button), err, done);
}

function deleteSection(navigate) {
  const password = field({ label: 'Password', name: 'delete-password', type: 'password', autocomplete: 'current-password', required: true, hint: 'To be sure it is you.' });
  const err = formError();
  const confirm = h('button', { type: 'submit', class: 'button danger' }, 'Delete everything for good');
  const keep = h('button', { type: 'button', class: 'button' }, 'Keep my account');
  const form = h('form', { class: 'stack', novalidate: true }, password.wrap, h('div', { class: 'form-actions' }, confirm, keep), err);
  const dlg = modal('Delete your account?',
    h('p', null, 'Take your time with this. Deleting your account cannot be undone, by you or by us.'),
    h('ul', null,
      h('li', null, 'The key that seals everything you wrote is destroyed, so your stories, replies and notes can never be read again, by anyone.'),
      h('li', null, 'In your circles, your stories and replies will show as removed.'),
      h('li', null, 'Your handle, your password and your recovery codes stop working straight away.')),
    h('p', null, 'If you would like a copy first, close this and use “Download my data”.'),
    form);
  keep.addEventListener('click', () => dlg.close());
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    await busy(confirm, async () => {
      try {
        await deleteAccount(password.input.value);
        drafts.clearAll();
        dlg.close();
        navigate('/', { replace: true, flash: { message: 'Your account is deleted, and what you wrote can no longer be read. Thank you for being part of Hearth. Take good care of yourself.' } });
      } catch (e) {
        showError(e, { invalid_credentials: password.input, wrong_password: password.input, invalid_password: password.input }, err);
      }
    });
  });
  const open = h('button', { type: 'button', class: 'button danger-outline' }, 'Delete my account');
  open.addEventListener('click', () => {
    password.input.value = '';
    clearErrors(form);
    dlg.open(open);
    password.input.focus();
  });
  return h('section', { class: 'card', 'aria-labelledby': 'delete-title' },
    h('h2', { id: 'delete-title' }, 'Leaving Hearth'),
    h('p', null, 'You can delete your account at any time. It erases the account and makes everything you wrote unreadable, for good.'),
    h('div', { class: 'form-actions' }, open),
    dlg.dialog);
}

const choices = [['show', 'Show'], ['warn', 'Warn'], ['hide', 'Hide']];

// readingSection is what the member chooses to meet: per theme Show, Warn
// (folded behind its themes until they open it) or Hide (left out of
// lists, folded in threads), saved as soon as it is changed.
function readingSection(prefs) {
  const status = h('p', { class: 'status', role: 'status' });
  const groups = themes.map(([key, label]) => {
    const name = uid('pref');
    return h('fieldset', { class: 'choice' },
      h('legend', null, label),
      choices.map(([value, word]) => {
        const id = uid('pref');
        const input = h('input', {
          type: 'radio', id, name, value, checked: (prefs[key] || 'show') === value,
        });
        input.addEventListener('change', async () => {
          prefs[key] = value;
          try {
            await api('PUT', '/me/preferences', { themes: prefs });
            status.textContent = `Saved: ${label}, ${word.toLowerCase()}.`;
          } catch (e) {
            status.textContent = e.message;
          }
        });
        return h('span', { class: 'check' }, input, h('label', { for: id }, word));
      }));
  });
  return h('section', { class: 'card', 'aria-labelledby': 'reading-title' },
    h('h2', { id: 'reading-title' }, 'What you read'),
    h('p', null, 'For each theme: Show it, Warn first (it stays folded until you open it), or Hide it (left out of lists and folded in threads). Nobody else sees your choices.'),
    groups, status);
}

// silencedSection lists whom the member muted or blocked, with a button
// to lift each.
function silencedSection(list, items) {
  const muted = list === 'muted';
  const title = muted ? 'Muted' : 'Blocked';
  const titleId = `${list}-title`;
  const status = h('p', { class: 'status', role: 'status' });
  const ul = h('ul', { class: 'plain-list' });
  const empty = h('p', null, muted ? 'You have muted nobody.' : 'You have blocked nobody.');
  empty.hidden = items.length > 0;
  for (const m of items) {
    const who = uid('who');
    const lift = h('button', { type: 'button', class: 'button small', 'aria-describedby': who }, muted ? 'Unmute' : 'Unblock');
    const li = h('li', null, h('span', { class: 'handle', id: who }, m.handle), ' ', lift);
    lift.addEventListener('click', () => busy(lift, async () => {
      try {
        await api('DELETE', `/me/${list}/${seg(m.handle)}`);
        li.remove();
        empty.hidden = ul.children.length > 0;
        status.textContent = `${muted ? 'Unmuted' : 'Unblocked'} ${m.handle}.`;
      } catch (e) {
        status.textContent = e.message;
      }
    }));
    ul.append(li);
  }
  return h('section', { class: 'card', 'aria-labelledby': titleId },
    h('h2', { id: titleId }, title),
    h('p', null, muted
      ? 'Their writing is folded for you and they tell you of nothing. They are never told.'
      : 'As muting, and they cannot ask you to mentor them, and their flags on your writing do not count. They are never told.'),
    ul, empty, status);
}

export default async function render({ view, navigate }) {
  const [me, codes, prefs, muted, blocked] = await Promise.all([api('GET', '/me'), api('GET', '/me/recovery-codes'),
    api('GET', '/me/preferences'), api('GET', '/me/muted'), api('GET', '/me/blocked')]);
  setTitle('My account');
  const err = formError();
  const out = h('button', { type: 'button', class: 'button' }, 'Sign out');
  out.addEventListener('click', () => busy(out, async () => {
    try {
      await signOut();
    } catch (e) {
      // The session ends here either way; say so if the server did not hear.
      if (e.code === 'network') {
        showError(e, null, err);
        return;
      }
    }
    drafts.clearAll();
    navigate('/', { replace: true, flash: { message: 'You are signed out. Take care.' } });
  }));
  const circles = me.circles || [];
  append(view,
    h('h1', { tabindex: '-1' }, 'My account'),
    h('dl', { class: 'facts' },
      h('dt', null, 'Handle'), h('dd', null, me.handle),
      h('dt', null, 'Role'), h('dd', null, roles[me.role] || me.role),
      h('dt', null, 'Joined'), h('dd', null, exactly(me.created_at))),
    h('div', { class: 'form-actions' }, out), err,
    h('section', { class: 'card', 'aria-labelledby': 'circles-title' },
      h('h2', { id: 'circles-title' }, 'Your circles'),
      circles.length
        ? h('ul', { class: 'plain-list' }, circles.map((c) => h('li', null, h('a', { href: `/c/${seg(c.slug)}` }, c.name),
          c.is_facilitator ? ' (you facilitate)' : '')))
        : h('p', null, 'None yet. ', h('a', { href: '/' }, 'Find a circle'), '.')),
    h('section', { class: 'card', 'aria-labelledby': 'notices-title' },
      h('h2', { id: 'notices-title' }, 'Notices'),
      h('p', null, 'Replies to you and word from the moderation team. ', h('a', { href: '/notices' }, 'Read your notices'), '.')),
    readingSection(prefs.themes),
    silencedSection('muted', muted.items),
    silencedSection('blocked', blocked.items),
    passwordSection(),
    recoverySection(codes),
    dataSection(),
    deleteSection(navigate));
}
