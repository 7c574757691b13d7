// /notices : replies to the member and word from the moderation team.
import { api, seg } from '../api.js';
import {
  append, badge, h, pager, paragraphs, setTitle, when,
} from '../ui.js';

const kinds = {
  held: 'Waiting for review',
  hidden: 'Hidden',
  removed: 'Removed',
  restored: 'Restored',
  approved: 'Approved',
  warned: 'A word from the moderators',
  suspended: 'Suspended',
  flag_outcome: 'About your flag',
  reply: 'A reply',
};

function notice(n) {
  return h('li', { class: 'card notice' },
    h('article', null,
      h('p', { class: 'meta' }, badge(kinds[n.kind] || 'Notice', n.kind === 'reply' ? 'quiet' : ''), ' ', when(n.created_at)),
      h('div', { class: 'body' }, paragraphs(n.message)),
      n.target_type === 'story' && n.target_id
        ? h('p', null, h('a', { href: `/s/${seg(n.target_id)}` }, 'Open the story'))
        : null));
}

export default async function render({ view }) {
  setTitle('Notices');
  const page = await api('GET', '/me/notices?limit=20');
  const list = h('ol', { class: 'cards' }, page.items.map(notice));
  const [more, err] = pager('Show older notices', page.next_cursor,
    (cursor) => api('GET', `/me/notices?limit=20&cursor=${seg(cursor)}`),
    (items) => list.append(...items.map(notice)));
  append(view,
    h('h1', { tabindex: '-1' }, 'Notices'),
    h('p', { class: 'lede' }, 'Replies to what you wrote, and word from the moderation team. Newest first.'),
    page.items.length ? list : h('p', null, 'Nothing here yet. When someone replies to you, or the moderation team writes to you, you will find it here.'),
    more, err);
}
