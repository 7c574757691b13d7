// /mentorships and /mentorships/{id}: a member's mentorships, one
// conversation at a time, a mentor's requests, and, for facilitators and
// admins, the offers to mentor that wait for them.
import {
  all, api, currentMember, isAdmin, seg,
} from '../api.js';
import {
  announce, badge, busy, clearErrors, crisisAlert, field, formError, h, modal, put, setTitle, showError, when,
} from '../ui.js';
import { checkBeforeSending, inMentorship } from './precheck.js';

const statusWords = {
  requested: 'Waiting for an answer',
  active: 'Active',
  declined: 'Not taken up',
  withdrawn: 'Withdrawn',
  expired: 'Expired',
  ended: 'Ended',
};

function other(m) {
  return m.role === 'mentor' ? m.mentee.handle : m.mentor.handle;
}

// label names a mentorship as its member reads it, with its circle's name
// (names: slug to name, from the member's circles).
function label(m, names) {
  const circle = names.get(m.circle) || m.circle;
  return m.role === 'mentor' ? `You mentor ${m.mentee.handle} in ${circle}` : `${m.mentor.handle} mentors you in ${circle}`;
}

// circleNames maps the slugs of the member's circles to their names.
function circleNames(me) {
  return new Map((me.circles || []).map((c) => [c.slug, c.name]));
}

// answerButtons are Accept and Decline for a request to the caller.
function answerButtons(m, done) {
  const err = formError();
  const make = (text, verb) => {
    const b = h('button', { type: 'button', class: verb === 'accept' ? 'button primary small' : 'button small' }, text);
    b.addEventListener('click', () => busy(b, async () => {
      try {
        await api('POST', `/mentorships/${seg(m.id)}/${verb}`);
        announce(verb === 'accept' ? 'Accepted. You can write to each other now.' : 'Declined. They are told kindly, with no reason.');
        await done();
      } catch (e) {
        showError(e, null, err);
      }
    }));
    return b;
  };
  return h('div', { class: 'form-actions' }, make('Accept', 'accept'), make('Decline', 'decline'), err);
}

// pendingOffers lists the offers to mentor waiting for the caller, each
// with Approve and Remove: a facilitator's in the circles they facilitate,
// and an admin's in every circle (the server lists to each only the offers
// they may decide on: an admin decides on facilitators' own).
async function pendingOffers(me, done) {
  const circles = isAdmin() ? await all('/circles') : (me.circles || []).filter((c) => c.is_facilitator);
  const pages = await Promise.all(circles.map((c) => api('GET', `/circles/${seg(c.slug)}/mentors?status=pending`)));
  const sections = [];
  circles.forEach((c, i) => {
    const page = pages[i];
    if (!page.items.length) return;
    sections.push(h('section', { class: 'card' },
      h('h3', null, `Offers to mentor in ${c.name}`),
      h('ul', { class: 'cards' }, page.items.map((o) => {
        const err = formError();
        const decide = (text, verb) => {
          const b = h('button', { type: 'button', class: verb === 'approve' ? 'button primary small' : 'button small' }, text);
          b.addEventListener('click', () => busy(b, async () => {
            try {
              await api('POST', `/circles/${seg(c.slug)}/mentors/${seg(o.handle)}/${verb}`);
              announce(verb === 'approve' ? 'Approved.' : 'Removed.');
              await done();
            } catch (e) {
              showError(e, null, err);
            }
          }));
          return b;
        };
        return h('li', { class: 'card' },
          h('p', null, h('strong', null, o.handle), ' offered ', when(o.since)),
          h('p', null, o.intro || ''),
          h('div', { class: 'form-actions' }, decide('Approve', 'approve'), decide('Remove', 'remove')), err);
      }))));
  });
  if (!sections.length) return null;
  return h('section', { 'aria-labelledby': 'offers-title' }, h('h2', { id: 'offers-title' }, 'Offers waiting for you'), sections);
}

async function listPage(ctx) {
  const { view } = ctx;
  setTitle('Mentorship');
  const [items, me] = await Promise.all([all('/mentorships'), api('GET', '/me')]);
  const names = circleNames(me);
  const rerender = async () => {
    const fresh = h('div', { class: 'page' });
    await listPage({ ...ctx, view: fresh });
    view.replaceChildren(...fresh.childNodes);
  };
  const offers = await pendingOffers(me, rerender);
  put(view,
    h('h1', { tabindex: '-1' }, 'Mentorship'),
    h('p', { class: 'lede' }, 'A mentor is a member further along who walks beside you, one to one. Your conversations are private: only the two of you read them.'),
    items.length
      ? h('ul', { class: 'cards' }, items.map((m) => h('li', { class: 'card' },
        h('p', null, h('a', { href: `/mentorships/${seg(m.id)}` }, label(m, names)), ' ', badge(statusWords[m.status] || m.status, 'quiet')),
        h('p', { class: 'meta' }, 'Since ', when(m.created_at)),
        m.role === 'mentor' && m.status === 'requested' ? answerButtons(m, rerender) : null)))
      : h('p', null, 'No mentorships yet. You can ask for a mentor on a circle’s page, under Mentors.'),
    offers);
}

// flagButton lets one member flag the other's message, telling them
// plainly that the other member may guess who flagged.
function flagButton(msg, who) {
  const reason = field({
    label: 'Reason',
    name: 'reason',
    options: [['harassment', 'Harassment'], ['privacy', 'Shares private details'], ['crisis', 'Someone may be in danger'], ['spam', 'Spam'], ['misinformation', 'Misinformation'], ['other', 'Something else']],
  });
  const note = field({ label: 'Note', name: 'note', multiline: true, rows: 3, maxlength: 1000 });
  const err = formError();
  const send = h('button', { type: 'submit', class: 'button primary' }, 'Send flag');
  const form = h('form', { class: 'stack', novalidate: true },
    h('p', null, `The moderation team will read this one message. ${who} is not told who flagged it, but since only the two of you are here, they may guess.`),
    reason.wrap, note.wrap, h('div', { class: 'form-actions' }, send), err);
  const dlg = modal('Flag this message', form);
  const open = h('button', { type: 'button', class: 'button small quiet' }, 'Flag');
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    busy(send, async () => {
      try {
        await api('POST', '/flags', { target_type: 'message', target_id: msg.id, reason: reason.input.value, note: note.input.value });
        dlg.close();
        open.disabled = true;
        open.textContent = 'Flagged';
        announce('Thank you. The moderation team will read it.');
      } catch (e) {
        showError(e, null, err);
      }
    });
  });
  open.addEventListener('click', () => dlg.open(open));
  return h('span', null, open, dlg.dialog);
}

function messageItem(msg, mine, who) {
  if (msg.status === 'removed') {
    return h('li', { class: 'message removed' }, h('p', { class: 'quiet-text' }, 'This message was removed.'));
  }
  return h('li', { class: mine ? 'message mine' : 'message' },
    h('p', { class: 'meta' }, h('strong', null, mine ? 'You' : msg.author.handle), ' · ', when(msg.created_at)),
    h('p', { class: 'message-body' }, msg.body),
    mine ? null : flagButton(msg, who));
}

async function conversationPage(ctx) {
  const { view, params } = ctx;
  const [mentorships, account] = await Promise.all([all('/mentorships'), api('GET', '/me')]);
  const mine = mentorships.find((m) => m.id === params.id);
  if (!mine) {
    setTitle('We could not find that');
    put(view, h('h1', { tabindex: '-1' }, 'We could not find that'), h('p', null, h('a', { href: '/mentorships' }, 'Back to Mentorship')));
    return;
  }
  const who = other(mine);
  const me = currentMember();
  setTitle(`Mentorship with ${who}`);
  const messages = await all(`/mentorships/${seg(mine.id)}/messages`);
  const list = h('ol', { class: 'messages', 'aria-label': 'Messages' }, messages.map((m) => messageItem(m, m.author && me && m.author.handle === me.handle, who)));
  const rerender = async () => {
    const fresh = h('div', { class: 'page' });
    await conversationPage({ ...ctx, view: fresh });
    view.replaceChildren(...fresh.childNodes);
  };
  const after = h('div', { 'aria-live': 'polite' });
  let write = null;
  if (mine.status === 'active') {
    const body = field({ label: 'Message', name: 'body', multiline: true, rows: 4, maxlength: 10000 });
    const err = formError();
    const send = h('button', { type: 'submit', class: 'button primary' }, 'Send');
    const form = h('form', { class: 'stack', novalidate: true }, body.wrap, h('div', { class: 'form-actions' }, send), err);
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      clearErrors(form);
      busy(send, async () => {
        if (!(await checkBeforeSending(body.input.value, body.input, inMentorship(who)))) return;
        try {
          const msg = await api('POST', `/mentorships/${seg(mine.id)}/messages`, { body: body.input.value });
          body.input.value = '';
          list.append(messageItem(msg, true, who));
          put(after,
            msg.crisis_resources ? crisisAlert(msg.crisis_resources) : null,
            msg.identifying && msg.identifying.length
              ? h('p', { class: 'note', role: 'status' }, 'Your message may hold details that could identify someone (a phone number, an address…). Think twice before sharing more.')
              : null);
          announce('Sent.');
        } catch (e) {
          showError(e, { invalid_body: body.input }, err);
        }
      });
    });
    const endErr = formError();
    const end = h('button', { type: 'button', class: 'button quiet' }, 'End mentorship');
    end.addEventListener('click', () => busy(end, async () => {
      try {
        await api('POST', `/mentorships/${seg(mine.id)}/end`);
        await rerender();
        announce('The mentorship has ended. You can still read what you said to each other.');
      } catch (e) {
        showError(e, null, endErr);
      }
    }));
    write = h('section', { 'aria-label': 'Write' }, form, h('div', { class: 'form-actions' }, end), endErr);
  }
  const flash = ctx.takeFlash();
  put(view,
    h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, h('a', { href: '/mentorships' }, 'Mentorship')),
    flash && flash.message ? h('p', { class: 'notice-banner', role: 'status' }, flash.message) : null,
    h('h1', { tabindex: '-1' }, 'Mentorship'),
    h('p', { class: 'lede' }, label(mine, circleNames(account)), ' ', badge(statusWords[mine.status] || mine.status, 'quiet')),
    h('p', { class: 'note privacy' }, `Only you and ${who} can read this conversation. Moderators read a message only if one of you flags it.`),
    h('p', { class: 'hint' }, 'Keep to your circle’s boundaries for mentorship: be kind, keep what is shared here between you, and do not share addresses, phone numbers or other details that identify anyone.'),
    mine.role === 'mentor' && mine.status === 'requested' ? answerButtons(mine, rerender) : null,
    list,
    after,
    write,
    mine.status === 'ended' ? h('p', null, 'This mentorship has ended. You can still read what you said to each other.') : null);
}

export default async function render(ctx) {
  if (ctx.params.id) return conversationPage(ctx);
  return listPage(ctx);
}
