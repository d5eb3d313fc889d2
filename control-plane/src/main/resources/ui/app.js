'use strict';
// The overview page: desktops online and the latest tasks, live (core.js holds the session, api() and follow();
// inventory.js the names; taskcard.js the task cards).

const MAX_TASKS = 10;

let projectStream = null;      // AbortController of the project stream
const overviewCards = new Map(); // task id -> TaskCard, newest last

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

function stopOverview() {
  projectStream?.abort();
  projectStream = null;
  overviewCards.forEach(card => card.stop());
  overviewCards.clear();
}

// ---- desktops ----

async function loadDesktops() {
  await inventory.load();
  const rows = [...inventory.desktops.values()].map(d => el('tr', { id: `desktop-${d.desktop_id}`, 'data-online': String(d.agent_online) },
    el('td', { class: 'name' }, d.computer_name), el('td', { class: 'pool' }, inventory.poolName(d.desktop_pool_id)),
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
  const desktop = inventory.desktops.get(desktopId);
  if (desktop) desktop.agent_online = online;
  row.dataset.online = String(online);
  row.lastElementChild.replaceChildren(onlineBadge(online));
  countOnline();
}

function countOnline() {
  const rows = document.querySelectorAll('#desktops tbody tr');
  const online = [...rows].filter(r => r.dataset.online === 'true').length;
  $('#online-count').textContent = `${online} of ${rows.length} online`;
}

// ---- tasks ----

async function loadTasks() {
  const list = await api(`/script-execution-tasks?limit=${MAX_TASKS}`);
  list.script_tasks.slice().reverse().forEach(taskChanged);
}

function taskChanged(task) {
  const card = overviewCards.get(task.id);
  if (card) { card.update(task); return; }
  overviewCards.set(task.id, new TaskCard(task)); // follows its stream: records, then live changes until it ends
  $('#tasks').prepend(overviewCards.get(task.id).el);
  while (overviewCards.size > MAX_TASKS) {
    const [oldest, old] = overviewCards.entries().next().value;
    old.stop();
    old.el.remove();
    overviewCards.delete(oldest);
  }
}

registerPage({
  id: 'overview',
  title: 'Overview',
  async start() {
    stopOverview();
    $('#tasks').replaceChildren();
    // Follow first, then list: a change between the two is then not lost (it is applied on top of the listing).
    followProject();
    await loadDesktops();
    await loadTasks();
  },
  stop: stopOverview
});
