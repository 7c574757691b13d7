// ui.js: small helpers to build the page. Member text only ever goes in
// as text (text nodes, textContent, attribute values), never as HTML.

let seq = 0;

/** A fresh id for labels and descriptions. */
export function uid(prefix = 'h') {
  seq += 1;
  return `${prefix}-${seq}`;
}

function add(el, child) {
  if (child == null || child === false) return;
  if (Array.isArray(child)) {
    for (const c of child) add(el, c);
  } else if (child instanceof Node) {
    el.append(child);
  } else {
    el.append(document.createTextNode(String(child)));
  }
}

/** Appends children (nodes, text, arrays; null and false are skipped). */
export function append(el, ...children) {
  add(el, children);
  return el;
}

/** Replaces el's children with these. */
export function put(el, ...children) {
  el.replaceChildren();
  add(el, children);
  return el;
}

/**
 * h(tag, attrs, ...children) makes an element. attrs: class, on<event>
 * handlers, booleans (true sets the attribute, false leaves it off), and
 * strings set as attributes. Children are nodes or text.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'value') el.value = v;
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  add(el, children);
  return el;
}

/** Sets the tab's title: "Page · Hearth". */
export function setTitle(title) {
  document.title = title ? `${title} · Hearth` : 'Hearth';
}

/** Says msg to screen readers through the page's polite live region. */
export function announce(msg) {
  const el = document.getElementById('announcer');
  if (!el) return;
  el.textContent = '';
  window.setTimeout(() => {
    el.textContent = msg;
  }, 50);
}

/** Text as paragraphs: blank lines split them, single newlines stay. */
export function paragraphs(text) {
  return String(text)
    .split(/\n\s*\n/)
    .filter((p) => p.trim() !== '')
    .map((p) => h('p', null, p));
}

const rtf = 'RelativeTimeFormat' in Intl ? new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' }) : null;
const dtf = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A <time> saying when, kindly: "3 hours ago", or a date. */
export function when(iso) {
  const d = new Date(iso);
  const full = dtf.format(d);
  let words = full;
  const secs = (d.getTime() - Date.now()) / 1000;
  if (rtf && Math.abs(secs) < 60 * 60 * 24 * 14) {
    const steps = [[60, 'second'], [60, 'minute'], [24, 'hour'], [14, 'day']];
    let v = secs;
    for (const [size, unit] of steps) {
      if (Math.abs(v) < size) {
        words = unit === 'second' ? 'just now' : rtf.format(Math.round(v), unit);
        break;
      }
      v /= size;
    }
  }
  return h('time', { datetime: d.toISOString(), title: full }, words);
}

/** A full date and time, for exact records. */
export function exactly(iso) {
  const d = new Date(iso);
  return h('time', { datetime: d.toISOString() }, dtf.format(d));
}

/**
 * field makes a labelled input (or textarea, or select) with an optional
 * hint and a place for its error. Returns {wrap, input, error}.
 */
export function field({ label, name, type = 'text', hint, multiline, options, rows, ...attrs }) {
  const id = uid(name || 'f');
  const hintId = hint ? `${id}-hint` : null;
  const errId = `${id}-error`;
  let input;
  if (options) {
    input = h('select', { id, name, ...attrs }, options.map(([value, text]) => h('option', { value }, text)));
  } else if (multiline) {
    input = h('textarea', { id, name, rows: rows || 6, ...attrs });
  } else {
    input = h('input', { id, name, type, ...attrs });
  }
  if (hintId) input.setAttribute('aria-describedby', hintId);
  const error = h('p', { class: 'field-error', id: errId, hidden: true });
  const wrap = h('div', { class: 'field' },
    h('label', { for: id }, label),
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    input,
    error);
  input.errorEl = error;
  input.hintId = hintId;
  return { wrap, input, error };
}

/** Shows msg under the field, ties it to the field, and can move focus there. */
export function fieldError(input, msg, focus = true) {
  const err = input.errorEl;
  if (!err) return;
  err.textContent = msg;
  err.hidden = false;
  input.setAttribute('aria-invalid', 'true');
  input.setAttribute('aria-describedby', [err.id, input.hintId].filter(Boolean).join(' '));
  if (focus) input.focus();
}

/** Clears every field error inside root. */
export function clearErrors(root) {
  for (const input of root.querySelectorAll('[aria-invalid]')) {
    input.removeAttribute('aria-invalid');
    if (input.hintId) input.setAttribute('aria-describedby', input.hintId);
    else input.removeAttribute('aria-describedby');
  }
  for (const err of root.querySelectorAll('.field-error')) {
    err.textContent = '';
    err.hidden = true;
  }
  for (const err of root.querySelectorAll('.form-error')) err.textContent = '';
}

/** A place near a form's button for errors that belong to no one field. */
export function formError() {
  return h('p', { class: 'form-error', 'aria-live': 'assertive' });
}

/**
 * showError puts an API error next to what caused it: the field its code
 * names (byCode maps codes to inputs), else the form's error place.
 */
export function showError(err, byCode, place) {
  const input = byCode && byCode[err.code];
  if (input) {
    fieldError(input, err.message);
    return;
  }
  if (place) {
    place.textContent = err.message;
  }
}

/**
 * busy disables a button while work runs, so nothing is sent twice, and
 * gives it back afterwards.
 */
export async function busy(button, work) {
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}

/**
 * A "Show more" button for a keyset-paginated list: it loads the page
 * after cursor with load(cursor), hands its items to add, and hides once
 * there are no more. Returns the button and the place its errors show.
 */
export function pager(label, cursor, load, add) {
  const err = formError();
  const more = h('button', { type: 'button', class: 'button', hidden: !cursor }, label);
  more.addEventListener('click', () => busy(more, async () => {
    try {
      const next = await load(cursor);
      add(next.items);
      cursor = next.next_cursor;
      more.hidden = !cursor;
    } catch (e) {
      showError(e, null, err);
    }
  }));
  return [more, err];
}

/** Writes text to the clipboard; answers false when the browser will not. */
export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/** Selects the text inside el, so it can be copied by hand. */
export function selectText(el) {
  const range = document.createRange();
  range.selectNodeContents(el);
  const sel = window.getSelection();
  sel.removeAllRanges();
  sel.addRange(range);
}

/**
 * The crisis resources as an alert region: the API sends them in the 201
 * answer to writing that reads as a crisis.
 */
export function crisisAlert(res, note = 'Your words were shared as usual. The circle’s facilitators and moderators are here too.') {
  const list = Array.isArray(res.resources) ? res.resources : [];
  return h('section', { class: 'crisis', role: 'alert', 'aria-labelledby': 'crisis-title' },
    h('h2', { id: 'crisis-title' }, 'You are not alone'),
    res.message ? h('p', null, res.message) : null,
    h('ul', { class: 'crisis-list' }, list.map((r) => h('li', null,
      h('strong', null, r.name), ': ', r.contact))),
    h('p', { class: 'hint' }, note));
}

/** A labelled badge, such as "Pinned". */
export function badge(text, cls = '') {
  return h('span', { class: `badge ${cls}`.trim() }, text);
}

/** Drafts survive a reload of this tab, and leave with it. */
export const drafts = {
  get(key) {
    try {
      return sessionStorage.getItem(`draft:${key}`) || '';
    } catch {
      return '';
    }
  },
  set(key, value) {
    try {
      if (value) sessionStorage.setItem(`draft:${key}`, value);
      else sessionStorage.removeItem(`draft:${key}`);
    } catch {
      // Storage may be off; the text stays in the form.
    }
  },
  clearAll() {
    try {
      for (const k of Object.keys(sessionStorage)) {
        if (k.startsWith('draft:')) sessionStorage.removeItem(k);
      }
    } catch {
      // Nothing to clear.
    }
  },
};

/** Keeps a field's value as a draft under key while it is typed. */
export function keepDraft(input, key) {
  if (!input.value) input.value = drafts.get(key);
  let t = 0;
  input.addEventListener('input', () => {
    window.clearTimeout(t);
    t = window.setTimeout(() => drafts.set(key, input.value), 300);
  });
}

/**
 * A modal <dialog>: returns {dialog, open(opener), close()}. Focus goes
 * back to whatever opened it.
 */
export function modal(labelText, ...children) {
  const titleId = uid('dialog-title');
  let opener = null;
  const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': titleId },
    h('h2', { id: titleId }, labelText),
    children);
  dialog.addEventListener('close', () => {
    if (opener && opener.isConnected) opener.focus();
  });
  return {
    dialog,
    title: dialog.querySelector('h2'),
    open(from) {
      opener = from || document.activeElement;
      if (!dialog.isConnected) (document.getElementById('main') || document.body).append(dialog);
      dialog.showModal();
    },
    close() {
      dialog.close();
    },
  };
}

/** Keeps only same-site paths, so ?next= can never lead elsewhere. */
export function safePath(p) {
  return typeof p === 'string' && p.startsWith('/') && !p.startsWith('//') && !p.startsWith('/\\') ? p : '/';
}
