// care.js: a circle's guidelines (read, agreed to before writing) and its
// resources, and the facilitators' tools for both.
import { api, seg } from '../api.js';
import {
  announce, busy, clearErrors, crisisAlert, field, formError, h, paragraphs, put, showError, uid,
} from '../ui.js';

/**
 * The circle's guidelines. Where its member has not agreed to the current
 * version, they come whole with a button "I agree"; once agreed, folded
 * away. onAgreed runs after agreeing.
 */
export function guidelinesCard(circle, { heading = 'h2', onAgreed } = {}) {
  const g = circle.guidelines;
  if (!g) return null;
  const text = h('div', { class: 'guidelines-text' }, paragraphs(g.text));
  if (!circle.is_member || g.accepted_by_me) {
    return h('details', { class: 'guidelines' },
      h('summary', null, 'Circle guidelines'),
      text,
      circle.is_member ? h('p', { class: 'quiet-text' }, 'You have agreed to these guidelines.') : null);
  }
  const titleId = uid('guidelines');
  let { version } = g;
  const err = formError();
  const agree = h('button', { type: 'button', class: 'button primary' }, 'I agree');
  const box = h('div', { class: 'agree' },
    h('p', null, 'Before you write here, please read these and agree to them. Reading the circle needs nothing.'),
    h('div', { class: 'form-actions' }, agree), err);
  agree.addEventListener('click', () => busy(agree, async () => {
    err.textContent = '';
    try {
      await api('POST', `/circles/${seg(circle.slug)}/guidelines/accept`, { version });
    } catch (e) {
      if (e.code !== 'stale_version') {
        showError(e, null, err);
        return;
      }
      const fresh = await api('GET', `/circles/${seg(circle.slug)}`);
      ({ version } = fresh.guidelines);
      put(text, ...paragraphs(fresh.guidelines.text));
      err.textContent = 'The guidelines changed a moment ago. Please read the new version, then agree again.';
      return;
    }
    box.replaceWith(h('p', { class: 'quiet-text' }, 'You have agreed to these guidelines.'));
    announce('Thank you. You can write in this circle now.');
    if (onAgreed) await onAgreed();
  }));
  return h('section', { class: 'card guidelines', 'aria-labelledby': titleId },
    h(heading, { id: titleId }, 'Circle guidelines'), text, box);
}

/** The circle's resources, where it has any. */
export function resourcesList(circle) {
  const list = circle.resources || [];
  if (!list.length) return null;
  return h('section', { class: 'resources', 'aria-labelledby': 'resources-title' },
    h('h2', { id: 'resources-title' }, 'Resources'),
    h('p', { class: 'hint' }, 'If you need help now, these are here for you.'),
    h('ul', { class: 'crisis-list' }, list.map((r) => h('li', null, h('strong', null, r.name), ': ', r.contact))));
}

/**
 * heldBack answers writing the API held back because its author has not
 * agreed to the circle's guidelines: in slot, the crisis resources when
 * the words read as one, and the guidelines to agree to. The draft stays
 * in its fields. It answers whether err was that.
 */
export async function heldBack(err, slot, slug, onAgreed) {
  if (err.code !== 'guidelines_not_accepted') return false;
  const circle = await api('GET', `/circles/${seg(slug)}`);
  put(slot,
    err.crisisResources ? crisisAlert(err.crisisResources, 'Nothing was posted yet, and your words are kept here. The circle’s facilitators and moderators are here too.') : null,
    h('p', { class: 'notice-banner', role: 'status' }, 'Nothing was posted yet, and your words are kept. Please read this circle’s guidelines and agree to them, then send again.'),
    guidelinesCard(circle, { onAgreed }));
  return true;
}

// Resources are edited as lines of "name: contact".
const resourceLines = (list) => list.map((r) => `${r.name}: ${r.contact}`).join('\n');

function parseResources(text) {
  return text.split('\n').map((l) => l.trim()).filter(Boolean).map((l) => {
    const at = l.indexOf(':');
    return at < 0 ? { name: l, contact: '' } : { name: l.slice(0, at).trim(), contact: l.slice(at + 1).trim() };
  });
}

/**
 * The editors of the circle's guidelines and resources: its facilitators'
 * on the circle's page, an admin's on /admin. Where many circles share a
 * page (of: true), each form is named by its circle, so landmarks stay
 * apart, and the title is a plain heading rather than a region.
 */
export function careTools(circle, rerender, { heading = 'h3', of = false } = {}) {
  const suffix = of ? ` of ${circle.name}` : '';
  const text = field({
    label: 'Guidelines', name: 'guidelines', multiline: true, rows: 10, maxlength: 10000,
    hint: 'Everyone in the circle agrees to these before writing. Saving a change asks them to agree again.',
  });
  text.input.value = circle.guidelines ? circle.guidelines.text : '';
  const gErr = formError();
  const gSave = h('button', { type: 'submit', class: 'button' }, 'Save guidelines');
  const gDone = h('p', { class: 'status', role: 'status' });
  const gForm = h('form', { class: 'stack', novalidate: true, 'aria-label': `Guidelines${suffix}` },
    text.wrap, h('div', { class: 'form-actions' }, gSave), gErr, gDone);
  gForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(gForm);
    gDone.textContent = '';
    await busy(gSave, async () => {
      let g;
      try {
        g = await api('PUT', `/circles/${seg(circle.slug)}/guidelines`, { text: text.input.value });
      } catch (e) {
        showError(e, { invalid_text: text.input }, gErr);
        return;
      }
      gDone.textContent = `Version ${g.version} is saved, and logged. Members agree to it before they next write.`;
      announce('The guidelines are saved.');
      await rerender();
    });
  });

  const res = field({
    label: 'Resources', name: 'resources', multiline: true, rows: 5,
    hint: 'Up to 10, one a line: a name, a colon, then how to reach it, like “Samaritans: call 116 123, any time”.',
  });
  res.input.value = resourceLines(circle.resources || []);
  const rErr = formError();
  const rSave = h('button', { type: 'submit', class: 'button' }, 'Save resources');
  const rDone = h('p', { class: 'status', role: 'status' });
  const rForm = h('form', { class: 'stack', novalidate: true, 'aria-label': `Resources${suffix}` },
    res.wrap, h('div', { class: 'form-actions' }, rSave), rErr, rDone);
  rForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(rForm);
    rDone.textContent = '';
    await busy(rSave, async () => {
      try {
        await api('PUT', `/circles/${seg(circle.slug)}/resources`, { resources: parseResources(res.input.value) });
      } catch (e) {
        showError(e, {
          too_many_resources: res.input, invalid_name: res.input, invalid_contact: res.input,
        }, rErr);
        return;
      }
      rDone.textContent = 'The resources are saved, and logged.';
      announce('The resources are saved.');
      await rerender();
    });
  });
  if (of) return h('div', { class: 'stack' }, h(heading, null, 'Guidelines and resources'), gForm, rForm);
  const titleId = uid('care');
  return h('section', { class: 'card', 'aria-labelledby': titleId },
    h(heading, { id: titleId }, 'Guidelines and resources'), gForm, rForm);
}
