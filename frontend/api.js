// api.js: the one door to Hearth's JSON API.
//
// The access token lives in this module's memory only. The refresh token
// travels in an HttpOnly cookie that scripts cannot read; POST /auth/refresh
// with an empty JSON body spends it for a new pair. A request that meets 401
// refreshes once, silently, and is sent again.

const base = '/api/v1';

let accessToken = null;
let member = null; // {id, handle, role, created_at}
let refreshing = null;
const listeners = new Set();
const channel = 'BroadcastChannel' in window ? new BroadcastChannel('hearth-session') : null;

// ApiError is a problem+json answer (or a failed connection) in plain words:
// message is the API's detail, code its stable word.
// Some problems carry more: version (the guidelines to accept first) and
// crisisResources (when held-back words read as a crisis).
export class ApiError extends Error {
  constructor({
    status = 0, code = 'error', detail = '', title = '', version = null, crisis_resources: crisis = null,
  } = {}) {
    super(detail || title || 'Something went wrong on our side. Please try again in a moment.');
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.version = version;
    this.crisisResources = crisis;
  }
}

const offline = () => new ApiError({
  status: 0,
  code: 'network',
  detail: 'We could not reach Hearth just now. Please check your connection, then try again. Nothing you typed is lost.',
});

const sessionEnded = () => new ApiError({
  status: 401,
  code: 'session_ended',
  detail: 'Your session has ended, so this was not sent. Your words are still here: sign in again in a new tab, then try once more.',
});

/** The signed-in member, or null. */
export function currentMember() {
  return member;
}

/** Whether the signed-in member works the moderation queue. */
export function isModerator() {
  return !!member && (member.role === 'moderator' || member.role === 'admin');
}

/** Whether the signed-in member is an admin. */
export function isAdmin() {
  return !!member && member.role === 'admin';
}

/** Calls fn whenever someone signs in or out. */
export function onSessionChange(fn) {
  listeners.add(fn);
}

function notify() {
  for (const fn of listeners) fn(member);
}

function setSession(grant) {
  accessToken = grant.access_token;
  member = grant.member;
  notify();
}

/** Forgets the session in this tab (and tells other tabs when asked). */
export function clearSession(tellOthers = false) {
  const was = member;
  accessToken = null;
  member = null;
  if (tellOthers && channel) channel.postMessage('signed-out');
  if (was) notify();
}

if (channel) {
  channel.onmessage = (ev) => {
    if (ev.data === 'signed-out') clearSession(false);
  };
}

async function send(method, path, body, token) {
  const headers = { Accept: 'application/json' };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  if (token) headers.Authorization = `Bearer ${token}`;
  try {
    return await fetch(base + path, init);
  } catch {
    throw offline();
  }
}

const plain = {
  403: 'You cannot do that here.',
  404: 'We could not find that. It may have been removed.',
  413: 'That is too long to send in one go.',
  429: 'That was a lot at once. Please wait a minute, then try again.',
};

async function problem(res) {
  let p = {};
  try {
    p = await res.json();
  } catch {
    // Not JSON: fall back to plain words for the status.
  }
  return new ApiError({
    status: res.status,
    code: p.code || 'error',
    detail: p.detail || plain[res.status] || '',
    title: p.title,
    version: p.version,
    crisis_resources: p.crisis_resources,
  });
}

// refresh trades the refresh cookie for a new pair. Tabs take turns (a
// spent refresh token presented twice ends the whole session), and one tab
// never refreshes twice at once. It answers true when signed in.
function refresh() {
  if (!refreshing) {
    const run = async () => {
      const res = await send('POST', '/auth/refresh', {});
      if (res.ok) {
        setSession(await res.json());
        return true;
      }
      if (res.status === 401 || res.status === 403) {
        // Read to the end: a body left unread keeps the request open, and
        // the page never goes quiet.
        await res.text().catch(() => {});
        clearSession(false);
        return false;
      }
      throw await problem(res);
    };
    const locked = navigator.locks ? navigator.locks.request('hearth-refresh', run) : run();
    refreshing = locked.finally(() => {
      refreshing = null;
    });
  }
  return refreshing;
}

/**
 * Restores the session from the refresh cookie on load. It answers null
 * when signed in or plainly signed out, and the error when the check itself
 * failed (offline, or too many tries), so the page can say so.
 */
export async function restoreSession() {
  // Without the server's marker there is no refresh cookie to spend: a
  // signed-out visit asks nothing (and logs no 401).
  if (!document.cookie.split(';').some((c) => c.trim().startsWith('hearth_session='))) return null;
  try {
    await refresh();
    return null;
  } catch (e) {
    return e instanceof ApiError ? e : offline();
  }
}

/**
 * api sends one request and answers its JSON (null for 204). Errors are
 * thrown as ApiError. opts.raw answers the Response itself; opts.noRetry
 * skips the silent refresh (sign-in routes, where 401 means wrong words).
 */
export async function api(method, path, body, opts = {}) {
  let res = await send(method, path, body, accessToken);
  if (res.status === 401 && !opts.noRetry) {
    // A wrong password on an authenticated route (DELETE /me, POST
    // /me/password) is also 401, with its own code: that is no expired token.
    const first = await problem(res.clone());
    if (first.code !== 'unauthenticated' && first.code !== 'error') throw first;
    let ok = false;
    try {
      ok = await refresh();
    } catch {
      ok = false;
    }
    if (!ok) throw sessionEnded();
    res = await send(method, path, body, accessToken);
  }
  if (!res.ok) {
    const err = await problem(res);
    if (res.status === 401 && !opts.noRetry && err.code === 'unauthenticated') {
      clearSession(false);
      throw sessionEnded();
    }
    throw err;
  }
  if (opts.raw) return res;
  if (res.status === 204) return null;
  const type = res.headers.get('Content-Type') || '';
  return type.includes('json') ? res.json() : null;
}

/** Every item of a paginated list, following next_cursor (bounded). */
export async function all(path, pages = 10) {
  const items = [];
  let cursor = null;
  for (let i = 0; i < pages; i++) {
    const sep = path.includes('?') ? '&' : '?';
    const page = await api('GET', `${path}${sep}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    items.push(...page.items);
    cursor = page.next_cursor;
    if (!cursor) break;
  }
  return items;
}

/** POST /auth/register: the grant carries the recovery codes, shown once. */
export async function join(handle, password) {
  const g = await api('POST', '/auth/register', { handle, password }, { noRetry: true });
  setSession(g);
  return g;
}

/** POST /auth/login */
export async function signIn(handle, password) {
  const g = await api('POST', '/auth/login', { handle, password }, { noRetry: true });
  setSession(g);
  return g;
}

/** POST /auth/recover: sign in with a recovery code and a new password. */
export async function recover(handle, code, newPassword) {
  const g = await api('POST', '/auth/recover', { handle, recovery_code: code, new_password: newPassword }, { noRetry: true });
  setSession(g);
  return g;
}

/** POST /auth/logout: this session's tokens die at once, here and in other tabs. */
export async function signOut() {
  try {
    await api('POST', '/auth/logout');
  } finally {
    clearSession(true);
  }
}

/** DELETE /me: erases the account for good. */
export async function deleteAccount(password) {
  await api('DELETE', '/me', { password });
  clearSession(true);
}

/** Path-safe piece of a URL. */
export const seg = encodeURIComponent;
