// /moderation/log : every moderation action, newest first.
import { api, seg } from '../api.js';
import {
  append, busy, exactly, formError, h, setTitle, showError,
} from '../ui.js';
import modNav from './modnav.js';

function target(t) {
  const [kind, rest] = [t.slice(0, t.indexOf(':')), t.slice(t.indexOf(':') + 1)];
  if (kind === 'story') return h('a', { href: `/s/${seg(rest)}` }, 'a story');
  if (kind === 'reply') return 'a reply';
  if (kind === 'member') return `member ${rest}`;
  return t;
}

function entry(e) {
  return h('li', { class: 'log-entry' },
    h('p', { class: 'meta' }, exactly(e.created_at)),
    h('p', null, h('strong', null, e.actor), ` · ${e.action.replace(/_/g, ' ')} · `, target(e.target)),
    e.reason ? h('p', { class: 'reason' }, e.reason) : null);
}

export default async function render({ view }) {
  setTitle('Moderation log');
  const page = await api('GET', '/moderation/log?limit=50');
  const list = h('ol', { class: 'log' }, page.items.map(entry));
  let cursor = page.next_cursor;
  const err = formError();
  const more = h('button', { type: 'button', class: 'button', hidden: !cursor }, 'Show older entries');
  more.addEventListener('click', () => busy(more, async () => {
    try {
      const next = await api('GET', `/moderation/log?limit=50&cursor=${seg(cursor)}`);
      list.append(...next.items.map(entry));
      cursor = next.next_cursor;
      more.hidden = !cursor;
    } catch (e) {
      showError(e, null, err);
    }
  }));
  append(view,
    modNav(),
    h('h1', { tabindex: '-1' }, 'Moderation log'),
    h('p', { class: 'lede' }, 'Every action, with its reason, newest first. Nothing here can be changed or deleted.'),
    page.items.length ? list : h('p', null, 'No actions yet.'),
    more, err);
}
