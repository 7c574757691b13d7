// pages/precheck.js: before a story or reply is sent, the server reads it for
// crisis wording and for details that could give away who someone is
// (POST /checks/text, which keeps nothing). When it finds any, a dialog
// names them, highlights them in the writer's own words, shows where to
// turn when the words read as a crisis, and lets the writer go back to
// edit or share anyway. The check never stands in the way: when it cannot
// run (offline, too many checks), the writing goes as it would have.

import { api } from '../api.js';
import { h, modal } from '../ui.js';

// What each kind is called in the dialog.
const kindWords = {
  phone: 'a phone number',
  email: 'an email address',
  street_address: 'a street address',
  url: 'a web address',
  date_of_birth: 'a date of birth',
  id_number: 'an ID or insurance number',
};

// The server reads at most this many characters.
const maxChars = 20000;

/** Writing in a circle: its members read it, and its carers see a crisis. */
export const inCircle = {
  readers: 'others in the circle',
  care: 'the circle’s facilitators and moderators will see them and be with you.',
};

/**
 * Writing in a mentorship, to who: only they read it, and a crisis goes
 * to the moderation team (the circle's facilitators learn only who).
 */
export function inMentorship(who) {
  return { readers: who, care: 'the moderation team will read them and be with you.' };
}

/**
 * checkBeforeSending asks the server about text and, when it finds
 * something, asks the writer. It answers true to send, false to go back to
 * the form (the draft is left as it is, and focus returns to opener).
 * where (inCircle unless said) names who will read the words.
 */
export async function checkBeforeSending(text, opener, where = inCircle) {
  let found;
  try {
    found = await api('POST', '/checks/text', { text });
  } catch {
    return true; // a check that cannot run never keeps anyone from posting
  }
  const identifying = Array.isArray(found.identifying) ? found.identifying : [];
  if (!found.crisis && identifying.length === 0) return true;
  return ask(text, found, identifying, opener, where);
}

/** The parts of story to check: title and body, within the server's limit. */
export function storyText(title, body) {
  const both = `${title}\n\n${body}`;
  return [...both].length <= maxChars ? both : body;
}

function ask(text, found, identifying, opener, where) {
  return new Promise((resolve) => {
    const kinds = [...new Set(identifying.map((f) => f.kind))].map((k) => kindWords[k] || 'a detail that could identify someone');
    const parts = [];
    if (kinds.length > 0) {
      parts.push(h('p', null,
        `Your words include ${list(kinds)}. Once shared, ${where.readers} can read ${identifying.length === 1 ? 'it' : 'them'}. `
        + 'You might want to take it out, for your own safety or someone else’s.'));
      parts.push(h('p', { class: 'hint' }, 'What we found is marked below.'));
      parts.push(highlighted(text, identifying));
    }
    if (found.crisis) {
      parts.push(crisisNote(found.crisis_resources || {}, where));
    }
    const edit = h('button', { type: 'button', class: 'button' }, 'Edit');
    const share = h('button', { type: 'button', class: 'button primary' }, 'Share anyway');
    const dlg = modal(kinds.length > 0 ? 'Before you share' : 'Before you share: you are not alone',
      parts, h('div', { class: 'form-actions' }, edit, share));
    const d = dlg.dialog;
    d.classList.add('precheck');
    d.setAttribute('role', 'dialog');
    d.setAttribute('aria-modal', 'true');
    let answer = false;
    d.addEventListener('close', () => {
      d.remove();
      resolve(answer);
    });
    edit.addEventListener('click', () => dlg.close());
    share.addEventListener('click', () => {
      answer = true;
      dlg.close();
    });
    dlg.open(opener);
    edit.focus();
  });
}

// list joins words as a sentence does: "a, b and c".
function list(words) {
  if (words.length === 1) return words[0];
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

// highlighted is text with each finding in a <mark>. The offsets count
// UTF-16 code units, as JavaScript strings do, so slice takes them as
// they come. Built of text nodes only: member text is never HTML.
function highlighted(text, identifying) {
  const box = h('div', { class: 'precheck-text', tabindex: '0', role: 'region', 'aria-label': 'Your words, with what we found marked' });
  let at = 0;
  for (const f of [...identifying].sort((a, b) => a.start - b.start)) {
    if (f.start < at || f.end > text.length || f.end <= f.start) continue;
    box.append(document.createTextNode(text.slice(at, f.start)));
    box.append(h('mark', { title: kindWords[f.kind] || '' }, text.slice(f.start, f.end)));
    at = f.end;
  }
  box.append(document.createTextNode(text.slice(at)));
  return box;
}

// crisisNote names every crisis resource before the writing is posted.
function crisisNote(res, where) {
  const resources = Array.isArray(res.resources) ? res.resources : [];
  return h('section', { class: 'crisis', 'aria-label': 'Where to turn now' },
    h('p', null, h('strong', null, res.message || 'It sounds like you are carrying a lot right now. You don’t have to carry it alone.')),
    h('ul', { class: 'crisis-list' }, resources.map((r) => h('li', null, h('strong', null, r.name), ': ', r.contact))),
    h('p', { class: 'hint' }, `You can still share your words: ${where.care}`));
}
