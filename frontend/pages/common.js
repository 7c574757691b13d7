// common.js: pieces several pages share: content warnings, placeholders
// and status notes for writing, and joining a circle.
import { api, currentMember, seg } from '../api.js';
import {
  badge, busy, formError, h, showError, uid, when,
} from '../ui.js';
import { themeWords, warned } from './safety.js';

/**
 * withWarning hides content behind its warning, and the words of the
 * themes the reader asked to be warned of, and a "Show story" button until
 * pressed. Without either the content shows as is.
 */
export function withWarning(warning, content, what = 'story', themeWords = '') {
  if (!warning && !themeWords) return content;
  const id = uid('cw');
  const body = h('div', { class: 'cw-body', id, hidden: true }, content);
  const show = `Show ${what}`;
  const button = h('button', { type: 'button', class: 'button small', 'aria-expanded': 'false', 'aria-controls': id }, show);
  button.addEventListener('click', () => {
    const open = body.hidden;
    body.hidden = !open;
    button.setAttribute('aria-expanded', String(open));
    button.textContent = open ? `Hide ${what}` : show;
  });
  return h('div', { class: 'cw' },
    themeWords ? h('p', { class: 'cw-note' }, h('span', { class: 'cw-label' }, 'Touches on: '), themeWords) : null,
    warning ? h('p', { class: 'cw-note' }, h('span', { class: 'cw-label' }, 'Content warning: '), warning) : null,
    button,
    body);
}

/** What a reader sees where writing they may not read sits. */
export function placeholder(status, what) {
  if (status === 'removed') return `This ${what} was removed.`;
  if (status === 'pending') return `This ${what} waits for a moderator to read it.`;
  return `This ${what} is hidden while the moderation team looks at it.`;
}

/**
 * A note to the author (or a moderator) about writing not everyone sees.
 * reason is why the moderation team removed it, which only its author is
 * given.
 */
export function statusNote(status, what, mine, reason) {
  if (status === 'pending') {
    return h('p', { class: 'note' }, mine
      ? `Thank you for sharing. Because you are new here, a moderator reads your first writing before others see it. You can see this ${what} meanwhile.`
      : `This ${what} waits for a moderator; only its author and the moderation team see it.`);
  }
  if (status === 'hidden') {
    return h('p', { class: 'note' }, mine
      ? `This ${what} is hidden from others while the moderation team looks at it. It has not been removed, and you can still see it.`
      : `This ${what} is hidden from the circle; only its author and the moderation team see it.`);
  }
  if (status === 'removed' && mine) {
    return h('div', { class: 'note' },
      h('p', null, `The moderation team removed this ${what}, so the circle no longer sees it. It is still yours: you can read it here, it is in your data download, and you can delete it.`),
      reason ? h('p', null, 'Their reason: ', h('q', null, reason)) : null);
  }
  if (status === 'removed') {
    return h('p', { class: 'note' }, `This ${what} was removed; only its author and the moderation team see its words.`);
  }
  return null;
}

/** A "Join circle" button that joins an open circle and then calls done. */
export function joinCircle(circle, done) {
  const err = formError();
  const button = h('button', { type: 'button', class: 'button primary' }, 'Join circle');
  button.addEventListener('click', () => busy(button, async () => {
    err.textContent = '';
    try {
      await api('POST', `/circles/${seg(circle.slug)}/join`, {});
      await done();
    } catch (e) {
      showError(e, null, err);
    }
  }));
  return h('div', { class: 'join-box' }, button, err);
}

const excerptChars = 320;

function excerpt(body) {
  const text = body.trim();
  if (text.length <= excerptChars) return text;
  const cut = text.slice(0, excerptChars);
  const space = cut.lastIndexOf(' ');
  return `${cut.slice(0, space > 200 ? space : excerptChars)}…`;
}

function counts(s) {
  const replies = s.reply_count === 0 ? 'No replies yet' : `${s.reply_count} ${s.reply_count === 1 ? 'reply' : 'replies'}`;
  if (!s.support_count) return replies;
  return `${s.support_count} ${s.support_count === 1 ? 'person' : 'people'} gave support · ${replies}`;
}

/**
 * A story as a card in a list: its title as a link, who shared it and when
 * (circle names a story's circle, in lists across circles), its opening
 * words behind any content warning, and its support and replies.
 */
export function storyCard(s, { circle } = {}) {
  const readable = s.title != null;
  const link = `/s/${seg(s.id)}`;
  const me = currentMember();
  const mine = me && s.author && s.author.handle === me.handle;
  const badges = [
    s.pinned ? badge('Pinned', 'pinned') : null,
    s.kind === 'guidance' ? badge('Guidance', 'guidance') : null,
    s.status === 'pending' ? badge('Waiting for review', 'quiet') : null,
    s.status === 'hidden' && readable ? badge('Hidden from others', 'quiet') : null,
  ].filter(Boolean);
  if (!readable) {
    return h('li', { class: 'card story-card placeholder' },
      h('p', null, placeholder(s.status, 'story'), ' ', h('a', { href: link }, 'Open its replies')));
  }
  const excerptEl = h('p', { class: 'excerpt' }, excerpt(s.body || ''));
  return h('li', { class: `card story-card${s.pinned ? ' is-pinned' : ''}` },
    h('article', null,
      badges.length ? h('p', { class: 'badges' }, badges) : null,
      h('h3', null, h('a', { href: link }, s.title)),
      h('p', { class: 'meta' },
        s.kind === 'guidance' ? 'From the facilitator ' : 'By ',
        h('span', { class: 'handle' }, s.author ? s.author.handle : 'a former member'),
        s.author && s.author.facilitator ? [' ', badge('Facilitator', 'facilitator')] : null,
        mine ? ' (you)' : '', ' · ', when(s.created_at),
        circle ? [' · in ', h('a', { href: `/c/${seg(s.circle)}` }, circle)] : null),
      withWarning(s.content_warning, excerptEl, 'story', mine ? '' : themeWords(warned(s))),
      h('p', { class: 'counts' }, counts(s))));
}
