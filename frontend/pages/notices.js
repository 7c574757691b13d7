// /notices : replies to the member, calls to facilitators, and word from
// the moderation team. A notice holds no words of anyone's: the title of
// the story a reply is in is read from the story itself.
import { api, currentMember, seg } from '../api.js';
import {
  append, badge, busy, clearErrors, field, formError, h, pager, paragraphs, setTitle, showError, when,
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
  reply_to_you: 'A reply to you',
  crisis_in_circle: 'Someone may need you',
  appeal_decided: 'Your appeal',
  mentorship_requested: 'Mentorship',
  mentorship_accepted: 'Mentorship',
  mentorship_declined: 'Mentorship',
  mentorship_message: 'Mentorship',
  mentorship_ended: 'Mentorship',
};

// appealable are the notices of actions their member may appeal.
const appealable = new Set(['hidden', 'removed', 'warned', 'suspended']);

// appealForm offers to ask the moderation team to look again at the
// action a notice tells of: a button opens a small form.
function appealForm(n) {
  const open = h('button', { type: 'button', class: 'button small', 'aria-expanded': 'false' }, 'Appeal');
  const text = field({
    label: 'What should the team know?', name: 'text', multiline: true, rows: 4, maxlength: 2000,
    hint: 'A moderator who did not take this action reads it. Only the moderation team sees it.',
  });
  const err = formError();
  const send = h('button', { type: 'submit', class: 'button small' }, 'Send appeal');
  const form = h('form', { class: 'stack appeal-form', hidden: true, novalidate: true }, text.wrap, h('div', { class: 'form-actions' }, send), err);
  const done = h('p', { class: 'status', role: 'status' });
  open.addEventListener('click', () => {
    form.hidden = !form.hidden;
    open.setAttribute('aria-expanded', String(!form.hidden));
    if (!form.hidden) text.input.focus();
  });
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    busy(send, async () => {
      clearErrors(form);
      try {
        await api('POST', '/appeals', { action_id: n.action_id, text: text.input.value });
        form.hidden = true;
        open.hidden = true;
        done.textContent = 'Thank you. Your appeal is with the moderation team, and you will get a notice when they decide.';
      } catch (e) {
        if (e.code === 'already_appealed' || e.code === 'appeal_window_closed') {
          form.hidden = true;
          open.hidden = true;
          done.textContent = e.message;
        } else {
          showError(e, { invalid_text: text.input }, err);
        }
      }
    });
  });
  return [open, form, done];
}

// titles reads the title of each story notices point to, once each, and
// whether it is the member's own; a story the member can no longer read
// has none.
async function titles(items, known) {
  const ids = [...new Set(items.map((n) => n.story_id).filter((id) => id && !known.has(id)))];
  await Promise.all(ids.map(async (id) => {
    try {
      const s = await api('GET', `/stories/${seg(id)}`);
      const me = currentMember();
      known.set(id, s.title ? { title: s.title, mine: !!me && s.author?.handle === me.handle } : null);
    } catch {
      known.set(id, null);
    }
  }));
}

// readOne marks one notice read, as the member opens it.
function readOne(n, item, refreshUnread) {
  if (n.read_at) return;
  n.read_at = new Date().toISOString();
  item.classList.remove('unread');
  api('POST', '/me/notices/read', { ids: [n.id] }).then(refreshUnread, () => {});
}

function replyLine(n, story) {
  const who = n.actor ? n.actor.handle : 'Someone';
  let what = ' replied in ';
  if (n.kind === 'reply_to_you') what = ' replied to you in ';
  else if (story?.mine) what = ' replied to your story ';
  return h('p', null, h('span', { class: 'handle' }, who), what, story ? h('cite', null, story.title) : 'a story you follow', '.');
}

function withThem(n) {
  const done = h('p', { class: 'status', role: 'status' });
  const button = h('button', { type: 'button', class: 'button small' }, 'I’m with them');
  button.addEventListener('click', () => busy(button, async () => {
    try {
      await api('POST', `/moderation/items/${seg(n.target_type)}/${seg(n.target_id)}/acknowledge`);
      button.hidden = true;
      done.textContent = 'Thank you. The moderation team can see that you are with them.';
    } catch (e) {
      done.textContent = e.code === 'no_open_crisis'
        ? 'A moderator has already looked after this. Thank you for checking.'
        : e.message;
    }
  }));
  return [button, done];
}

function notice(n, known, refreshUnread) {
  const story = (n.story_id && known.get(n.story_id)) || null;
  const title = story ? story.title : null;
  const item = h('li', { class: `card notice${n.read_at ? '' : ' unread'}` });
  const open = () => readOne(n, item, refreshUnread);
  let body;
  let link = null;
  if (n.kind === 'reply' || n.kind === 'reply_to_you') {
    body = replyLine(n, story);
    if (title !== null && n.story_id) {
      link = h('a', { href: `/s/${seg(n.story_id)}#r-${seg(n.target_id)}` }, 'Read the reply');
    }
  } else {
    body = h('div', { class: 'body' }, paragraphs(n.message));
    if (n.story_id && title !== null) {
      link = h('a', { href: `/s/${seg(n.story_id)}` }, title ? ['Open ', h('cite', null, title)] : 'Open the story');
    } else if (n.target_type === 'mentorship') {
      link = h('a', { href: `/mentorships/${seg(n.target_id)}` }, 'Open the conversation');
    }
  }
  if (link) link.addEventListener('click', open);
  const canAppeal = appealable.has(n.kind) && n.action_id;
  append(item, h('article', null,
    h('p', { class: 'meta' },
      n.read_at ? null : h('span', { class: 'new' }, 'New'),
      badge(kinds[n.kind] || 'Notice', n.kind === 'crisis_in_circle' ? 'crisis' : 'quiet'), ' ', when(n.created_at)),
    body,
    link || n.kind === 'crisis_in_circle' || canAppeal ? h('div', { class: 'item-actions' },
      link,
      n.kind === 'crisis_in_circle' && n.target_id ? withThem(n) : null,
      canAppeal ? appealForm(n) : null) : null));
  return item;
}

export default async function render({ view, refreshUnread }) {
  setTitle('Notices');
  const page = await api('GET', '/me/notices?limit=20');
  const known = new Map();
  await titles(page.items, known);
  const shown = [...page.items];
  const list = h('ol', { class: 'cards notices' }, page.items.map((n) => notice(n, known, refreshUnread)));
  const [more, err] = pager('Show older notices', page.next_cursor,
    (cursor) => api('GET', `/me/notices?limit=20&cursor=${seg(cursor)}`),
    async (items) => {
      await titles(items, known);
      shown.push(...items);
      list.append(...items.map((n) => notice(n, known, refreshUnread)));
    });
  const status = h('p', { class: 'status', role: 'status' });
  // Marks read what this page shows, and nothing that came after it: a
  // notice that arrived while the page was open is not read unseen.
  const markAll = h('button', { type: 'button', class: 'button small' }, 'Mark all read');
  markAll.addEventListener('click', () => busy(markAll, async () => {
    try {
      await api('POST', '/me/notices/read', { up_to: shown[0].id });
      const now = new Date().toISOString();
      shown.forEach((n) => { n.read_at = n.read_at || now; });
      list.querySelectorAll('.unread').forEach((el) => el.classList.remove('unread'));
      list.querySelectorAll('.new').forEach((el) => el.remove());
      status.textContent = 'Marked read.';
      refreshUnread();
    } catch (e) {
      status.textContent = e.message;
    }
  }));
  append(view,
    h('h1', { tabindex: '-1' }, 'Notices'),
    h('p', { class: 'lede' }, 'Replies in the stories you follow, and word from your circles and the moderation team. Newest first.'),
    page.items.length ? h('div', { class: 'form-actions' }, markAll, status) : null,
    page.items.length ? list : h('p', null, 'Nothing here yet. When someone replies to you, or the moderation team writes to you, you will find it here.'),
    more, err);
}
