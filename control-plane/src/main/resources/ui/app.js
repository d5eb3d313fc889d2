'use strict';
// Deskfleet dashboard: plain JS, no build. The token lives in sessionStorage (gone when the tab closes).
// Live updates come from the Server-Sent Event streams, read with fetch() so that the X-Auth-Token header can be sent.

const session = {
  get token() { return sessionStorage.getItem('deskfleet.token'); },
  get project() { return sessionStorage.getItem('deskfleet.project'); },
  get user() { return sessionStorage.getItem('deskfleet.user'); },
  save(token, project, user) {
    sessionStorage.setItem('deskfleet.token', token);
    sessionStorage.setItem('deskfleet.project', project);
    sessionStorage.setItem('deskfleet.user', user);
  },
  clear() { sessionStorage.clear(); }
};

const $ = (selector, root = document) => root.querySelector(selector);
const TERMINAL = new Set(['SUCCESS', 'FAILED', 'TIMEOUT', 'UNDELIVERABLE', 'UNKNOWN', 'CANCELLED', 'SKIPPED']);
const FAILED = new Set(['FAILED', 'TIMEOUT', 'UNDELIVERABLE', 'UNKNOWN']);
const BATCH_NAMES = { 0: 'all', 1: 'gray', 2: 'rest' };
const MAX_TASKS = 10;

let projectStream = null;        // AbortController of the project stream
const taskStreams = new Map();   // task id -> AbortController
const tasks = new Map();         // task id -> { task, records: Map(record id -> record) }

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v; else if (k.startsWith('data-')) e.setAttribute(k, v); else e[k] = v;
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(c ?? ''));
  return e;
}

class Unauthorized extends Error {}

async function api(path) {
  const response = await fetch(`/v2/${encodeURIComponent(session.project)}${path}`,
    { headers: { 'X-Auth-Token': session.token, 'Accept': 'application/json' } });
  if (response.status === 401) throw new Unauthorized();
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

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
    if (response.status !== 201) {
      const error = await response.json().catch(() => ({}));
      $('#login-error').textContent = error.error_msg || `Login failed (${response.status})`;
      return;
    }
    session.save(response.headers.get('X-Subject-Token'), project, user);
    form.password.value = '';
    showDashboard();
  } catch (e) {
    $('#login-error').textContent = `Login failed: ${e.message}`;
  }
});

$('#logout').addEventListener('click', () => { session.clear(); showLogin(); });

function showLogin(message) {
  stopStreams();
  $('#dashboard').hidden = true;
  $('#logout').hidden = true;
  $('#whoami').textContent = '';
  $('#login').hidden = false;
  $('#login-error').textContent = message || '';
}

async function showDashboard() {
  $('#login').hidden = true;
  $('#dashboard').hidden = false;
  $('#logout').hidden = false;
  $('#whoami').textContent = `${session.user} @ ${session.project}`;
  tasks.clear();
  $('#tasks').replaceChildren();
  // Follow first, then list: a change between the two is then not lost (it is applied on top of the listing).
  followProject();
  try {
    await Promise.all([loadDesktops(), loadTasks(), loadSchedules()]);
  } catch (e) {
    if (e instanceof Unauthorized) showLogin('Your session has expired; please log in again.');
    else $('#live-state').textContent = `Error: ${e.message}`;
  }
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

function followProject() {
  let connectedBefore = false;
  projectStream = follow('/events', (name, data) => {
    if (name === 'desktop') setOnline(data.desktop_id, data.online);
    if (name === 'task') taskChanged(data);
  }, state => {
    $('#live-state').textContent = state === 'live' ? 'Live' : 'Reconnecting…';
    // Changes made while the stream was down are not replayed: list again.
    if (state === 'live' && connectedBefore) Promise.all([loadDesktops(), loadTasks()]).catch(() => {});
    if (state === 'live') connectedBefore = true;
  });
}

function followTask(taskId) {
  if (taskStreams.has(taskId)) return;
  taskStreams.set(taskId, follow(`/script-execution-tasks/${encodeURIComponent(taskId)}/events`, (name, data) => {
    if (name === 'task') taskChanged(data);
    if (name === 'record') recordChanged(data);
    if (name === 'end') taskStreams.delete(taskId);
  }));
}

function stopStreams() {
  projectStream?.abort();
  projectStream = null;
  taskStreams.forEach(control => control.abort());
  taskStreams.clear();
}

// ---- desktops ----

async function loadDesktops() {
  const list = await api('/desktops/detail?limit=1000');
  const rows = list.desktops.map(d => el('tr', { id: `desktop-${d.desktop_id}`, 'data-online': String(d.agent_online) },
    el('td', { class: 'name' }, d.computer_name), el('td', {}, d.desktop_id), el('td', {}, d.desktop_pool_id),
    el('td', {}, d.status), el('td', {}, onlineBadge(d.agent_online))));
  $('#desktops tbody').replaceChildren(...rows);
  countOnline();
}

function onlineBadge(online) {
  return el('span', { class: `badge ${online ? 'online' : 'offline'}` }, online ? 'online' : 'offline');
}

function setOnline(desktopId, online) {
  const row = document.getElementById(`desktop-${desktopId}`);
  if (!row) { loadDesktops().catch(() => {}); return; } // a desktop registered since the listing
  row.dataset.online = String(online);
  row.lastElementChild.replaceChildren(onlineBadge(online));
  countOnline();
}

function countOnline() {
  const rows = document.querySelectorAll('#desktops tbody tr');
  const online = [...rows].filter(r => r.dataset.online === 'true').length;
  $('#online-count').textContent = `${online} of ${rows.length} online`;
}

function desktopName(desktopId) {
  return $(`#desktop-${CSS.escape(desktopId)} .name`)?.textContent || desktopId;
}

// ---- tasks ----

async function loadTasks() {
  const list = await api(`/script-execution-tasks?limit=${MAX_TASKS}`);
  list.script_tasks.slice().reverse().forEach(taskChanged);
}

function taskChanged(task) {
  let entry = tasks.get(task.id);
  if (!entry) {
    entry = { task, records: new Map() };
    tasks.set(task.id, entry);
    $('#tasks').prepend(taskCard(task));
    followTask(task.id); // snapshot of its records, then live changes until it ends
    while (tasks.size > MAX_TASKS) {
      const oldest = [...tasks.keys()][0];
      taskStreams.get(oldest)?.abort();
      taskStreams.delete(oldest);
      tasks.delete(oldest);
      document.getElementById(`task-${oldest}`)?.remove();
    }
  }
  entry.task = task;
  renderTask(task.id);
}

function recordChanged(record) {
  const entry = tasks.get(record.script_task_id);
  if (!entry) return;
  entry.records.set(record.id, record);
  renderTask(record.script_task_id);
}

function taskCard(task) {
  return el('div', { class: 'task', id: `task-${task.id}` },
    el('div', { class: 'task-head' }, el('strong', { class: 'status' }), el('code', {}, task.id),
      el('span', { class: 'counts muted' }), el('span', { class: 'times muted' })),
    el('div', { class: 'batches' }),
    el('details', { class: 'results' }, el('summary', {}, 'Per-desktop results'),
      el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, 'Desktop'), el('th', {}, 'Batch'),
        el('th', {}, 'Script'), el('th', {}, 'Status'), el('th', {}, 'Result'), el('th', {}, 'Output'))),
        el('tbody'))));
}

/** Per batch: each desktop is done when all its records are terminal; it succeeded when all are SUCCESS. */
function batchProgress(task, records) {
  const batches = new Map();
  const gray = new Set(task.gray_resource_ids || []);
  for (const id of task.resource_ids || []) {
    const order = gray.size === 0 ? 0 : gray.has(id) ? 1 : 2;
    if (!batches.has(order)) batches.set(order, new Map());
    batches.get(order).set(id, []);
  }
  for (const r of records.values()) batches.get(r.execute_order)?.get(r.resource_id)?.push(r);
  return [...batches.entries()].sort((a, b) => a[0] - b[0]).map(([order, desktops]) => {
    const p = { order, total: desktops.size, done: 0, success: 0, failed: 0, skipped: 0 };
    for (const rs of desktops.values()) {
      if (rs.length === 0 || !rs.every(r => TERMINAL.has(r.status))) continue;
      p.done++;
      if (rs.every(r => r.status === 'SUCCESS')) p.success++;
      else if (rs.some(r => FAILED.has(r.status))) p.failed++;
      else p.skipped++;
    }
    return p;
  });
}

function renderTask(taskId) {
  const { task, records } = tasks.get(taskId);
  const card = document.getElementById(`task-${taskId}`);
  const status = $('.status', card);
  status.textContent = task.status;
  status.className = `status status-${task.status}`;
  card.dataset.status = task.status;
  $('.counts', card).textContent =
    `${task.resource_ids.length} desktops: ${task.success_num} succeeded, ${task.failed_num} failed, ${task.skip_num} skipped`;
  $('.times', card).textContent = `started ${task.start_time || '-'}${task.end_time ? `, ended ${task.end_time}` : ''}`;

  $('.batches', card).replaceChildren(...batchProgress(task, records).map(p => {
    const pct = n => `${p.total ? (100 * n / p.total) : 0}%`;
    return el('div', { class: 'batch', 'data-batch': BATCH_NAMES[p.order], 'data-total': p.total,
        'data-done': p.done, 'data-success': p.success, 'data-failed': p.failed },
      el('span', {}, BATCH_NAMES[p.order]),
      el('div', { class: 'bar', title: `${p.done} of ${p.total} done` },
        el('div', { class: 'fill-success', style: `width:${pct(p.success)}` }),
        el('div', { class: 'fill-failed', style: `width:${pct(p.failed)}` }),
        el('div', { class: 'fill-skipped', style: `width:${pct(p.skipped)}` })),
      el('span', { class: 'muted' }, `${p.done}/${p.total} done, ${p.success} ok, ${p.failed} failed`));
  }));

  const sorted = [...records.values()].sort((a, b) => a.execute_order - b.execute_order
    || desktopName(a.resource_id).localeCompare(desktopName(b.resource_id)));
  const tbody = $('.results tbody', card);
  const openOutputs = new Map([...tbody.querySelectorAll('pre.output')].map(pre => [pre.dataset.record, pre]));
  tbody.replaceChildren(...sorted.map(r => {
    const outputCell = el('td', {});
    if (openOutputs.has(r.id)) outputCell.append(openOutputs.get(r.id));
    else if (TERMINAL.has(r.status)) {
      outputCell.append(el('button', { class: 'link show-output', type: 'button', onclick: () => showOutput(r.id, outputCell) },
        'show'));
    }
    return el('tr', { 'data-record': r.id, 'data-desktop': r.resource_id, 'data-status': r.status },
      el('td', {}, r.resource_name || desktopName(r.resource_id)), el('td', {}, BATCH_NAMES[r.execute_order]),
      el('td', {}, r.script_name || 'command'), el('td', { class: `status-${r.status}` }, r.status),
      el('td', {}, r.result_code ? `${r.result_code}${r.reason ? ` (${r.reason})` : ''}` : ''), outputCell);
  }));
}

async function showOutput(recordId, cell) {
  try {
    const detail = await api(`/script-execution-records/${encodeURIComponent(recordId)}`);
    const text = (detail.output || '').replace(/\n$/, '') + (detail.output_truncated ? '\n[output truncated]' : '');
    cell.replaceChildren(el('pre', { class: 'output', 'data-record': recordId },
      text || '(no output)', detail.exit_code != null ? `\n[exit code ${detail.exit_code}]` : ''));
  } catch (e) {
    if (e instanceof Unauthorized) showLogin('Your session has expired; please log in again.');
    else cell.textContent = e.message;
  }
}

// ---- scheduled tasks ----

async function loadSchedules() {
  const list = await api('/scheduled-tasks?limit=50');
  $('#schedules tbody').replaceChildren(...list.scheduled_tasks.map(t => el('tr', { 'data-id': t.id },
    el('td', {}, t.task_name), el('td', {}, t.task_type),
    el('td', {}, t.scheduled_type + (t.life_cycle_type ? ` ${t.life_cycle_type}` : '')),
    el('td', { class: 'next-fire' }, t.next_execution_time || '-'), el('td', {}, t.time_zone || 'UTC'),
    el('td', {}, t.last_status || '-'), el('td', {}, t.enable ? 'yes' : 'no'))));
}

if (session.token) showDashboard(); else showLogin();
document.body.dataset.ready = 'true'; // the handlers are in place (tests wait for this)
