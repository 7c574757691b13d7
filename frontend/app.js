// app.js: the shell. A router on the history API that loads one module per
// page, the site navigation, and focus moved to each new page's heading.

import {
  api, ApiError, currentMember, isAdmin, isModerator, onSessionChange, restoreSession,
} from './api.js';
import { h, put, safePath, setTitle, uid } from './ui.js';

// who: "member" needs a sign-in, "guest" is for the signed-out, "moderator"
// for the moderation team; none is for everyone.
const routes = [
  { path: '/', load: () => import('./pages/home.js') },
  { path: '/join', who: 'guest', load: () => import('./pages/join.js') },
  { path: '/signin', who: 'guest', load: () => import('./pages/signin.js') },
  { path: '/recover', who: 'guest', load: () => import('./pages/recover.js') },
  { path: '/c/:slug', who: 'member', load: () => import('./pages/circle.js') },
  { path: '/c/:slug/new', who: 'member', load: () => import('./pages/newstory.js') },
  { path: '/c/:slug/waiting', who: 'member', load: () => import('./pages/waiting.js') },
  { path: '/s/:id', who: 'member', load: () => import('./pages/story.js') },
  { path: '/me', who: 'member', load: () => import('./pages/me.js') },
  { path: '/notices', who: 'member', load: () => import('./pages/notices.js') },
  { path: '/search', who: 'member', load: () => import('./pages/search.js') },
  { path: '/mentorships', who: 'member', load: () => import('./pages/mentorships.js') },
  { path: '/mentorships/:id', who: 'member', load: () => import('./pages/mentorships.js') },
  { path: '/moderation', who: 'moderator', load: () => import('./pages/moderation.js') },
  { path: '/moderation/members', who: 'moderator', load: () => import('./pages/modmembers.js') },
  { path: '/moderation/log', who: 'moderator', load: () => import('./pages/modlog.js') },
  { path: '/moderation/appeals', who: 'moderator', load: () => import('./pages/modappeals.js') },
  { path: '/admin', who: 'admin', load: () => import('./pages/admin.js') },
];

function match(pathname) {
  const parts = pathname.replace(/\/+$/, '').split('/').slice(1);
  for (const r of routes) {
    const want = r.path === '/' ? [] : r.path.split('/').slice(1);
    if (want.length !== parts.length) continue;
    const params = {};
    let ok = true;
    for (let i = 0; i < want.length; i++) {
      if (want[i].startsWith(':')) {
        try {
          params[want[i].slice(1)] = decodeURIComponent(parts[i]);
        } catch {
          ok = false;
        }
      } else if (want[i] !== parts[i]) {
        ok = false;
      }
      if (!ok) break;
    }
    if (ok) return { route: r, params };
  }
  return null;
}

// A message or alert handed from one page to the next (after sharing a
// story, signing out, deleting an account).
let flash = null;

/** Leaves something for the next page to show. */
export function setFlash(value) {
  flash = value;
}

function takeFlash() {
  const f = flash;
  flash = null;
  return f;
}

let seqNo = 0;

/** Goes to path inside the app. */
export function navigate(path, { replace = false, flash: f } = {}) {
  if (f !== undefined) setFlash(f);
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  render(false);
}

function navLink(href, text) {
  const here = location.pathname === href || (href !== '/' && location.pathname.startsWith(`${href}/`));
  return h('a', { href, 'aria-current': here ? 'page' : null }, text);
}

// The header's search form, made once so that words typed in it survive
// the nav being drawn again. Its words go to the search page in memory,
// never in the address; the browser keeps no history of them either.
let siteSearch = null;

function searchForm() {
  if (siteSearch) return siteSearch;
  const id = uid('site-search');
  const input = h('input', {
    id, name: 'q', type: 'text', autocomplete: 'off', spellcheck: 'false', maxlength: '1000', enterkeyhint: 'search',
  });
  siteSearch = h('form', { role: 'search', class: 'site-search', novalidate: true },
    h('label', { for: id }, 'Search'),
    input,
    h('button', { type: 'submit', class: 'button small' }, 'Search'));
  siteSearch.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const words = input.value;
    input.value = '';
    navigate('/search', { flash: { search: words } });
  });
  return siteSearch;
}

// The Notices link carries the number of unread notices, in its
// accessible name too ("Notices, 3 unread"), kept fresh by asking the
// server every pollEvery while the page is in view.
const pollEvery = 20000;
let unread = 0;
let poller = 0;

function showUnread(link) {
  const badge = link.querySelector('.count');
  badge.textContent = unread > 0 ? String(unread) : '';
  badge.hidden = unread === 0;
  link.setAttribute('aria-label', unread > 0 ? `Notices, ${unread} unread` : 'Notices');
}

/** Asks the server how many notices are unread, and shows it. */
export async function refreshUnread() {
  if (!currentMember() || document.hidden) return;
  try {
    const { count } = await api('GET', '/me/notices/unread-count');
    unread = count;
    const link = document.getElementById('notices-link');
    if (link) showUnread(link);
  } catch {
    // A missed count is shown at the next poll; nothing to tell anyone.
  }
}

function renderNav() {
  const nav = document.getElementById('site-nav');
  const m = currentMember();
  window.clearInterval(poller);
  if (!m) {
    nav.replaceChildren();
    nav.hidden = true;
    unread = 0;
    return;
  }
  nav.hidden = false;
  const notices = navLink('/notices', 'Notices');
  notices.id = 'notices-link';
  notices.append(' ', h('span', { class: 'count', 'aria-hidden': 'true' }));
  showUnread(notices);
  // The search page has a form of its own; one field named Search a page.
  const form = searchForm();
  form.hidden = location.pathname === '/search';
  nav.replaceChildren(h('ul', null,
    h('li', null, navLink('/', 'Circles')),
    h('li', null, notices),
    h('li', null, navLink('/mentorships', 'Mentorship')),
    isModerator() ? h('li', null, navLink('/moderation', 'Moderation')) : null,
    isAdmin() ? h('li', null, navLink('/admin', 'Administration')) : null,
    h('li', null, navLink('/me', 'My account'))), form);
  poller = window.setInterval(refreshUnread, pollEvery);
}

document.addEventListener('visibilitychange', refreshUnread);

function problemPage(view, err) {
  const notFound = err instanceof ApiError && err.status === 404;
  const title = notFound ? 'We could not find that' : 'This page did not open';
  setTitle(title);
  put(view,
    h('h1', { tabindex: '-1' }, title),
    h('p', null, err instanceof ApiError ? err.message : 'Something went wrong while opening this page. Please try again in a moment.'),
    h('p', null, h('a', { href: '/' }, 'Go to the circles')));
}

async function render(first) {
  const seq = ++seqNo;
  const main = document.getElementById('main');
  renderNav();
  const found = match(location.pathname);
  const query = new URLSearchParams(location.search);
  const view = h('div', { class: 'page' });
  const ctx = {
    params: found ? found.params : {}, query, view, navigate, takeFlash, setFlash, refreshUnread,
  };
  try {
    if (!found) {
      setTitle('Page not found');
      view.append(
        h('h1', { tabindex: '-1' }, 'We could not find that page'),
        h('p', null, 'The address may be mistyped, or the page may have moved.'),
        h('p', null, h('a', { href: '/' }, 'Go to the start')));
    } else if (found.route.who && found.route.who !== 'guest' && !currentMember()) {
      const next = location.pathname + location.search;
      history.replaceState(null, '', `/signin?next=${encodeURIComponent(next)}`);
      return render(first);
    } else if (found.route.who === 'guest' && currentMember()) {
      history.replaceState(null, '', safePath(query.get('next')));
      return render(first);
    } else if (found.route.who === 'moderator' && !isModerator()) {
      setTitle('Only for the moderation team');
      view.append(
        h('h1', { tabindex: '-1' }, 'Only for the moderation team'),
        h('p', null, 'This page is for Hearth’s moderators.'),
        h('p', null, h('a', { href: '/' }, 'Go to the circles')));
    } else if (found.route.who === 'admin' && !isAdmin()) {
      setTitle('Only for administrators');
      view.append(
        h('h1', { tabindex: '-1' }, 'Only for administrators'),
        h('p', null, 'This page is for the people who run Hearth. Nothing is wrong; there is simply nothing for you to do here.'),
        h('p', null, h('a', { href: '/' }, 'Go to the circles')));
    } else {
      const slow = window.setTimeout(() => {
        if (seq === seqNo) main.setAttribute('aria-busy', 'true');
      }, 200);
      try {
        const mod = await found.route.load();
        await mod.default(ctx);
      } finally {
        window.clearTimeout(slow);
      }
    }
  } catch (err) {
    if (seq !== seqNo) return undefined;
    if (!(err instanceof ApiError)) console.error(err);
    problemPage(view, err);
  }
  if (seq !== seqNo) return undefined;
  main.removeAttribute('aria-busy');
  main.replaceChildren(view);
  renderNav();
  refreshUnread();
  if (!first) {
    window.scrollTo(0, 0);
    const h1 = main.querySelector('h1');
    if (h1) {
      if (!h1.hasAttribute('tabindex')) h1.setAttribute('tabindex', '-1');
      h1.focus();
    } else {
      main.focus();
    }
  }
  return undefined;
}

// Same-site links stay inside the app.
document.addEventListener('click', (ev) => {
  if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
  const a = ev.target instanceof Element ? ev.target.closest('a[href]') : null;
  if (!a || a.target || a.hasAttribute('download') || a.origin !== location.origin) return;
  if (a.pathname.startsWith('/api/')) return;
  if (a.pathname === location.pathname && a.search === location.search && a.hash) return;
  ev.preventDefault();
  navigate(a.pathname + a.search + a.hash);
});

window.addEventListener('popstate', () => render(false));

onSessionChange(() => renderNav());

// The first page waits for the session to be restored from the refresh
// cookie; if that check fails (offline, too many tries), the page says so.
async function start() {
  const problem = await restoreSession();
  if (problem) {
    setFlash({ message: `We could not check whether you are signed in: ${problem.message} Your session is kept; please reload in a moment.` });
  }
  await render(true);
}

start();
