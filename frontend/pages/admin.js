// /admin : circles, their settings and facilitators, and members' roles.
// Every change here is written to the moderation log by the API.
import { all, api, seg } from '../api.js';
import {
  announce, append, busy, clearErrors, field, formError, h, put, setTitle, showError, uid, when,
} from '../ui.js';
import { careTools } from './care.js';

const visibilities = [['open', 'Open: any member can read and join'], ['private', 'Private: by invite code only']];
const roles = [['member', 'Member'], ['moderator', 'Moderator'], ['admin', 'Admin']];

function checkbox(label, hint, checked) {
  const id = uid('check');
  const hintId = `${id}-hint`;
  const input = h('input', { type: 'checkbox', id, 'aria-describedby': hintId, checked: checked || null });
  return {
    input,
    wrap: h('div', { class: 'check' }, input, h('label', { for: id }, label), h('p', { class: 'hint', id: hintId }, hint)),
  };
}

const premodHint = 'A member’s first three stories or replies here wait for a moderator.';

/** Who facilitates circle c, into list; read again after each change. */
async function showFacilitators(c, list) {
  let people;
  try {
    people = await all(`/circles/${seg(c.slug)}/facilitators`);
  } catch (e) {
    put(list, h('li', { class: 'form-error' }, e.message));
    return;
  }
  put(list, people.length
    ? people.map((p) => h('li', null, h('strong', null, p.handle), ', since ', when(p.since)))
    : h('li', { class: 'quiet-text' }, 'Nobody facilitates this circle yet.'));
}

/**
 * The circle's guidelines and resources, with the editors its facilitators
 * have, into slot: read apart, as the list of circles does not carry them.
 */
async function showCare(c, slot) {
  let detail;
  try {
    detail = await api('GET', `/circles/${seg(c.slug)}`);
  } catch (e) {
    put(slot, h('p', { class: 'form-error' }, e.message));
    return;
  }
  // Saving changes nothing else here: the editors hold what was saved.
  put(slot, careTools(detail, async () => {}, { heading: 'h4', of: true }));
}

/**
 * The circle's settings, facilitators, guidelines and resources, folded
 * under its name: a place with many circles shows a list of names, and an
 * admin opens the one they came for. What is read apart is read on opening.
 */
function circleSection(c, open) {
  const titleId = uid('circle');
  const name = field({ label: 'Name', name: 'name', maxlength: 100, required: true, value: c.name });
  const description = field({ label: 'Description', name: 'description', multiline: true, rows: 3, maxlength: 1000 });
  description.input.value = c.description;
  const visibility = field({ label: 'Visibility', name: 'visibility', options: visibilities });
  visibility.input.value = c.visibility;
  const premod = checkbox('Premoderation', premodHint, c.premoderation);
  const sErr = formError();
  const sDone = h('p', { class: 'status', role: 'status' });
  const save = h('button', { type: 'submit', class: 'button' }, 'Save');
  const settings = h('form', { class: 'stack', novalidate: true, 'aria-label': `Settings of ${c.name}` },
    name.wrap, description.wrap, visibility.wrap, premod.wrap, h('div', { class: 'form-actions' }, save), sErr, sDone);
  settings.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(settings);
    sDone.textContent = '';
    await busy(save, async () => {
      try {
        await api('PATCH', `/circles/${seg(c.slug)}`, {
          name: name.input.value, description: description.input.value, visibility: visibility.input.value, premoderation: premod.input.checked,
        });
        sDone.textContent = 'Saved, and logged.';
      } catch (e) {
        showError(e, { invalid_name: name.input, invalid_description: description.input, invalid_visibility: visibility.input }, sErr);
      }
    });
  });

  const handle = field({ label: 'Handle', name: 'handle', autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false', required: true });
  const fErr = formError();
  const fDone = h('p', { class: 'status', role: 'status' });
  const appoint = h('button', { type: 'submit', class: 'button' }, 'Appoint');
  const remove = h('button', { type: 'button', class: 'button quiet' }, 'Remove');
  const who = h('ul', { class: 'facilitators', 'aria-label': `Who facilitates ${c.name}` },
    h('li', { class: 'quiet-text' }, 'Loading…'));
  const facilitators = h('form', { class: 'stack', novalidate: true, 'aria-label': `Facilitators of ${c.name}` },
    h('h4', null, 'Facilitators'), who,
    handle.wrap, h('div', { class: 'form-actions' }, appoint, remove), fErr, fDone);
  const setFacilitator = (on, button) => busy(button, async () => {
    clearErrors(facilitators);
    fDone.textContent = '';
    const person = handle.input.value.trim();
    try {
      await api(on ? 'PUT' : 'DELETE', `/circles/${seg(c.slug)}/facilitators/${seg(person)}`);
      fDone.textContent = on ? `${person} now facilitates ${c.name}.` : `${person} no longer facilitates ${c.name}.`;
      handle.input.value = '';
    } catch (e) {
      showError(e, { member_not_found: handle.input }, fErr);
      return;
    }
    await showFacilitators(c, who);
  });
  facilitators.addEventListener('submit', (ev) => {
    ev.preventDefault();
    setFacilitator(true, appoint);
  });
  remove.addEventListener('click', () => setFacilitator(false, remove));

  const care = h('div', null, h('p', { class: 'quiet-text' }, 'Loading the guidelines and resources…'));

  const section = h('details', { class: 'card admin-circle' },
    h('summary', null, h('h3', { id: titleId }, c.name, ' ', h('span', { class: 'quiet-text' }, `/c/${c.slug}`))),
    h('div', { class: 'stack' }, settings, facilitators, care));
  let read = false;
  const readOnce = () => {
    if (section.open && !read) {
      read = true;
      showFacilitators(c, who);
      showCare(c, care);
    }
  };
  section.addEventListener('toggle', readOnce);
  section.open = open;
  readOnce();
  return section;
}

function newCircleForm(onMade) {
  const slug = field({
    label: 'Slug', name: 'slug', autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false', maxlength: 50, required: true,
    hint: 'Its address: 2 to 50 of a-z, 0-9 and single hyphens, like grief-and-loss. It never changes.',
  });
  const name = field({ label: 'Name', name: 'name', maxlength: 100, required: true });
  const description = field({ label: 'Description', name: 'description', multiline: true, rows: 3, maxlength: 1000 });
  const visibility = field({ label: 'Visibility', name: 'visibility', options: visibilities });
  const premod = checkbox('Premoderation', premodHint, false);
  const err = formError();
  const button = h('button', { type: 'submit', class: 'button primary' }, 'Create circle');
  const form = h('form', { class: 'stack', novalidate: true, 'aria-labelledby': 'new-circle-title' },
    slug.wrap, name.wrap, description.wrap, visibility.wrap, premod.wrap, h('div', { class: 'form-actions' }, button), err);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    await busy(button, async () => {
      let c;
      try {
        c = await api('POST', '/circles', {
          slug: slug.input.value.trim(), name: name.input.value, description: description.input.value,
          visibility: visibility.input.value, premoderation: premod.input.checked,
        });
      } catch (e) {
        showError(e, {
          invalid_slug: slug.input, slug_taken: slug.input, invalid_name: name.input, invalid_description: description.input, invalid_visibility: visibility.input,
        }, err);
        return;
      }
      form.reset();
      announce(`${c.name} is made. Appoint its facilitators below.`);
      await onMade(c);
    });
  });
  return h('section', { class: 'card', 'aria-labelledby': 'new-circle-title' },
    h('h2', { id: 'new-circle-title' }, 'New circle'), form);
}

function rolesForm() {
  const handle = field({ label: 'Handle', name: 'handle', autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false', required: true });
  const role = field({ label: 'Role', name: 'role', options: roles });
  const err = formError();
  const done = h('p', { class: 'status', role: 'status' });
  const button = h('button', { type: 'submit', class: 'button' }, 'Change role');
  const form = h('form', { class: 'stack', novalidate: true, 'aria-labelledby': 'roles-title' },
    handle.wrap, role.wrap, h('div', { class: 'form-actions' }, button), err, done);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    done.textContent = '';
    await busy(button, async () => {
      const who = handle.input.value.trim();
      try {
        await api('PUT', `/admin/members/${seg(who)}/role`, { role: role.input.value });
        done.textContent = `${who} is now ${role.input.value === 'admin' ? 'an admin' : `a ${role.input.value}`}. Logged.`;
      } catch (e) {
        showError(e, { member_not_found: handle.input, invalid_role: role.input }, err);
      }
    });
  });
  return h('section', { class: 'card', 'aria-labelledby': 'roles-title' },
    h('h2', { id: 'roles-title' }, 'Roles'),
    h('p', { class: 'hint' }, 'Moderators work the queue; admins also run circles and roles.'),
    form);
}

export default async function render({ view }) {
  setTitle('Administration');
  const list = h('div', { class: 'stack' });
  // A circle just made is shown open, for its facilitators come next.
  const show = async (made) => {
    const circles = await all('/circles');
    put(list, circles.length ? circles.map((c) => circleSection(c, c.slug === made?.slug)) : h('p', null, 'No circles yet.'));
  };
  await show();
  append(view,
    h('h1', { tabindex: '-1' }, 'Administration'),
    h('p', { class: 'lede' }, 'Circles, their facilitators, guidelines and resources, and roles. Every change here is written to the moderation log.'),
    newCircleForm(show),
    h('section', { 'aria-labelledby': 'circles-title' }, h('h2', { id: 'circles-title' }, 'Circles'),
      h('p', { class: 'hint' }, 'Open a circle to change its settings, facilitators, guidelines and resources.'), list),
    rolesForm());
}
