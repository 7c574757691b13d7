// /c/{slug} : a circle: its pinned guidance first, then its stories.
import { api, seg } from '../api.js';
import {
  announce, append, badge, busy, clearErrors, copyText, exactly, field, formError, h, modal, pager, put, selectText, setTitle, showError, uid, when,
} from '../ui.js';
import { careTools, guidelinesCard, resourcesList } from './care.js';
import { joinCircle, storyCard } from './common.js';
import { preferences } from './safety.js';
import { mentorsSection } from './mentors.js';

function inviteTools(circle) {
  const uses = field({ label: 'How many people may use it', name: 'uses', type: 'number', min: 1, max: 1000, value: '1', inputmode: 'numeric' });
  const hours = field({ label: 'Valid for (hours)', name: 'hours', type: 'number', min: 1, max: 720, value: '72', inputmode: 'numeric', hint: 'Up to 720 hours (30 days).' });
  const err = formError();
  const result = h('div', { class: 'invite-result', 'aria-live': 'polite' });
  const button = h('button', { type: 'submit', class: 'button' }, 'Make invite code');
  const form = h('form', { class: 'stack', novalidate: true },
    h('div', { class: 'row' }, uses.wrap, hours.wrap),
    h('div', { class: 'form-actions' }, button), err, result);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    await busy(button, async () => {
      try {
        const inv = await api('POST', `/circles/${seg(circle.slug)}/invites`, {
          max_uses: Number(uses.input.value), expires_in_hours: Number(hours.input.value),
        });
        const link = `${location.origin}/c/${seg(circle.slug)}?invite=${seg(inv.code)}`;
        const codeEl = h('code', { class: 'invite-code' }, inv.code);
        const linkEl = h('code', { class: 'invite-link' }, link);
        const copied = h('p', { class: 'status', role: 'status' });
        const copy = (text, el) => async () => {
          if (await copyText(text)) copied.textContent = 'Copied.';
          else {
            selectText(el);
            copied.textContent = 'Selected: press Ctrl+C (or ⌘+C) to copy.';
          }
        };
        put(result,
          h('p', null, 'Invite code: ', codeEl),
          h('p', null, 'Or share this link: ', linkEl),
          h('p', { class: 'hint' }, `Works for ${inv.max_uses} ${inv.max_uses === 1 ? 'person' : 'people'}, until `, exactly(inv.expires_at), '. It is shown only now.'),
          h('div', { class: 'form-actions' },
            h('button', { type: 'button', class: 'button small', onclick: copy(inv.code, codeEl) }, 'Copy code'),
            h('button', { type: 'button', class: 'button small', onclick: copy(link, linkEl) }, 'Copy link')),
          copied);
        form.dispatchEvent(new Event('invite-made'));
      } catch (e) {
        showError(e, { invalid_max_uses: uses.input, invalid_expires_in_hours: hours.input }, err);
      }
    });
  });
  const live = h('div', { class: 'live-invites' });
  const showLive = async () => {
    const page = await api('GET', `/circles/${seg(circle.slug)}/invites?limit=100`);
    if (!page.items.length) {
      put(live, h('p', { class: 'quiet-text' }, 'No invite is open right now.'));
      return;
    }
    const status = h('p', { class: 'status', role: 'status' });
    put(live,
      h('h4', null, 'Open invites'),
      h('p', { class: 'hint' }, 'Codes are shown only once, when made. Revoke an invite you no longer need; it also ends when its maker stops facilitating here.'),
      h('ul', { class: 'invite-list' }, page.items.map((inv) => {
        const label = uid('invite');
        const revoke = h('button', { type: 'button', class: 'button small quiet', 'aria-describedby': label }, 'Revoke');
        revoke.addEventListener('click', () => busy(revoke, async () => {
          try {
            await api('DELETE', `/circles/${seg(circle.slug)}/invites/${seg(inv.id)}`);
            await showLive();
            announce('Invite revoked: its code no longer works.');
          } catch (e) {
            status.textContent = e.message;
          }
        }));
        return h('li', null,
          h('span', { id: label }, `Made by ${inv.created_by ? inv.created_by.handle : 'a facilitator'} `, when(inv.created_at),
            ` · used ${inv.uses} of ${inv.max_uses} · until `, exactly(inv.expires_at)),
          ' ', revoke);
      })),
      status);
  };
  form.addEventListener('invite-made', showLive);
  showLive().catch((e) => put(live, h('p', { class: 'form-error' }, e.message)));
  return h('section', { class: 'card', 'aria-labelledby': 'invites-title' },
    h('h3', { id: 'invites-title' }, 'Invite someone'),
    h('p', null, 'This circle is private. Make a code for each person you invite, and send it to them privately.'),
    form, live);
}

function leaveButton(circle, rerender) {
  const err = formError();
  const button = h('button', { type: 'button', class: 'button quiet' }, 'Leave circle');
  const confirm = h('button', { type: 'button', class: 'button primary' }, 'Yes, leave');
  const stay = h('button', { type: 'button', class: 'button' }, 'Stay');
  const dlg = modal(`Leave ${circle.name}?`,
    h('p', null, circle.visibility === 'private'
      ? 'This circle is private: to come back later you will need a new invite code from its facilitator.'
      : 'You can come back at any time. What you wrote here stays.'),
    h('div', { class: 'form-actions' }, confirm, stay), err);
  stay.addEventListener('click', () => dlg.close());
  confirm.addEventListener('click', () => busy(confirm, async () => {
    try {
      await api('POST', `/circles/${seg(circle.slug)}/leave`);
      dlg.close();
      await rerender();
    } catch (e) {
      showError(e, null, err);
    }
  }));
  button.addEventListener('click', () => dlg.open(button));
  return h('div', null, button, dlg.dialog);
}

function joinArea(circle, slug, rerender) {
  if (circle.is_member) {
    return h('p', { class: 'actions' }, h('a', { class: 'button primary', href: `/c/${seg(slug)}/new` }, 'Share a story'));
  }
  if (circle.visibility === 'private') {
    return h('div', { class: 'note' },
      h('p', null, 'This circle is private: only its members read its stories. You see its name because you are on the moderation team.'),
      h('p', null, 'When writing here is flagged or held for review, it comes to you in the ', h('a', { href: '/moderation' }, 'moderation queue'),
        ', and you can read its thread until the item is closed. Taking part needs an invite code from its facilitator.'));
  }
  return h('div', { class: 'card join-card' },
    h('p', null, 'Anyone can read this circle. Join it to share a story, reply and give support.'),
    joinCircle(circle, rerender));
}

function privateGate(view, slug, query, done) {
  setTitle('A private circle');
  const code = field({ label: 'Invite code', name: 'invite', autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false', value: query.get('invite') || '' });
  const err = formError();
  const button = h('button', { type: 'submit', class: 'button primary' }, 'Join circle');
  const form = h('form', { class: 'stack', novalidate: true }, code.wrap, h('div', { class: 'form-actions' }, button), err);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    await busy(button, async () => {
      try {
        await api('POST', `/circles/${seg(slug)}/join`, { invite_code: code.input.value.trim() });
        await done();
      } catch (e) {
        showError(e, { invite_invalid: code.input, invite_required: code.input, invalid_json: code.input }, err);
      }
    });
  });
  put(view,
    h('h1', { tabindex: '-1' }, 'A private circle'),
    h('p', null, 'This circle is private, or there is no circle at this address. If its facilitator gave you an invite code, enter it here.'),
    form,
    h('p', null, h('a', { href: '/' }, 'Back to the circles')));
}

export default async function render(ctx) {
  const { view, params, query } = ctx;
  const slug = params.slug;
  // The page drawn again in place; what the fresh page draws calls this
  // same function, so a second change still lands on the page shown.
  const rerender = ctx.rerender || async function again() {
    const fresh = h('div', { class: 'page' });
    await render({ ...ctx, view: fresh, rerender: again });
    view.replaceChildren(...fresh.childNodes);
    const h1 = view.querySelector('h1');
    if (h1) h1.focus();
  };
  let circle;
  let page;
  try {
    [circle, page] = await Promise.all([
      api('GET', `/circles/${seg(slug)}`),
      // The moderation team sees a private circle, but not its stories.
      api('GET', `/circles/${seg(slug)}/stories?limit=20`).catch((e) => {
        if (e.code === 'members_only') return null;
        throw e;
      }),
      // The reader's preferences fold warned themes in the list.
      preferences(),
    ]);
  } catch (e) {
    if (e.status === 404) {
      // Joined: show the circle, and drop the code from the address bar.
      privateGate(view, slug, query, async () => ctx.navigate(`/c/${seg(slug)}`, { replace: true }));
      return;
    }
    throw e;
  }
  setTitle(circle.name);
  const list = h('ol', { class: 'cards stories' }, page ? page.items.map(storyCard) : []);
  const [more, moreErr] = pager('Show more stories', page && page.next_cursor,
    (cursor) => api('GET', `/circles/${seg(slug)}/stories?limit=20&cursor=${seg(cursor)}`),
    (items) => {
      const cards = items.map(storyCard);
      list.append(...cards);
      if (cards.length) cards[0].querySelector('a').focus();
    });

  const flash = ctx.takeFlash();
  append(view,
    h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, h('a', { href: '/' }, 'Circles')),
    flash && flash.message ? h('p', { class: 'notice-banner', role: 'status' }, flash.message) : null,
    h('h1', { tabindex: '-1' }, circle.name),
    circle.description ? h('p', { class: 'lede' }, circle.description) : null,
    h('p', { class: 'meta' },
      circle.visibility === 'private' ? badge('Private') : badge('Open', 'quiet'),
      ` ${circle.member_count} ${circle.member_count === 1 ? 'member' : 'members'}`,
      circle.is_member ? ' · You are a member' : ''),
    // Agreeing changes only the card itself; redrawing the page would move
    // the reader's focus away from where they just pressed.
    guidelinesCard(circle),
    joinArea(circle, slug, rerender),
    resourcesList(circle),
    circle.is_facilitator
      ? h('section', { class: 'facilitator-tools', 'aria-labelledby': 'tools-title' },
        h('h2', { id: 'tools-title' }, 'Facilitator tools'),
        h('p', { class: 'actions' }, h('a', { class: 'button', href: `/c/${seg(slug)}/new?kind=guidance` }, 'Post guidance')),
        careTools(circle, rerender),
        circle.visibility === 'private' ? inviteTools(circle) : null)
      : null,
    page ? h('section', { 'aria-labelledby': 'stories-title' },
      h('h2', { id: 'stories-title' }, 'Stories'),
      h('p', { class: 'actions' }, h('a', { href: `/c/${seg(slug)}/waiting` }, 'Waiting for a reply')),
      h('p', { class: 'actions' }, h('a', { href: `/search?circle=${seg(slug)}` }, 'Search this circle')),
      page.items.length ? list : h('p', null, 'No stories here yet. When you are ready, yours could be the first.'),
      more, moreErr) : null,
    circle.is_member ? await mentorsSection(circle, ctx.navigate) : null,
    circle.is_member ? h('section', { class: 'leave', 'aria-label': 'Leave this circle' }, leaveButton(circle, rerender)) : null);
}
