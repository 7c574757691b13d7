// /search : stories and replies found by their words. The words never go
// in the address (so never in the browser's history or anyone's log): they
// come from the header's form in memory, and are sent in the body of a POST.
import { api, seg } from '../api.js';
import {
  announce, append, badge, busy, clearErrors, field, formError, h, pager, put, setTitle, showError, when,
} from '../ui.js';
import { withWarning } from './common.js';
import { preferences, themeWords, warned } from './safety.js';

const pageSize = 20;

/** Where a result leads: its story, at the reply for a reply. */
function resultLink(r) {
  const story = `/s/${seg(r.story_id)}`;
  return r.target_type === 'reply' ? `${story}#r-${seg(r.id)}` : story;
}

function result(r, circleNames) {
  const reply = r.target_type === 'reply';
  let name = r.title;
  if (reply) name = r.title != null ? `A reply to “${r.title}”` : 'A reply';
  const circle = circleNames.get(r.circle) || r.circle;
  const snippet = h('p', { class: 'excerpt' }, r.snippet);
  return h('li', { class: 'card search-result' },
    h('article', null,
      h('h3', null, h('a', { href: resultLink(r) }, name)),
      h('p', { class: 'meta' }, reply ? badge('Reply', 'quiet') : null, reply ? ' ' : '', `In ${circle} · `, when(r.created_at)),
      withWarning(r.content_warning, snippet, 'snippet', themeWords(warned(r)))));
}

export default async function render({ view, query, takeFlash }) {
  setTitle('Search');
  const handed = takeFlash();
  const [circles] = await Promise.all([api('GET', '/circles?limit=100'), preferences()]);
  // Only the circles whose stories can be read: a moderator sees every
  // circle listed, but finds nothing in a private one they are not in.
  const readable = circles.items.filter((c) => c.visibility === 'open' || c.is_member);
  const circleNames = new Map(readable.map((c) => [c.slug, c.name]));

  const words = field({
    label: 'Search', name: 'q', maxlength: 1000, autocomplete: 'off', spellcheck: 'false',
    hint: 'Every word must match. Capitals and accents do not matter.',
  });
  const where = field({
    label: 'Circle', name: 'circle', options: [['', 'All my circles'], ...readable.map((c) => [c.slug, c.name])],
  });
  const wanted = query.get('circle');
  if (wanted && circleNames.has(wanted)) where.input.value = wanted;
  const button = h('button', { type: 'submit', class: 'button' }, 'Search');
  const err = formError();
  const form = h('form', { role: 'search', class: 'stack search-form', novalidate: true },
    h('div', { class: 'row' }, words.wrap, where.wrap),
    h('div', { class: 'form-actions' }, button), err);

  const status = h('p', { class: 'status', role: 'status' });
  const results = h('section', { class: 'search-results', 'aria-labelledby': 'results-title', hidden: true });

  const ask = (q, circle, cursor) => api('POST', '/search', {
    q, circle: circle || undefined, cursor: cursor || undefined, limit: pageSize,
  });

  const run = async () => {
    clearErrors(form);
    const q = words.input.value;
    const circle = where.input.value;
    await busy(button, async () => {
      try {
        const page = await ask(q, circle);
        const list = h('ol', { class: 'cards' }, page.items.map((r) => result(r, circleNames)));
        const [more, moreErr] = pager('Show more results', page.next_cursor,
          (cursor) => ask(q, circle, cursor),
          (items) => list.append(...items.map((r) => result(r, circleNames))));
        const found = page.items.length;
        const summary = found === 0
          ? 'Nothing found. Try fewer words, or other words for the same thing.'
          : `${found}${page.next_cursor ? ' or more' : ''} ${found === 1 ? 'result' : 'results'}, newest first.`;
        put(results,
          h('h2', { id: 'results-title' }, 'Results'),
          found ? list : null,
          more, moreErr);
        results.hidden = false;
        status.textContent = summary;
        announce(summary);
      } catch (e) {
        results.hidden = true;
        status.textContent = '';
        showError(e, {
          query_empty: words.input,
          query_too_short: words.input,
          query_too_many_words: words.input,
          query_word_too_long: words.input,
          query_too_long: words.input,
          invalid_query: words.input,
          not_found: where.input,
        }, err);
      }
    });
  };
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    run();
  });

  append(view,
    h('h1', { tabindex: '-1' }, 'Search'),
    h('p', { class: 'lede' }, 'Find stories and replies in your circles by their words. What you search for is not kept, and never shows in the address bar.'),
    form, status, results);

  if (handed && typeof handed.search === 'string') {
    words.input.value = handed.search;
    await run();
  }
}
