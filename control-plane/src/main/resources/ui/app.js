'use strict';
// The overview page: desktops online and the latest tasks, live (core.js holds the session, api() and follow()).

const TERMINAL = new Set(['SUCCESS', 'FAILED', 'TIMEOUT', 'UNDELIVERABLE', 'UNKNOWN', 'CANCELLED', 'SKIPPED']);
const FAILED = new Set(['FAILED', 'TIMEOUT', 'UNDELIVERABLE', 'UNKNOWN']);
const BATCH_NAMES = { 0: 'all', 1: 'gray', 2: 'rest' };
const MAX_TASKS = 10;

let projectStream = null;        // AbortController of the project stream
const taskStreams = new Map();   // task id -> AbortController
const tasks = new Map();         // task id -> { task, records: Map(record id -> record) }

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

registerPage({
  id: 'overview',
  title: 'Overview',
  async start() {
    tasks.clear();
    $('#tasks').replaceChildren();
    // Follow first, then list: a change between the two is then not lost (it is applied on top of the listing).
    followProject();
    await Promise.all([loadDesktops(), loadTasks()]);
  },
  stop: stopStreams
});
