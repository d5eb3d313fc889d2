'use strict';
// Deskfleet console core: plain JS, no build, nothing from the internet. The token lives in sessionStorage (gone when
// the tab closes). Live updates come from the Server-Sent Event streams, read with fetch() so that the X-Auth-Token
// header can be sent.
//
// Each page is a script that calls registerPage({...}) once; this file builds the tab bar, logs in and out, and
// starts and stops the pages. A page gets its own <div id="page-<id>"> inside #dashboard.

const session = {
  get token() { return sessionStorage.getItem('deskfleet.token'); },
  get project() { return sessionStorage.getItem('deskfleet.project'); },
  get user() { return sessionStorage.getItem('deskfleet.user'); },
  get roles() { return JSON.parse(sessionStorage.getItem('deskfleet.roles') || '[]'); },
  /** Readonly callers see no write controls; the API refuses their writes anyway. */
  get canWrite() { return !this.roles.includes('readonly'); },
  save(token, project, user, roles) {
    sessionStorage.setItem('deskfleet.token', token);
    sessionStorage.setItem('deskfleet.project', project);
    sessionStorage.setItem('deskfleet.user', user);
    sessionStorage.setItem('deskfleet.roles', JSON.stringify(roles));
  },
  clear() { sessionStorage.clear(); }
};

const $ = (selector, root = document) => root.querySelector(selector);

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v; else if (k.startsWith('data-')) e.setAttribute(k, v); else e[k] = v;
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(c ?? ''));
  return e;
}

class Unauthorized extends Error {}

/** A refusal with the contract's error body: error_code and error_msg, shown to the user as they are. */
class ApiError extends Error {
  constructor(status, body) {
    super(body?.error_msg ? `${body.error_msg} (${body.error_code})` : `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

/** Calls the project's API: GET by default, or {method, body}; resolves to the JSON answer (null when empty). */
async function api(path, { method = 'GET', body } = {}) {
  const headers = { 'X-Auth-Token': session.token, 'Accept': 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(`/v2/${encodeURIComponent(session.project)}${path}`,
    { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (response.status === 401) throw new Unauthorized();
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
  if (!response.ok) throw new ApiError(response.status, json);
  return json;
}

/** Shows an error where the user acted; an expired session goes back to the login form instead. */
function showError(target, e) {
  if (e instanceof Unauthorized) { showLogin('Your session has expired; please log in again.'); return; }
  target.textContent = e.message;
}

// ---- Server-Sent Events over fetch ----

/** Reads an SSE response, calling onEvent(name, data) per event; resolves when the server ends the stream. */
async function readEvents(response, onEvent) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let cut;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      let name = 'message', data = '';
      for (const line of block.split('\n')) {
        if (line.startsWith('event: ')) name = line.slice(7);
        else if (line.startsWith('data: ')) data += line.slice(6);
      }
      if (data) onEvent(name, JSON.parse(data));
    }
  }
}

/** Opens a stream and keeps it open: reconnects after a drop (a snapshot comes again) until stopped or ended. */
function follow(path, onEvent, onStatus) {
  const control = new AbortController();
  let ended = false;
  (async () => {
    while (!control.signal.aborted && !ended) {
      try {
        const response = await fetch(`/v2/${encodeURIComponent(session.project)}${path}`,
          { headers: { 'X-Auth-Token': session.token, 'Accept': 'text/event-stream' }, signal: control.signal });
        if (response.status === 401) { showLogin('Your session has expired; please log in again.'); return; }
        if (response.status === 404) return;
        onStatus?.('live');
        await readEvents(response, (name, data) => { if (name === 'end') ended = true; onEvent(name, data); });
      } catch (e) {
        if (control.signal.aborted) return;
      }
      if (!ended) {
        onStatus?.('reconnecting');
        await new Promise(resolve => setTimeout(resolve, 2000));
      }
    }
  })();
  return control;
}

// ---- shared by the list pages ----

/**
 * Prev/Next paging for a list the API pages with offset/limit and a total count. onPage(offset) loads a page;
 * show(offset, shown, total) is called once it is loaded.
 */
function pager(pageSize, onPage) {
  const info = el('span', { class: 'muted pager-info' });
  const prev = el('button', { type: 'button', class: 'pager-prev' }, '‹ Previous');
  const next = el('button', { type: 'button', class: 'pager-next' }, 'Next ›');
  let at = 0;
  prev.onclick = () => onPage(Math.max(0, at - pageSize));
  next.onclick = () => onPage(at + pageSize);
  return {
    element: el('div', { class: 'pager' }, prev, info, next),
    show(offset, shown, total) {
      at = offset;
      info.textContent = total === 0 ? 'none' : `${offset + 1}–${offset + shown} of ${total}`;
      prev.disabled = offset === 0;
      next.disabled = offset + shown >= total;
    }
  };
}

/** An ISO-8601 instant in the browser's time zone as yyyy-MM-dd HH:mm:ss (the API's instants are UTC). */
function localTime(iso) {
  if (!iso) return '-';
  const d = new Date(iso);
  const two = n => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

// ---- pages and tabs ----

const pages = [];
let started = false;

/**
 * Registers a page: {id, title, start(section), stop()}. start runs after each login (load, follow streams); stop
 * runs at logout and must abort the page's streams. The tab shown is the URL's #id, else the first page.
 */
function registerPage(definition) {
  pages.push(definition);
}

function buildTabs() {
  const nav = $('#tabs');
  nav.replaceChildren(...pages.map(p => el('a', { href: `#${p.id}`, 'data-page': p.id }, p.title)));
  for (const p of pages) {
    if (!document.getElementById(`page-${p.id}`)) $('#dashboard').append(el('div', { id: `page-${p.id}`, class: 'page' }));
  }
}

function showTab() {
  const wanted = location.hash.slice(1);
  const current = pages.some(p => p.id === wanted) ? wanted : pages[0]?.id;
  for (const p of pages) {
    document.getElementById(`page-${p.id}`).hidden = p.id !== current;
    $(`#tabs a[data-page="${p.id}"]`).classList.toggle('current', p.id === current);
  }
  document.body.dataset.page = current;
}

window.addEventListener('hashchange', showTab);

// ---- login ----

$('#login').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.target;
  const user = form.user.value, project = form.project.value;
  $('#login-error').textContent = '';
  const body = { auth: {
    identity: { methods: ['password'], password: { user: { name: user, password: form.password.value, domain: { name: 'Default' } } } },
    scope: { project: { id: project } } } };
  try {
    const response = await fetch('/v3/auth/tokens', { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body) });
    const answer = await response.json().catch(() => ({}));
    if (response.status !== 201) {
      $('#login-error').textContent = answer.error_msg || `Login failed (${response.status})`;
      return;
    }
    session.save(response.headers.get('X-Subject-Token'), project, user, (answer.token?.roles || []).map(r => r.name));
    form.password.value = '';
    showDashboard();
  } catch (e) {
    $('#login-error').textContent = `Login failed: ${e.message}`;
  }
});

$('#logout').addEventListener('click', () => { session.clear(); showLogin(); });

function stopPages() {
  if (!started) return;
  started = false;
  for (const p of pages) p.stop?.();
}

function showLogin(message) {
  stopPages();
  $('#dashboard').hidden = true;
  $('#logout').hidden = true;
  $('#whoami').textContent = '';
  $('#login').hidden = false;
  $('#login-error').textContent = message || '';
}

function showDashboard() {
  stopPages();
  $('#login').hidden = true;
  $('#dashboard').hidden = false;
  $('#logout').hidden = false;
  $('#whoami').textContent = `${session.user} @ ${session.project}${session.canWrite ? '' : ' (read only)'}`;
  document.body.dataset.canWrite = String(session.canWrite);
  showTab();
  started = true;
  for (const p of pages) {
    Promise.resolve().then(() => p.start?.(document.getElementById(`page-${p.id}`)))
      .catch(e => showError($('#live-state'), e));
  }
}

// Called by the last script of index.html, once every page has registered.
function startConsole() {
  buildTabs();
  if (session.token) showDashboard(); else showLogin();
  document.body.dataset.ready = 'true'; // the handlers are in place (tests wait for this)
}
