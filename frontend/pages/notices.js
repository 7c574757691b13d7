// /notices : replies to the member and word from the moderation team.
import { api, seg } from '../api.js';
import {
  append, badge, busy, formError, h, paragraphs, setTitle, showError, when,
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
  let cursor = page.next_cursor;
  const err = formError();
  const more = h('button', { type: 'button', class: 'button', hidden: !cursor }, 'Show older notices');
  more.addEventListener('click', () => busy(more, async () => {
    try {
      const next = await api('GET', `/me/notices?limit=20&cursor=${seg(cursor)}`);
      list.append(...next.items.map(notice));
      cursor = next.next_cursor;
      more.hidden = !cursor;
    } catch (e) {
      showError(e, null, err);
    }
  }));
  append(view,
    h('h1', { tabindex: '-1' }, 'Notices'),
    h('p', { class: 'lede' }, 'Replies to what you wrote, and word from the moderation team. Newest first.'),
    page.items.length ? list : h('p', null, 'Nothing here yet. When someone replies to you, or the moderation team writes to you, you will find it here.'),
    more, err);
}
