// The Mentors section of a circle's page: its approved mentors, each with
// Ask for a mentor, and Offer to mentor for members who would walk beside
// a newcomer.
import { api, seg } from '../api.js';
import {
  announce, busy, clearErrors, field, formError, h, modal, showError,
} from '../ui.js';
import { heldBack } from './care.js';
import { checkBeforeSending, inMentorship } from './precheck.js';

/**
 * held answers a request or offer the API held back until the circle's
 * guidelines are agreed to: in slot, the crisis resources when the words
 * read as one, and the guidelines with "I agree"; the words stay in input.
 * It answers whether err was that.
 */
async function held(err, slot, circle, input) {
  if (!(await heldBack(err, slot, circle.slug, async () => input.focus()))) return false;
  slot.querySelector('.agree button')?.focus();
  return true;
}

function askButton(circle, mentor, navigate) {
  const message = field({
    label: 'Message', name: 'message', multiline: true, rows: 5, maxlength: 10000,
    hint: `Say a little about yourself and what you hope for. ${mentor.handle} reads it while deciding; only the two of you will ever read your conversation.`,
  });
  const err = formError();
  const care = h('div', { class: 'care-slot' });
  const send = h('button', { type: 'submit', class: 'button primary' }, 'Send request');
  const form = h('form', { class: 'stack', novalidate: true }, message.wrap, care, h('div', { class: 'form-actions' }, send), err);
  const dlg = modal(`Ask ${mentor.handle} to be your mentor`, form);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    clearErrors(form);
    busy(send, async () => {
      if (!(await checkBeforeSending(message.input.value, message.input, inMentorship(mentor.handle)))) return;
      try {
        const m = await api('POST', '/mentorships', { circle: circle.slug, mentor: mentor.handle, message: message.input.value });
        dlg.close();
        navigate(`/mentorships/${seg(m.id)}`, { flash: { message: 'Your request is sent. You will be told when your mentor answers.' } });
      } catch (e) {
        if (await held(e, care, circle, message.input)) return;
        showError(e, { invalid_message: message.input }, err);
      }
    });
  });
  const open = h('button', { type: 'button', class: 'button small', 'aria-describedby': `mentor-${mentor.handle}` }, 'Ask for a mentor');
  if (!mentor.accepting) {
    open.disabled = true;
    open.title = 'Not taking anyone new just now';
  }
  open.addEventListener('click', () => dlg.open(open));
  return h('span', null, open, dlg.dialog);
}

function offerButton(circle) {
  const intro = field({
    label: 'Intro', name: 'intro', multiline: true, rows: 4, maxlength: 500,
    hint: 'A few words newcomers see beside your handle: what you have walked through, and how you like to help.',
  });
  const count = field({ label: 'How many mentees at once', name: 'max_mentees', type: 'number', min: 1, max: 5, value: '2', inputmode: 'numeric' });
  const err = formError();
  const care = h('div', { class: 'care-slot' });
  const send = h('button', { type: 'submit', class: 'button primary' }, 'Send offer');
  const form = h('form', { class: 'stack', novalidate: true }, intro.wrap, count.wrap, care, h('div', { class: 'form-actions' }, send), err);
  const dlg = modal('Offer to mentor', form);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    clearErrors(form);
    busy(send, async () => {
      try {
        await api('PUT', `/circles/${seg(circle.slug)}/mentors/me`, { intro: intro.input.value, max_mentees: Number(count.input.value) });
        dlg.close();
        announce('Thank you. A facilitator of this circle will look at your offer.');
      } catch (e) {
        if (await held(e, care, circle, intro.input)) return;
        showError(e, { invalid_intro: intro.input, invalid_max_mentees: count.input }, err);
      }
    });
  });
  const open = h('button', { type: 'button', class: 'button' }, 'Offer to mentor');
  open.addEventListener('click', () => dlg.open(open));
  return h('p', { class: 'actions' }, open, dlg.dialog);
}

/** The Mentors section of circle's page, for its members. */
export async function mentorsSection(circle, navigate) {
  const page = await api('GET', `/circles/${seg(circle.slug)}/mentors`);
  return h('section', { 'aria-labelledby': 'mentors-title' },
    h('h2', { id: 'mentors-title' }, 'Mentors'),
    h('p', null, 'Members further along who walk beside newcomers, one to one. Your conversation stays between the two of you.'),
    page.items.length
      ? h('ul', { class: 'cards mentors' }, page.items.map((m) => h('li', { class: 'card' },
        h('p', { id: `mentor-${m.handle}` }, h('strong', null, m.handle)),
        h('p', null, m.intro || ''),
        askButton(circle, m, navigate))))
      : h('p', { class: 'quiet-text' }, 'No mentors here yet.'),
    offerButton(circle));
}
