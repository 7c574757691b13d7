// / : a welcome for newcomers; the circles for members.
import {
  all, api, ApiError, currentMember, isModerator, seg,
} from '../api.js';
import {
  append, badge, busy, clearErrors, field, formError, h, setTitle, showError,
} from '../ui.js';
import { storyCard } from './common.js';

function welcome(view, flash) {
  setTitle('');
  append(view,
    flash && flash.message ? h('p', { class: 'notice-banner', role: 'status' }, flash.message) : null,
    h('section', { class: 'hero' },
      h('h1', { tabindex: '-1' }, 'Hearth'),
      h('p', { class: 'lede' }, 'A quiet, confidential place to share recovery with people who understand: after heart trouble, addiction, cancer, grief or disaster.'),
      h('ul', { class: 'promises' },
        h('li', null, 'No email and no real name: just a handle you choose.'),
        h('li', null, 'What you write is sealed. You can take it with you, or erase it for good, at any time.'),
        h('li', null, 'Trained facilitators and moderators keep each circle kind and safe.')),
      h('p', { class: 'actions' },
        h('a', { class: 'button primary', href: '/join' }, 'Join'),
        h('a', { class: 'button', href: '/signin' }, 'Sign in'))));
}

function circleName(circles, slug) {
  const c = circles.find((x) => x.slug === slug);
  return c ? c.name : slug;
}

function circleCard(c) {
  return h('li', { class: 'card circle-card' },
    h('h3', null, h('a', { href: `/c/${seg(c.slug)}` }, c.name)),
    c.description ? h('p', null, c.description) : null,
    h('p', { class: 'meta' },
      c.visibility === 'private' ? badge('Private') : null,
      c.is_facilitator ? badge('You facilitate', 'quiet') : null,
      `${c.member_count} ${c.member_count === 1 ? 'member' : 'members'}`,
      // Only the moderation team sees a private circle it is not in.
      c.visibility === 'private' && !c.is_member ? ' · only its members read its stories' : ''));
}

function inviteForm(navigate) {
  const circle = field({ label: 'Circle', name: 'circle', hint: 'The circle’s short name from its invite, like addiction-recovery.', autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false', required: true });
  const code = field({ label: 'Invite code', name: 'invite', autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false', required: true });
  const err = formError();
  const button = h('button', { type: 'submit', class: 'button' }, 'Join with invite');
  const form = h('form', { class: 'stack', novalidate: true }, circle.wrap, code.wrap, h('div', { class: 'form-actions' }, button), err);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const slug = circle.input.value.trim().toLowerCase().replace(/^.*\/c\//, '').replace(/[/?#].*$/, '');
    if (!slug) {
      showError(new ApiError({ code: 'slug', detail: 'Please enter the circle’s short name.' }), { slug: circle.input });
      return;
    }
    await busy(button, async () => {
      try {
        await api('POST', `/circles/${seg(slug)}/join`, { invite_code: code.input.value.trim() });
        navigate(`/c/${seg(slug)}`);
      } catch (e) {
        showError(e, { invite_invalid: code.input, invite_required: code.input, not_found: circle.input }, err);
      }
    });
  });
  return h('section', { class: 'card', 'aria-labelledby': 'invite-title' },
    h('h2', { id: 'invite-title' }, 'Have an invite?'),
    h('p', null, 'Private circles are joined with a code from their facilitator.'),
    form);
}

export default async function render({ view, takeFlash, navigate }) {
  const flash = takeFlash();
  const me = currentMember();
  if (!me) {
    welcome(view, flash);
    return;
  }
  const circles = await all('/circles');
  const looksAfter = isModerator() || circles.some((c) => c.is_facilitator);
  const waiting = looksAfter ? await api('GET', '/me/unanswered?limit=5') : null;
  const mine = circles.filter((c) => c.is_member);
  const others = circles.filter((c) => !c.is_member);
  setTitle('Circles');
  append(view,
    flash && flash.message ? h('p', { class: 'notice-banner', role: 'status' }, flash.message) : null,
    h('h1', { tabindex: '-1' }, 'Circles'),
    h('p', { class: 'lede' }, `Welcome, ${me.handle}. Take your time: read, share, or simply sit with others for a while.`),
    waiting ? h('section', { 'aria-labelledby': 'waiting-title' },
      h('h2', { id: 'waiting-title' }, 'Waiting for a reply'),
      h('p', null, 'Stories in the circles you look after that nobody has answered yet, the ones waiting longest first.'),
      waiting.items.length
        ? h('ol', { class: 'cards stories' }, waiting.items.map((s) => storyCard(s, { circle: circleName(circles, s.circle) })))
        : h('p', { class: 'quiet-text' }, 'Every story in your circles has had a reply.')) : null,
    h('section', { 'aria-labelledby': 'mine-title' },
      h('h2', { id: 'mine-title' }, 'Your circles'),
      mine.length
        ? h('ul', { class: 'cards' }, mine.map(circleCard))
        : h('p', null, 'You have not joined a circle yet. Open one below to read its stories; join when it feels right.')),
    others.length
      ? h('section', { 'aria-labelledby': 'others-title' },
        h('h2', { id: 'others-title' }, 'Other circles'),
        h('ul', { class: 'cards' }, others.map(circleCard)))
      : null,
    inviteForm(navigate));
}
