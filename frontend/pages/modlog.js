// /moderation/log : every moderation action, newest first.
import { api, seg } from '../api.js';
import {
  append, exactly, h, pager, setTitle,
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
  const [more, err] = pager('Show older entries', page.next_cursor,
    (cursor) => api('GET', `/moderation/log?limit=50&cursor=${seg(cursor)}`),
    (items) => list.append(...items.map(entry)));
  append(view,
    modNav(),
    h('h1', { tabindex: '-1' }, 'Moderation log'),
    h('p', { class: 'lede' }, 'Every action, with its reason, newest first. Nothing here can be changed or deleted.'),
    page.items.length ? list : h('p', null, 'No actions yet.'),
    more, err);
}
