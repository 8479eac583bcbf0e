// The one way the UI talks to the platform: /aiflow/v1, signed in with HTTP Basic from the sign-in
// form. The credentials live in this tab's sessionStorage only (gone when the tab closes); every
// call sends X-Requested-By, which the API requires of unsafe browser calls (CSRF) and which keeps
// the browser's own password dialog away (the API then challenges with Bearer only).
export const API = '/aiflow/v1/';
const KEY = 'aiflow.authorization';

export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

let me = null;
const listeners = new Set();

export function authorization() { return sessionStorage.getItem(KEY); }
export function currentUser() { return me; }
export function onSignOut(fn) { listeners.add(fn); }

function basic(user, password) {
  const bytes = new TextEncoder().encode(`${user}:${password}`);
  let bin = '';
  bytes.forEach(b => { bin += String.fromCharCode(b); });
  return 'Basic ' + btoa(bin);
}

/** Checks the credentials with /whoami and keeps them for this tab. */
export async function signIn(user, password) {
  const auth = basic(user, password);
  me = await api('whoami', { authorization: auth });
  sessionStorage.setItem(KEY, auth);
  return me;
}

/** Who is signed in (null if nobody). */
export async function whoAmI() {
  if (!authorization()) return null;
  if (!me) me = await api('whoami');
  return me;
}

/** Forgets the credentials; reason (optional) is shown on the sign-in page. */
export function signOut(reason) {
  sessionStorage.removeItem(KEY);
  me = null;
  listeners.forEach(fn => fn(reason));
}

/** The URL of an API path with query parameters; arrays repeat the parameter, empty values are left out. */
export function apiUrl(path, query) {
  const url = new URL(API + path, location.origin);
  for (const [k, v] of Object.entries(query || {})) {
    for (const one of Array.isArray(v) ? v : [v]) {
      if (one !== undefined && one !== null && one !== '') url.searchParams.append(k, one);
    }
  }
  return url;
}

export function headers(extra) {
  const h = { 'X-Requested-By': 'aiflow-web', Accept: 'application/json', ...extra };
  const auth = authorization();
  if (auth && !h.Authorization) h.Authorization = auth;
  return h;
}

/** An API error from a response that is not ok: the problem body's detail (RFC 9457; 'message' from older servers) when there is one. */
export async function problem(res) {
  let body = null;
  try { body = await res.json(); } catch (e) { /* not JSON */ }
  const text = body && (body.detail || body.message);
  const msg = text ? text : `HTTP ${res.status} ${res.statusText || ''}`.trim();
  return new ApiError(res.status, body && body.code || 'http_' + res.status, msg, body && body.details);
}

/**
 * Calls the API. options: method, query, body (sent as JSON), signal, authorization (instead of
 * the stored one). Returns the parsed JSON (null for 204). Throws ApiError; a 401 signs out.
 */
export async function api(path, options = {}) {
  const h = headers(options.authorization ? { Authorization: options.authorization } : {});
  const init = { method: options.method || 'GET', headers: h, signal: options.signal, cache: 'no-store' };
  if (options.body !== undefined) {
    h['Content-Type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }
  const res = await fetch(apiUrl(path, options.query), init);
  if (!res.ok) {
    const err = await problem(res);
    if (res.status === 401 && !options.authorization) {
      signOut(`The platform no longer accepts your sign-in (${err.message}). Sign in again.`);
    }
    throw err;
  }
  return res.status === 204 ? null : res.json();
}

const RANK = { viewer: 1, operator: 2, author: 3, admin: 4 };

/** Whether the signed-in user holds {@code role} in namespace {@code ns} (null: everywhere). */
export function may(role, ns) {
  if (!me) return false;
  return (me.grants || []).some(g => {
    const [r, where] = g.split('@');
    return (RANK[r] || 0) >= RANK[role] && (where === undefined || (ns != null && where === ns));
  });
}
