// /s/{id} : a story, its reply tree, support, flags and replies at any depth.
import { api, currentMember, isModerator, seg } from '../api.js';
import {
  announce, append, badge, busy, clearErrors, crisisAlert, drafts, field, formError, h, keepDraft, modal, pager, paragraphs, setTitle, showError, uid, when,
} from '../ui.js';
import { guidelinesCard, heldBack } from './care.js';
import {
  joinCircle, placeholder, statusNote, withWarning,
} from './common.js';
import { deleteButton, editReplyForm, editStoryForm } from './own.js';
import {
  foldedNote, preferences, silenceMenu, themeBoxes, themeWords, warned,
} from './safety.js';
import { checkBeforeSending } from './precheck.js';

const reasons = [
  ['harassment', 'Harassment'],
  ['spam', 'Spam'],
  ['crisis', 'Crisis: someone may be at risk'],
  ['privacy', 'Privacy: it shares who someone is'],
  ['misinformation', 'Misinformation'],
  ['other', 'Other'],
];

// flagDialog is one dialog for every Flag button on the page.
function flagDialog() {
  const reason = field({
    label: 'Reason', name: 'reason', options: reasons,
    hint: 'Crisis flags are read first. If someone is in danger right now, please also call your local emergency number.',
  });
  const note = field({
    label: 'Note', name: 'note', multiline: true, rows: 4, maxlength: 1000,
    hint: 'Optional. Anything that helps the moderation team understand.',
  });
  const err = formError();
  const send = h('button', { type: 'submit', class: 'button primary' }, 'Send flag');
  const cancel = h('button', { type: 'button', class: 'button' }, 'Cancel');
  const form = h('form', { class: 'stack', novalidate: true },
    h('p', null, 'Flags go to the moderation team, never to the author, and your handle is never shown to them.'),
    reason.wrap, note.wrap, h('div', { class: 'form-actions' }, send, cancel), err);
  const dlg = modal('Flag this', form);
  let target = null;
  cancel.addEventListener('click', () => dlg.close());
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    await busy(send, async () => {
      try {
        await api('POST', '/flags', {
          target_type: target.type, target_id: target.id, reason: reason.input.value, note: note.input.value,
        });
        dlg.close();
        target.done('Thank you. The moderation team has your flag.');
      } catch (e) {
        if (e.code === 'already_flagged') {
          dlg.close();
          target.done(e.message);
          return;
        }
        showError(e, { invalid_reason: reason.input, invalid_note: note.input }, err);
      }
    });
  });
  return {
    dialog: dlg.dialog,
    open(opener, t, label) {
      target = t;
      dlg.title.textContent = label;
      clearErrors(form);
      reason.input.selectedIndex = 0;
      note.input.value = '';
      dlg.open(opener);
      reason.input.focus();
    },
  };
}

const svgNS = 'http://www.w3.org/2000/svg';

// heart is the small mark on Support: outlined, filled once given.
function heart() {
  const svg = document.createElementNS(svgNS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('class', 'heart');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const path = document.createElementNS(svgNS, 'path');
  path.setAttribute('d', 'M12 20.5s-7.5-4.6-9.3-9.1C1.4 8.1 3.4 4.5 7 4.5c2.1 0 3.6 1.2 5 3 1.4-1.8 2.9-3 5-3 3.6 0 5.6 3.6 4.3 6.9-1.8 4.5-9.3 9.1-9.3 9.1z');
  svg.append(path);
  return svg;
}

// support makes the "Support" toggle of a story or reply and the line that
// counts it. The button's name stays "Support"; aria-pressed tells whether
// it is given.
function support(kind, item, describedBy) {
  const count = h('span', { class: 'count' });
  const show = () => {
    const n = item.support_count;
    count.textContent = n === 0 ? '' : `${n} ${n === 1 ? 'person' : 'people'} gave support`;
  };
  show();
  const err = h('p', { class: 'inline-error', 'aria-live': 'assertive' });
  const button = h('button', {
    type: 'button', class: 'button small support', 'aria-pressed': String(!!item.supported_by_me), 'aria-describedby': describedBy,
  }, heart(), 'Support');
  button.addEventListener('click', () => busy(button, async () => {
    err.textContent = '';
    const on = !item.supported_by_me;
    try {
      await api(on ? 'PUT' : 'DELETE', `/${kind}/${seg(item.id)}/support`);
      item.supported_by_me = on;
      item.support_count += on ? 1 : -1;
      button.setAttribute('aria-pressed', String(on));
      show();
      announce(on ? 'Support given.' : 'Support taken back.');
    } catch (e) {
      err.textContent = e.message;
    }
  }));
  return { button, count, err };
}

// facilitatorBadge marks the writing of someone who facilitates the
// circle now: their guidance and care are easy to find in a thread.
function facilitatorBadge(author) {
  return author && author.facilitator ? [' ', badge('Facilitator', 'facilitator')] : null;
}

// followButton says, and changes, whether the reader hears of new replies.
function followButton(story) {
  const status = h('span', { class: 'follow-status', role: 'status' });
  const button = h('button', { type: 'button', class: 'button small quiet' });
  const show = () => {
    button.textContent = story.following ? 'Following' : 'Follow';
    button.title = story.following ? 'You hear of new replies. Press to stop.' : 'Hear of new replies in your notices.';
  };
  show();
  button.addEventListener('click', () => busy(button, async () => {
    const on = !story.following;
    try {
      await api(on ? 'PUT' : 'DELETE', `/stories/${seg(story.id)}/follow`);
      story.following = on;
      show();
      status.textContent = on ? 'You will hear of new replies.' : 'You will no longer hear of new replies.';
    } catch (e) {
      status.textContent = e.message;
    }
  }));
  return h('p', { class: 'follow' }, button, ' ', status);
}

export default async function render(ctx) {
  const { view, params, query, takeFlash } = ctx;
  const id = params.id;
  const flash = takeFlash() || {};
  const me = currentMember();
  // ?reveal=true: what the reader's own preferences fold comes whole.
  const reveal = query && query.get('reveal') === 'true' ? '&reveal=true' : '';
  const [story, replies, prefs] = await Promise.all([
    api('GET', `/stories/${seg(id)}${reveal ? '?reveal=true' : ''}`),
    api('GET', `/stories/${seg(id)}/replies?limit=100${reveal}`),
    preferences(),
  ]);
  const circle = await api('GET', `/circles/${seg(story.circle)}`).catch(() => ({
    slug: story.circle, name: story.circle, is_member: false, is_facilitator: false,
  }));
  const readable = story.title != null;
  const mine = !!(me && story.author && story.author.handle === me.handle);
  const published = story.status === 'published';
  const canAct = circle.is_member && published;
  setTitle(readable ? story.title : 'A story');

  const flags = flagDialog();
  const titleId = uid('story-title');

  // The story itself.
  const actionsStatus = h('p', { class: 'status', role: 'status' });
  const storyActions = h('div', { class: 'item-actions' });
  const storySupport = support('stories', story, titleId);
  if (readable) {
    if (canAct) storyActions.append(storySupport.button);
    const flag = h('button', { type: 'button', class: 'button small quiet', 'aria-describedby': titleId }, 'Flag');
    flag.addEventListener('click', () => flags.open(flag, {
      type: 'story', id: story.id, done: (msg) => { actionsStatus.textContent = msg; },
    }, 'Flag this story'));
    if (!mine) storyActions.append(flag);
    if (!mine && story.author) {
      storyActions.append(silenceMenu(story.author.handle, titleId, (msg) => { actionsStatus.textContent = msg; }));
    }
    if (mine && story.status === 'removed') {
      storyActions.append(...deleteButton('stories', story.id, titleId,
        async () => ctx.navigate(`/c/${seg(story.circle)}`, { flash: { message: 'Your story is deleted.' } })));
    } else if (mine) {
      const edit = h('button', { type: 'button', class: 'button small quiet', 'aria-describedby': titleId }, 'Edit');
      edit.addEventListener('click', () => {
        const ed = editStoryForm(story,
          async () => ctx.navigate(location.pathname, { replace: true, flash: { message: 'Your changes are saved.' } }),
          () => {
            editSlot.replaceChildren();
            content.hidden = false;
            edit.focus();
          });
        content.hidden = true;
        editSlot.replaceChildren(ed.form);
        ed.focus();
      });
      storyActions.append(edit, ...deleteButton('stories', story.id, titleId,
        async () => ctx.navigate(`/c/${seg(story.circle)}`, { flash: { message: 'Your story is deleted.' } })));
    }
    if (circle.is_facilitator && story.status !== 'removed') {
      const pin = h('button', { type: 'button', class: 'button small quiet', 'aria-describedby': titleId }, story.pinned ? 'Unpin' : 'Pin to top');
      pin.addEventListener('click', () => busy(pin, async () => {
        try {
          await api(story.pinned ? 'DELETE' : 'PUT', `/stories/${seg(story.id)}/pin`);
          story.pinned = !story.pinned;
          pin.textContent = story.pinned ? 'Unpin' : 'Pin to top';
          pinnedBadge.hidden = !story.pinned;
          actionsStatus.textContent = story.pinned ? 'Pinned to the top of the circle.' : 'Unpinned. It now sits among the other stories.';
        } catch (e) {
          actionsStatus.textContent = e.message;
        }
      }));
      storyActions.append(pin);
    }
  }
  const content = h('div', { class: 'story-content' },
    readable ? withWarning(story.content_warning, h('div', { class: 'body' }, paragraphs(story.body || '')), 'story',
      mine ? '' : themeWords(warned(story, prefs))) : null,
    readable ? h('p', { class: 'counts' }, storySupport.count) : null,
    storyActions,
    storySupport.err,
    actionsStatus);
  const editSlot = h('div', { class: 'edit-slot' });
  const pinnedBadge = badge('Pinned', 'pinned');
  pinnedBadge.hidden = !story.pinned;
  const article = h('article', { class: 'story', 'aria-labelledby': titleId },
    h('p', { class: 'badges' }, pinnedBadge, story.kind === 'guidance' ? badge('Guidance', 'guidance') : null),
    h('h1', { id: titleId, tabindex: '-1' }, readable ? story.title : (story.folded ? 'A story' : placeholder(story.status, 'story'))),
    story.folded ? foldedNote(story, 'story') : null,
    readable ? h('p', { class: 'meta' },
      story.kind === 'guidance' ? 'From the facilitator ' : 'By ',
      h('span', { class: 'handle' }, story.author ? story.author.handle : 'a former member'),
      facilitatorBadge(story.author),
      mine ? ' (you)' : '', ' · ', when(story.created_at),
      story.edited_at ? ' · edited' : '') : null,
    followButton(story),
    statusNote(story.status, 'story', mine, story.removed_reason),
    content,
    editSlot);

  // The replies, as a tree.
  const root = h('ol', { class: 'thread' });
  const children = new Map();
  const replyForm = h('form', { class: 'reply-form stack', novalidate: true });
  const formHome = h('div', { class: 'reply-home' });
  const crisisSlot = h('div', { class: 'crisis-slot' });
  let parent = null; // {id, handle, slot}
  const replyingTo = h('p', { class: 'replying-to', id: uid('replying-to'), hidden: true });
  // The field's description names whom it answers, while it answers a reply.
  const describeField = (on) => {
    const area = replyForm.querySelector('textarea');
    if (!area) return;
    const ids = (area.getAttribute('aria-describedby') || '').split(' ').filter((x) => x && x !== replyingTo.id);
    if (on) ids.unshift(replyingTo.id);
    if (ids.length) area.setAttribute('aria-describedby', ids.join(' '));
    else area.removeAttribute('aria-describedby');
  };
  const cancelReply = h('button', { type: 'button', class: 'button small quiet', hidden: true }, 'Cancel');

  const moveFormHome = () => {
    parent = null;
    replyingTo.hidden = true;
    describeField(false);
    cancelReply.hidden = true;
    formHome.append(replyForm);
  };

  const replyEl = (r) => {
    const metaId = uid('reply-meta');
    const rReadable = r.body != null;
    const rMine = !!(me && r.author && r.author.handle === me.handle);
    const status = h('p', { class: 'status', role: 'status' });
    const kids = h('ol', { class: 'thread' });
    const slot = h('div', { class: 'reply-slot' });
    const actions = h('div', { class: 'item-actions' });
    const rSupport = support('replies', r, metaId);
    const bodyEl = h('div', { class: 'body' }, rReadable ? paragraphs(r.body) : null);
    const editSlot = h('div', { class: 'edit-slot' });
    const counts = h('p', { class: 'counts' }, rSupport.count);
    const edited = h('span', null, r.edited_at ? ' · edited' : '');
    if (rReadable) {
      if (canAct && r.status === 'published') actions.append(rSupport.button);
      if (canAct && r.status === 'published') {
        const reply = h('button', { type: 'button', class: 'button small quiet', 'aria-describedby': metaId }, 'Reply');
        reply.addEventListener('click', () => {
          parent = { id: r.id, handle: r.author ? r.author.handle : 'a former member' };
          replyingTo.textContent = `Replying to ${parent.handle}`;
          replyingTo.hidden = false;
          describeField(true);
          cancelReply.hidden = false;
          slot.append(replyForm);
          replyForm.querySelector('textarea').focus();
        });
        actions.append(reply);
      }
      if (!rMine) {
        const flag = h('button', { type: 'button', class: 'button small quiet', 'aria-describedby': metaId }, 'Flag');
        flag.addEventListener('click', () => flags.open(flag, {
          type: 'reply', id: r.id, done: (msg) => { status.textContent = msg; },
        }, `Flag this reply by ${r.author ? r.author.handle : 'a former member'}`));
        actions.append(flag);
        if (r.author) actions.append(silenceMenu(r.author.handle, metaId, (msg) => { status.textContent = msg; }));
      } else {
        // What a moderator removed can still be deleted, not edited.
        if (r.status !== 'removed') {
          const edit = h('button', { type: 'button', class: 'button small quiet', 'aria-describedby': metaId }, 'Edit');
          edit.addEventListener('click', () => {
            const ed = editReplyForm(r, async (out) => {
              r.body = out.body;
              bodyEl.replaceChildren(...paragraphs(out.body));
              edited.textContent = ' · edited';
              editSlot.replaceChildren();
              bodyEl.hidden = false;
              actions.hidden = false;
              status.textContent = 'Your changes are saved.';
              edit.focus();
            }, () => {
              editSlot.replaceChildren();
              bodyEl.hidden = false;
              actions.hidden = false;
              edit.focus();
            });
            bodyEl.hidden = true;
            actions.hidden = true;
            editSlot.replaceChildren(ed.form);
            ed.focus();
          });
          actions.append(edit);
        }
        actions.append(...deleteButton('replies', r.id, metaId, async () => {
          bodyEl.replaceWith(h('p', { class: 'placeholder-text' }, placeholder('removed', 'reply')));
          actions.remove();
          counts.remove();
          status.textContent = 'Your reply is deleted.';
        }));
      }
    }
    const li = h('li', { class: `reply depth-${Math.min(r.depth || 0, 8)}` },
      h('article', {
        'aria-labelledby': metaId, tabindex: '-1', class: 'reply-body', id: `r-${r.id}`,
      },
        h('p', { class: 'meta', id: metaId },
          rReadable ? h('span', { class: 'handle' }, r.author ? r.author.handle : 'a former member') : 'A reply',
          rReadable ? facilitatorBadge(r.author) : null,
          rMine ? ' (you)' : '', ' · ', when(r.created_at), edited),
        rReadable ? null : (r.folded ? foldedNote(r, 'reply') : h('p', { class: 'placeholder-text' }, placeholder(r.status, 'reply'))),
        rReadable ? statusNote(r.status, 'reply', rMine, r.removed_reason) : null,
        rReadable ? withWarning('', bodyEl, 'reply', rMine ? '' : themeWords(warned(r, prefs))) : null,
        editSlot,
        rReadable ? counts : null,
        actions, rSupport.err, status, slot),
      kids);
    children.set(r.id, kids);
    return li;
  };

  const emptyNote = h('p', { class: 'quiet-text' }, canAct ? 'No replies yet. A few kind words can mean a lot.' : 'No replies yet.');
  const place = (r) => {
    emptyNote.remove();
    const li = replyEl(r);
    const list = (r.parent_id && children.get(r.parent_id)) || root;
    list.append(li);
    return li;
  };
  replies.items.forEach(place);

  let replyCount = story.reply_count;
  const repliesTitle = h('h2', { id: 'replies-title' });
  const showCount = () => {
    repliesTitle.textContent = replyCount === 0 ? 'Replies' : `Replies (${replyCount})`;
  };
  showCount();

  const [more, moreErr] = pager('Show more replies', replies.next_cursor,
    (cursor) => api('GET', `/stories/${seg(id)}/replies?limit=100&cursor=${seg(cursor)}${reveal}`),
    (items) => items.forEach(place));

  // The guidelines to agree to before replying, here from the start or
  // after the API held a reply back.
  const care = h('div', { class: 'care-slot' },
    canAct && circle.guidelines && !circle.guidelines.accepted_by_me ? guidelinesCard(circle, { heading: 'h3' }) : null);

  // The one reply form: it moves under a reply when "Reply" is pressed.
  if (canAct) {
    const body = field({ label: 'Reply', name: 'reply', multiline: true, rows: 4, maxlength: 10000, required: true });
    keepDraft(body.input, `reply:${id}`);
    const themes = themeBoxes();
    const err = formError();
    const send = h('button', { type: 'submit', class: 'button primary' }, 'Send reply');
    cancelReply.addEventListener('click', () => {
      moveFormHome();
      body.input.focus();
    });
    replyForm.append(replyingTo, body.wrap, themes.wrap, h('div', { class: 'form-actions' }, send, cancelReply), err);
    replyForm.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      clearErrors(replyForm);
      await busy(send, async () => {
        if (!(await checkBeforeSending(body.input.value, body.input))) return;
        let r;
        try {
          r = await api('POST', `/stories/${seg(id)}/replies`, {
            body: body.input.value, parent_id: parent ? parent.id : null, themes: themes.values(),
          });
        } catch (e) {
          if (await heldBack(e, care, circle.slug, async () => body.input.focus())) {
            care.querySelector('.agree button')?.focus();
            return;
          }
          showError(e, { invalid_body: body.input, invalid_parent: body.input }, err);
          return;
        }
        body.input.value = '';
        themes.clear();
        drafts.set(`reply:${id}`, '');
        replyCount += 1;
        showCount();
        moveFormHome();
        const li = place(r);
        crisisSlot.replaceChildren();
        if (r.crisis_resources) {
          crisisSlot.append(crisisAlert(r.crisis_resources));
        }
        const art = li.querySelector('article');
        art.focus();
        announce(r.status === 'pending'
          ? 'Your reply is sent. A moderator reads it before others see it.'
          : 'Your reply is posted.');
      });
    });
    formHome.append(replyForm);
  }

  let joinArea = null;
  if (!circle.is_member && published && circle.visibility === 'private') {
    joinArea = h('p', { class: 'note' }, 'This thread is in a private circle. You can read it while it waits in the moderation queue; replying needs an invite code from its facilitator.');
  } else if (!circle.is_member && published) {
    joinArea = h('div', { class: 'card join-card' },
      h('p', null, `Join ${circle.name} to reply and give support.`),
      joinCircle(circle, async () => ctx.navigate(location.pathname, { replace: true })));
  }

  append(view,
    h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' },
      h('a', { href: '/' }, 'Circles'), ' / ', h('a', { href: `/c/${seg(circle.slug)}` }, circle.name)),
    flash.crisis ? crisisAlert(flash.crisis) : null,
    flash.message ? h('p', { class: 'notice-banner', role: 'status' }, flash.message) : null,
    flash.shared && !flash.crisis && story.status === 'published' ? h('p', { class: 'notice-banner', role: 'status' }, 'Thank you for sharing. Your story is in the circle now.') : null,
    article,
    h('section', { class: 'replies', 'aria-labelledby': 'replies-title' },
      repliesTitle,
      replies.items.length ? null : emptyNote,
      root,
      more, moreErr,
      crisisSlot,
      joinArea,
      canAct ? h('h3', { class: 'visually-hidden' }, 'Write a reply') : null,
      care,
      formHome),
    flags.dialog);
  if (isModerator() && !readable) {
    append(view, h('p', { class: 'hint' }, 'Moderators can act on this from the ', h('a', { href: '/moderation' }, 'moderation queue'), '.'));
  }
  // A link to one reply (from a notice) opens at that reply, once the page
  // is shown.
  if (location.hash.startsWith('#r-')) {
    window.setTimeout(() => {
      const target = document.getElementById(location.hash.slice(1));
      if (target) target.focus();
    }, 0);
  }
}
