// The single-page app: routes /aiflow/<page> to a page module, keeps the URL as the state (deep
// links, back button), and asks for sign-in when the API says who you are not.
import { whoAmI, signIn, signOut, onSignOut, currentUser, may } from './api.js';
import { h, clear, errorBox, loading } from './ui.js';

const BASE = '/aiflow/';
const ROUTES = [
  [/^$/, 'overview'],
  [/^workflows$/, 'workflows'],
  [/^workflows\/([^/]+)\/([^/]+)$/, 'workflow', ['namespace', 'name']],
  [/^executions\/(\d+)$/, 'execution', ['id']],
  [/^tasks\/(\d+)$/, 'task', ['id']],
  [/^events$/, 'events'],
  [/^events\/(\d+)$/, 'event', ['version']],
  [/^models$/, 'models'],
  [/^models\/([^/]+)\/([^/]+)$/, 'model', ['namespace', 'name']],
  [/^datasets$/, 'datasets'],
  [/^artifacts$/, 'artifacts'],
  [/^metrics$/, 'metrics'],
  [/^metrics\/([^/]+)\/([^/]+)$/, 'metric', ['namespace', 'name']],
  [/^subscriptions$/, 'subscriptions'],
  [/^signin$/, 'signin'],
];
const NAV = [['', 'Overview'], ['workflows', 'Workflows'], ['events', 'Events'], ['models', 'Models'], ['datasets', 'Datasets'],
  ['artifacts', 'Artifacts'], ['metrics', 'Metrics'], ['subscriptions', 'Subscriptions']];

const main = document.getElementById('main');
let current = null; // AbortController of the page shown

export function navigate(path, { replace = false } = {}) {
  const url = path.startsWith('/') ? path : BASE + path;
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  render();
}

/** The page and its parameters: matched on the path as sent (encoded), each segment decoded once. */
function route() {
  const rel = location.pathname.replace(/^\/aiflow\/?/, '').replace(/\/$/, '');
  for (const [re, page, names] of ROUTES) {
    const m = rel.match(re);
    if (m) {
      const params = {};
      try {
        (names || []).forEach((n, i) => { params[n] = decodeURIComponent(m[i + 1]); });
      } catch (e) {
        return { page: null, params: {}, rel }; // a malformed %-escape: no such page
      }
      return { page, params, rel };
    }
  }
  return { page: null, params: {}, rel };
}

const TITLES = { overview: 'Overview', workflows: 'Workflows', workflow: 'Workflow', execution: 'Execution', task: 'Task', events: 'Events',
  event: 'Event', models: 'Models', model: 'Model', datasets: 'Datasets', artifacts: 'Artifacts', metrics: 'Metrics', metric: 'Metric',
  subscriptions: 'Subscriptions', signin: 'Sign in' };

function title(page, params) {
  const what = params.name || params.id || params.version || '';
  document.title = (page ? TITLES[page] + (what ? ' ' + what : '') : 'Not found') + ' · AI Flow';
}

async function render() {
  if (current) current.abort();
  const ctl = new AbortController();
  current = ctl;
  const { page, params, rel } = route();
  title(page, params);
  drawNav(rel);
  if (page === 'signin') {
    drawSignIn();
    return;
  }
  if (!currentUser()) {
    try {
      if (!(await whoAmI())) { toSignIn(); return; }
    } catch (e) {
      if (e.status === 401) return; // api.js signed out and shows why
      clear(main, errorBox(e));
      return;
    }
  }
  drawWho();
  drawNav(rel); // the links show once it is known who is signed in
  if (!page) {
    clear(main, h('h1', {}, 'Not found'), h('p', {}, 'No page at ', h('code', {}, location.pathname), '. ', h('a', { href: BASE, 'data-link': '' }, 'Overview')));
    return;
  }
  clear(main, loading());
  delete document.body.dataset.rendered;
  try {
    const mod = await import(`./pages/${page}.js`);
    if (ctl.signal.aborted) return;
    const query = new URLSearchParams(location.search);
    await mod.default(main, { params, query, signal: ctl.signal, navigate });
    // what the web benchmark (benchmarks/run.sh web) and the browser tests wait for
    if (!ctl.signal.aborted) {
      performance.mark('aiflow:rendered:' + page);
      document.body.dataset.rendered = page;
    }
  } catch (e) {
    if (ctl.signal.aborted || e.name === 'AbortError') return;
    if (e.status === 401) return; // signed out (api.js), with the reason on the sign-in page
    clear(main, errorBox(e));
  }
}

function toSignIn(reason) {
  const next = location.pathname + location.search;
  history.replaceState(null, '', BASE + 'signin' + (next.startsWith(BASE + 'signin') ? '' : '?next=' + encodeURIComponent(next)));
  drawNav('signin');
  drawSignIn(reason);
}

/** Where to go after signing in: ?next= if it is a page of the app (checked after resolving ../), else the overview. */
function nextPage() {
  const next = new URLSearchParams(location.search).get('next');
  if (!next) return BASE;
  const url = new URL(next, location.origin);
  return url.origin === location.origin && url.pathname.startsWith(BASE) && !url.pathname.startsWith(BASE + 'signin')
    && !url.pathname.startsWith(BASE + 'v1') ? url.pathname + url.search : BASE;
}

function drawNav(rel) {
  const nav = document.getElementById('nav');
  const top = rel.split('/')[0];
  const section = { workflow: 'workflows', executions: 'workflows', tasks: 'workflows', model: 'models', metric: 'metrics' }[top] || top;
  clear(nav, currentUser() ? NAV.filter(([path]) => path !== 'subscriptions' || may('viewer')).map(([path, label]) => h('a', { href: BASE + path, 'data-link': '',
    'aria-current': (path === section || (path === '' && rel === '')) ? 'page' : null }, label)) : null,
  currentUser() ? h('a', { href: BASE + 'api-docs/' }, 'API') : null);
}

function drawWho() {
  const me = currentUser();
  const who = document.getElementById('who');
  clear(who, me ? [h('span', { title: (me.grants || []).join(', ') || 'no roles' }, me.principal),
    h('button', { class: 'small', type: 'button', onclick: () => { signOut(); } }, 'Sign out')] : null);
}

function drawSignIn(reason) {
  clear(document.getElementById('who'));
  const user = h('input', { name: 'username', autocomplete: 'username', required: true, autofocus: true });
  const pw = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const msg = h('div', { 'aria-live': 'polite' });
  const button = h('button', { class: 'primary', type: 'submit' }, 'Sign in');
  const form = h('form', { onsubmit: async e => {
    e.preventDefault();
    button.disabled = true;
    clear(msg);
    try {
      await signIn(user.value, pw.value);
      navigate(nextPage(), { replace: true });
    } catch (err) {
      clear(msg, errorBox(err.status === 401 ? { message: 'Wrong user name or password.' } : err));
    } finally {
      button.disabled = false;
    }
  } }, h('label', {}, 'User', user), h('label', {}, 'Password', pw), button, msg);
  clear(main, h('div', { class: 'signin card' }, h('h1', {}, 'Sign in to AI Flow'),
    h('p', { class: 'sub' }, 'With a user of the platform (the first one is admin, created at the first start).'),
    reason ? h('div', { class: 'notice', role: 'status' }, reason) : null, form));
  user.focus();
}

onSignOut(reason => { if (current) current.abort(); toSignIn(reason); });

document.addEventListener('click', e => {
  const a = e.target.closest('a[data-link]');
  if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || !url.pathname.startsWith(BASE)) return;
  e.preventDefault();
  navigate(url.pathname + url.search);
  main.focus({ preventScroll: true });
  window.scrollTo(0, 0);
});
window.addEventListener('popstate', render);
// leaving by a full navigation keeps the page in Chromium's back/forward cache with its event stream
// open; 6 such pages used up the 6 connections per host and the 7th page waited ~50 s for the API
// (benchmarks/run.sh web). The page's work stops when it is hidden and starts again when it comes back.
window.addEventListener('pagehide', () => { if (current) current.abort(); });
window.addEventListener('pageshow', e => { if (e.persisted) render(); });
document.querySelector('.menu-toggle').addEventListener('click', e => {
  const nav = document.getElementById('nav');
  const open = nav.classList.toggle('open');
  e.currentTarget.setAttribute('aria-expanded', String(open));
});
render();
