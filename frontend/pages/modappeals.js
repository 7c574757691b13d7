// /moderation/appeals : members asking the team to look again at an
// action about them, oldest first. Whoever took the action leaves the
// decision to someone else.
import { api, seg } from '../api.js';
import {
  append, busy, clearErrors, exactly, field, formError, h, pager, setTitle, showError, uid,
} from '../ui.js';
import modNav from './modnav.js';

const actionWords = {
  hide: 'Hidden by a moderator',
  hide_by_flags: 'Hidden by Hearth after three members flagged it',
  remove: 'Removed',
  warn: 'A warning',
  suspend: 'A suspension',
};

function what(a) {
  if (a.target_type === 'story') return h('a', { href: `/s/${seg(a.target_id)}` }, 'their story');
  if (a.target_type === 'reply') return 'their reply';
  return 'them';
}

function appeal(it) {
  const headId = uid('appeal');
  const reason = field({
    label: 'Reason', name: 'reason', multiline: true, rows: 2, maxlength: 1000,
    hint: 'Goes in the log, and to the member with your decision.',
  });
  reason.input.setAttribute('aria-describedby', `${reason.input.hintId} ${headId}`);
  const err = formError();
  const result = h('p', { class: 'status', role: 'status', tabindex: '-1' });
  const decide = (outcome, label) => {
    const b = h('button', { type: 'button', class: 'button small', 'aria-describedby': headId }, label);
    b.addEventListener('click', () => busy(b, async () => {
      clearErrors(form);
      try {
        const out = await api('POST', `/moderation/appeals/${seg(it.id)}/decide`, { outcome, reason: reason.input.value });
        form.hidden = true;
        if (out.outcome === 'upheld') result.textContent = 'Upheld: the action stands. The member has been told.';
        else if (out.undone) result.textContent = 'Overturned and undone. The member has been told.';
        else result.textContent = 'Overturned. Things had moved on since, so nothing was undone. The member has been told.';
        result.focus();
      } catch (e) {
        showError(e, { invalid_reason: reason.input }, err);
      }
    }));
    return b;
  };
  const form = h('div', { class: 'mod-actions stack' }, reason.wrap,
    h('div', { class: 'form-actions wrap' }, decide('upheld', 'Uphold'), decide('overturned', 'Overturn')), err);
  return h('li', { class: 'card' },
    h('article', { 'aria-labelledby': headId },
      h('h2', { id: headId }, `Appeal by ${it.member.handle || 'a former member'}`),
      h('p', { class: 'meta' }, 'Appealed ', exactly(it.created_at)),
      h('p', null, h('strong', null, actionWords[it.action.action] || it.action.action), ' about ', what(it.action),
        ` by ${it.action.actor}, `, exactly(it.action.created_at), '.'),
      it.action.reason ? h('p', { class: 'reason' }, 'The reason given: ', it.action.reason) : null,
      h('blockquote', { class: 'appeal-text' }, it.text),
      form, result));
}

export default async function render({ view }) {
  setTitle('Appeals');
  const page = await api('GET', '/moderation/appeals?limit=50');
  const list = h('ol', { class: 'cards' }, page.items.map(appeal));
  const [more, err] = pager('Show more appeals', page.next_cursor,
    (cursor) => api('GET', `/moderation/appeals?limit=50&cursor=${seg(cursor)}`),
    (items) => list.append(...items.map(appeal)));
  append(view,
    modNav(),
    h('h1', { tabindex: '-1' }, 'Appeals'),
    h('p', { class: 'lede' }, 'Members asking the team to look again, oldest first. A fresh pair of eyes is the point: the moderator who acted leaves the decision to someone else.'),
    page.items.length ? list : h('p', { class: 'card' }, 'No appeals wait.'),
    more, err);
}
