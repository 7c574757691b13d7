// /moderation/members : warn, suspend (until), unsuspend or ban a member.
import { api, seg } from '../api.js';
import {
  append, busy, clearErrors, field, formError, h, put, setTitle, showError, when,
} from '../ui.js';
import modNav from './modnav.js';

const actions = [
  ['warn', 'Warn: send them a notice'],
  ['suspend', 'Suspend: they may read, not write, until a time'],
  ['unsuspend', 'Lift a suspension'],
  ['ban', 'Ban: close the account'],
];

const outcomes = {
  active: 'active', suspended: 'suspended', banned: 'banned',
};

export default async function render({ view, query }) {
  setTitle('Member actions');
  const handle = field({ label: 'Handle', name: 'handle', autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false', required: true, value: query.get('handle') || '' });
  const action = field({ label: 'Action', name: 'action', options: actions });
  const until = field({ label: 'Suspended until', name: 'until', type: 'datetime-local', hint: 'Your local time; at most a year away.' });
  const reason = field({ label: 'Reason', name: 'reason', multiline: true, rows: 3, maxlength: 1000, required: true, hint: 'Goes in the log. A warned or suspended member reads it in their notice.' });
  const banNote = h('p', { class: 'note', hidden: true }, 'A ban is final: the member can no longer sign in, and nothing undoes it.');
  const sync = () => {
    until.wrap.hidden = action.input.value !== 'suspend';
    banNote.hidden = action.input.value !== 'ban';
  };
  action.input.addEventListener('change', sync);
  sync();
  const err = formError();
  const result = h('p', { class: 'status', role: 'status', tabindex: '-1' });
  const button = h('button', { type: 'submit', class: 'button primary' }, 'Apply action');
  const form = h('form', { class: 'stack', novalidate: true },
    handle.wrap, action.wrap, until.wrap, reason.wrap, banNote,
    h('div', { class: 'form-actions' }, button), err, result);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    result.textContent = '';
    const body = { action: action.input.value, reason: reason.input.value };
    if (body.action === 'suspend' && until.input.value) {
      const d = new Date(until.input.value);
      if (!Number.isNaN(d.getTime())) body.until = d.toISOString();
    }
    await busy(button, async () => {
      try {
        const out = await api('POST', `/moderation/members/${seg(handle.input.value.trim())}/actions`, body);
        put(result, `Done. ${out.handle} is now ${outcomes[out.status] || out.status}`,
          out.suspended_until ? [' until ', when(out.suspended_until)] : null, '. Logged with your reason.');
        reason.input.value = '';
        result.focus();
      } catch (e) {
        showError(e, {
          member_not_found: handle.input, invalid_until: until.input, invalid_reason: reason.input, invalid_action: action.input,
        }, err);
      }
    });
  });
  append(view,
    modNav(),
    h('h1', { tabindex: '-1' }, 'Member actions'),
    h('p', { class: 'lede' }, 'For patterns, not single slips. The member gets a notice signed “the moderation team”; your handle is never shown to them.'),
    form);
}
