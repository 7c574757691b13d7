// safety.js: reader safety in the web app: the theme checkboxes when
// writing, folding writing whose themes the reader asked to be warned of,
// the placeholder of writing the server folded, and the Mute and Block
// menu on another member's writing.
import { api, seg } from '../api.js';
import {
  busy, h, uid,
} from '../ui.js';

/** The themes, in order, with the words the web app shows for them. */
export const themes = [
  ['suicide', 'Suicide'],
  ['self_harm', 'Self-harm'],
  ['substance_use', 'Substance use'],
  ['eating', 'Eating'],
  ['graphic_medical', 'Graphic medical detail'],
  ['death_loss', 'Death and loss'],
  ['violence_abuse', 'Violence and abuse'],
  ['disaster', 'Disaster'],
];

const labels = new Map(themes);

/** The words of a list of themes: "Suicide, Eating". */
export function themeWords(list) {
  return (list || []).map((t) => labels.get(t) || t).join(', ');
}

/**
 * A checkbox per theme, for writing: values() is the themes ticked.
 * checked pre-ticks the themes of writing being edited.
 */
export function themeBoxes(checked = []) {
  const boxes = themes.map(([key, label]) => {
    const id = uid('theme');
    const input = h('input', { type: 'checkbox', id, name: 'themes', value: key, checked: checked.includes(key) });
    return { input, el: h('div', { class: 'check' }, input, h('label', { for: id }, label)) };
  });
  const wrap = h('fieldset', { class: 'themes' },
    h('legend', null, 'Themes'),
    h('p', { class: 'hint' }, 'Optional. Tick what your writing touches on, so readers who would rather be warned, or not meet it today, can choose.'),
    boxes.map((b) => b.el));
  return {
    wrap,
    values: () => boxes.filter((b) => b.input.checked).map((b) => b.input.value),
    clear: () => boxes.forEach((b) => { b.input.checked = false; }),
  };
}

// known is the reader's preferences as last read, for lists drawn later.
let known = { suicide: 'warn', self_harm: 'warn' };

/** The reader's preferences; when they cannot be read, the defaults. */
export async function preferences() {
  try {
    known = (await api('GET', '/me/preferences')).themes || known;
  } catch {
    // The defaults, or what was read before, still warn.
  }
  return known;
}

/** The themes of item the reader asked to be warned of. */
export function warned(item, prefs = known) {
  return (item.themes || []).filter((t) => prefs[t] === 'warn');
}

/**
 * A calm placeholder for writing the reader's own preferences fold on the
 * server, with a Show button that reads it again whole.
 */
export function foldedNote(item, what) {
  const why = item.folded === 'muted'
    ? `You muted or blocked the person who wrote this ${what}.`
    : `This ${what} touches on ${themeWords(item.themes)}.`;
  const show = h('button', { type: 'button', class: 'button small' }, 'Show');
  show.addEventListener('click', () => {
    const url = new URL(location.href);
    url.searchParams.set('reveal', 'true');
    if (what === 'reply') url.hash = `r-${item.id}`;
    location.assign(url.toString());
  });
  return h('div', { class: 'folded' },
    h('p', null, h('strong', null, 'Hidden by your preferences. '), why),
    show);
}

/**
 * A menu button ("More") on another member's writing with Mute and Block.
 * done(message) is called once one is done.
 */
export function silenceMenu(handle, describedBy, done) {
  const id = uid('menu');
  const button = h('button', {
    type: 'button', class: 'button small quiet', 'aria-haspopup': 'true', 'aria-expanded': 'false', 'aria-controls': id, 'aria-describedby': describedBy,
  }, 'More');
  const act = (label, list, message) => {
    const b = h('button', { type: 'button', class: 'button small quiet' }, label);
    b.addEventListener('click', () => busy(b, async () => {
      try {
        await api('PUT', `/me/${list}/${seg(handle)}`);
        close();
        done(message);
      } catch (e) {
        done(e.message);
      }
    }));
    return b;
  };
  const menu = h('div', { class: 'popup-menu', id, hidden: true },
    act('Mute', 'muted', `You muted ${handle}. Their writing is folded for you, and they will not know. You can unmute them on your account page.`),
    act('Block', 'blocked', `You blocked ${handle}. Their writing is folded for you, and they will not know. You can unblock them on your account page.`));
  function close() {
    menu.hidden = true;
    button.setAttribute('aria-expanded', 'false');
  }
  button.addEventListener('click', () => {
    const open = menu.hidden;
    menu.hidden = !open;
    button.setAttribute('aria-expanded', String(open));
    if (open) menu.querySelector('button').focus();
  });
  menu.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape') {
      close();
      button.focus();
    }
  });
  return h('span', { class: 'menu-wrap' }, button, menu);
}
