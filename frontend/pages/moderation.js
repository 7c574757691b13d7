// /moderation : the queue, crisis first. Each excerpt stays blurred until
// "Reveal" is pressed, so moderators choose when to read hard words.
import { api, seg } from '../api.js';
import {
  append, badge, busy, clearErrors, exactly, field, formError, h, pager, setTitle, showError, uid, when,
} from '../ui.js';
import modNav from './modnav.js';

const actions = [
  ['dismiss', 'Dismiss', 'The flags were not needed; the writing stays as it is.'],
  ['approve', 'Approve', 'Publish writing that waits for review, or that flags hid.'],
  ['hide', 'Hide', 'Hide it from the circle; its author still sees it.'],
  ['remove', 'Remove', 'Remove it; only the moderation team can still read it.'],
  ['restore', 'Restore', 'Make hidden or removed writing visible to the circle again.'],
];

const done = {
  dismiss: 'Dismissed: the flags are closed.',
  approve: 'Approved: the circle can see it.',
  hide: 'Hidden from the circle.',
  remove: 'Removed.',
  restore: 'Restored: the circle can see it again.',
};

const priorities = {
  crisis: ['Crisis', 'crisis'],
  privacy: ['Privacy', 'priority'],
  harassment: ['Harassment', 'priority'],
  normal: ['Flagged', 'quiet'],
};

const statusWords = {
  published: 'Published', pending: 'Waiting for review', hidden: 'Hidden', removed: 'Removed',
};

const reasonWords = {
  harassment: 'Harassment',
  spam: 'Spam',
  crisis: 'Crisis',
  privacy: 'Privacy',
  misinformation: 'Misinformation',
  other: 'Other',
};

// flagSummary lists an item's flags counted by reason, with the newest few
// notes of each: never one line per flag, however many came.
function flagSummary(flags) {
  if (!flags.length) return h('p', { class: 'meta' }, 'No flags: new writing waiting for review.');
  const total = flags.reduce((n, f) => n + f.count, 0);
  return h('ul', { class: 'flags', 'aria-label': `${total} ${total === 1 ? 'flag' : 'flags'}` }, flags.map((f) => h('li', null,
    h('strong', null, reasonWords[f.reason] || f.reason),
    f.count > 1 ? ` × ${f.count}` : '',
    f.system ? ' (noticed by Hearth)' : '', ' · ',
    f.count > 1 ? ['first ', when(f.created_at), ', last ', when(f.latest_at)] : when(f.created_at),
    f.notes.length ? h('ul', { class: 'flag-notes' }, f.notes.map((n) => h('li', { class: 'flag-note' }, `“${n}”`))) : null)));
}

// waited says how long, in words, someone has waited since iso.
function waited(iso) {
  const minutes = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 60000));
  if (minutes < 1) return 'less than a minute';
  if (minutes < 60) return `${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} ${hours === 1 ? 'hour' : 'hours'}`;
  return `${Math.round(hours / 24)} days`;
}

// withWriter says who is with someone who wrote in crisis, or offers to be.
function withWriter(it, headId) {
  const who = h('span', null);
  const show = (by) => {
    who.textContent = by ? `${by} is with them.` : 'Nobody has said they are with them yet.';
  };
  show(it.acknowledged_by);
  const button = h('button', { type: 'button', class: 'button small', 'aria-describedby': headId }, 'I’m with them');
  button.hidden = !!it.acknowledged_by;
  const err = h('span', { class: 'form-error', role: 'alert' });
  button.addEventListener('click', () => busy(button, async () => {
    try {
      const out = await api('POST', `/moderation/items/${seg(it.target_type)}/${seg(it.target_id)}/acknowledge`);
      show(out.acknowledged_by);
      button.hidden = true;
    } catch (e) {
      err.textContent = e.message;
    }
  }));
  return h('p', { class: 'crisis-care', role: 'group', 'aria-label': 'Who is with them' },
    `Waiting ${waited(it.first_flagged_at)}. `, who, ' ', button, err);
}

// versions shows, when asked, every version of edited writing, oldest
// first: a flag may be about words its author has edited away since.
function versions(it, headId) {
  const listId = uid('versions');
  const list = h('ol', { class: 'versions', id: listId, hidden: true });
  const button = h('button', {
    type: 'button', class: 'button small', 'aria-controls': listId, 'aria-expanded': 'false', 'aria-describedby': headId,
  }, 'Show every version');
  const err = h('span', { class: 'form-error', role: 'alert' });
  button.addEventListener('click', () => busy(button, async () => {
    if (!list.hidden) {
      list.hidden = true;
      button.setAttribute('aria-expanded', 'false');
      return;
    }
    try {
      const out = await api('GET', `/moderation/items/${seg(it.target_type)}/${seg(it.target_id)}/history`);
      list.replaceChildren(...out.versions.map((v, i) => h('li', { class: 'version' },
        h('p', { class: 'meta' }, i === out.versions.length - 1 ? 'Now, since ' : 'Written ', exactly(v.edited_at)),
        v.title !== undefined ? h('p', null, h('strong', null, v.title)) : null,
        h('p', { class: 'version-body' }, v.body))));
      if (out.versions.length === 1) list.append(h('li', { class: 'meta' }, 'Not edited.'));
      list.hidden = false;
      button.setAttribute('aria-expanded', 'true');
    } catch (e) {
      err.textContent = e.message;
    }
  }));
  return h('div', { class: 'versions-box' }, button, err, list);
}

function item(it) {
  const headId = uid('item');
  const excerptId = uid('excerpt');
  const [prioWord, prioClass] = priorities[it.priority] || [it.priority, 'quiet'];
  const what = it.target_type === 'reply' ? 'Reply' : 'Story';
  const author = it.author && it.author.handle ? it.author.handle : 'a former member';

  const excerpt = h('div', { class: 'mod-excerpt blurred', id: excerptId, 'aria-hidden': 'true' }, it.excerpt || '(no words left)');
  const reveal = h('button', { type: 'button', class: 'button small', 'aria-controls': excerptId, 'aria-expanded': 'false', 'aria-describedby': headId }, 'Reveal');
  reveal.addEventListener('click', () => {
    const hidden = excerpt.classList.toggle('blurred');
    excerpt.setAttribute('aria-hidden', String(hidden));
    reveal.setAttribute('aria-expanded', String(!hidden));
    reveal.textContent = hidden ? 'Reveal' : 'Blur again';
  });

  const reason = field({
    label: 'Reason', name: 'reason', multiline: true, rows: 2, maxlength: 1000,
    hint: 'Goes in the log. The author reads it when their writing is hidden or removed.',
  });
  reason.input.setAttribute('aria-describedby', `${reason.input.hintId} ${headId}`);
  const err = formError();
  const result = h('p', { class: 'status', role: 'status', tabindex: '-1' });
  const buttons = actions.map(([action, label, help]) => {
    const b = h('button', { type: 'button', class: `button small action-${action}`, title: help, 'aria-describedby': headId }, label);
    b.addEventListener('click', () => busy(b, async () => {
      clearErrors(form);
      try {
        const out = await api('POST', `/moderation/items/${seg(it.target_type)}/${seg(it.target_id)}/actions`, {
          action, reason: reason.input.value,
        });
        status.textContent = statusWords[out.status] || out.status;
        form.hidden = true;
        li.classList.add('done');
        result.textContent = `${done[action]} Logged with your reason.`;
        result.focus();
      } catch (e) {
        showError(e, { invalid_reason: reason.input, unknown_field: reason.input }, err);
      }
    }));
    return b;
  });
  const form = h('div', { class: 'mod-actions stack' }, reason.wrap, h('div', { class: 'form-actions wrap' }, buttons), err);
  const status = h('span', null, statusWords[it.status] || it.status);
  const li = h('li', { class: `card queue-item prio-${it.priority}` },
    h('article', { 'aria-labelledby': headId },
      h('p', { class: 'badges' }, badge(prioWord, prioClass), it.overdue ? badge('Overdue', 'crisis') : null),
      h('h2', { id: headId }, `${what} by ${author} in ${it.circle}`),
      h('p', { class: 'meta' }, 'Status: ', status, ' · first flagged ', exactly(it.first_flagged_at),
        it.overdue ? [' · ', h('strong', null, 'overdue'), ', due ', exactly(it.due_at)] : [' · due ', exactly(it.due_at)]),
      it.priority === 'crisis' ? withWriter(it, headId) : null,
      flagSummary(it.flags),
      h('div', { class: 'excerpt-box' }, excerpt, reveal),
      versions(it, headId),
      h('p', { class: 'links' },
        it.story_id ? h('a', { href: `/s/${seg(it.story_id)}` }, it.target_type === 'story' ? 'Open the story' : 'Open the thread') : null,
        it.story_id && it.author && it.author.handle ? ' · ' : null,
        it.author && it.author.handle ? h('a', { href: `/moderation/members?handle=${seg(it.author.handle)}` }, `Act on ${it.author.handle}`) : null),
      form, result));
  return li;
}

// oldestCrisis says how long the oldest crisis has waited: the queue lists
// crises first, oldest first, so it is the first item when there is one.
function oldestCrisis(items) {
  const first = items[0];
  if (!first || first.priority !== 'crisis') return h('p', { class: 'status' }, 'No crisis is waiting.');
  const late = items.filter((it) => it.overdue).length;
  return h('p', { class: 'status' },
    `The oldest crisis has waited ${waited(first.first_flagged_at)}.`,
    late ? ` ${late} ${late === 1 ? 'item is' : 'items are'} overdue.` : '');
}

export default async function render({ view }) {
  setTitle('Moderation queue');
  const page = await api('GET', '/moderation/queue?limit=50');
  const list = h('ol', { class: 'cards queue' }, page.items.map(item));
  const [more, err] = pager('Show more items', page.next_cursor,
    (cursor) => api('GET', `/moderation/queue?limit=50&cursor=${seg(cursor)}`),
    (items) => list.append(...items.map(item)));
  append(view,
    modNav(),
    h('h1', { tabindex: '-1' }, 'Moderation queue'),
    h('p', { class: 'lede' }, 'Crisis first, then the oldest. Each excerpt is blurred until you choose to read it: take breaks, and hand over when you need to.'),
    oldestCrisis(page.items),
    h('details', { class: 'help' },
      h('summary', null, 'What each action does'),
      h('dl', null, actions.map(([, label, help]) => [h('dt', null, label), h('dd', null, help)]))),
    page.items.length ? list : h('p', { class: 'card' }, 'The queue is empty. Thank you for keeping Hearth safe.'),
    more, err);
}
