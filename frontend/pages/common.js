// common.js: pieces several pages share: content warnings, placeholders
// and status notes for writing, and joining a circle.
import { api, seg } from '../api.js';
import { busy, formError, h, showError, uid } from '../ui.js';

/**
 * withWarning hides content behind its warning and a "Show story" button
 * until pressed. Without a warning the content shows as is.
 */
export function withWarning(warning, content, what = 'story') {
  if (!warning) return content;
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
    h('p', { class: 'cw-note' }, h('span', { class: 'cw-label' }, 'Content warning: '), warning),
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
