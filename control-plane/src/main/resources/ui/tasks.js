'use strict';
// The Tasks page: every task, filtered by status, pool, user and date, a page at a time; each a live TaskCard.

const TASK_STATUSES = ['WAITING', 'RUNNING', 'SUCCESS', 'FAILED', 'CANCELLED'];
const taskList = { offset: 0, limit: 10, cards: [] };

function taskFilters() {
  const form = el('form', { id: 'task-filters', class: 'filters' },
    el('label', {}, 'Status', el('select', { name: 'status' }, el('option', { value: '' }, 'any'),
      ...TASK_STATUSES.map(s => el('option', { value: s }, s)))),
    el('label', {}, 'Pool', el('select', { name: 'pool' })),
    el('label', {}, 'Started by', el('input', { name: 'user', placeholder: 'user name', size: 12 })),
    el('label', {}, 'From', el('input', { name: 'from', type: 'date' })),
    el('label', {}, 'To', el('input', { name: 'to', type: 'date' })),
    el('label', {}, 'Per page', el('select', { name: 'limit' }, ...[10, 25, 50, 100].map(n => el('option', { value: n }, n)))),
    el('button', { type: 'submit' }, 'Apply'));
  form.addEventListener('submit', e => { e.preventDefault(); taskList.offset = 0; loadTaskPage(); });
  form.addEventListener('change', () => { taskList.offset = 0; loadTaskPage(); });
  return form;
}

function taskQuery() {
  const f = $('#task-filters').elements;
  taskList.limit = Number(f.limit.value);
  const q = new URLSearchParams({ offset: taskList.offset, limit: taskList.limit });
  if (f.status.value) q.set('status', f.status.value);
  if (f.pool.value) q.set('desktop_pool_id', f.pool.value);
  if (f.user.value.trim()) q.set('created_by', f.user.value.trim());
  if (f.from.value) q.set('execute_time_start', dayStart(f.from.value));
  if (f.to.value) q.set('execute_time_end', dayStart(f.to.value, 1)); // the whole "to" day
  return q;
}

async function loadTaskPage() {
  const error = $('#task-list-error');
  error.textContent = '';
  try {
    const list = await api(`/script-execution-tasks?${taskQuery()}`);
    clearTaskCards();
    taskList.cards = list.script_tasks.map(t => new TaskCard(t, { onRetried: () => loadTaskPage() }));
    $('#task-list').replaceChildren(...taskList.cards.map(c => c.el));
    if (!taskList.cards.length) $('#task-list').append(el('p', { class: 'muted' }, 'No task matches.'));
    const first = list.count ? taskList.offset + 1 : 0, last = taskList.offset + list.script_tasks.length;
    $('#task-paging .range').textContent = `${first}-${last} of ${list.count}`;
    $('#task-paging .prev').disabled = taskList.offset === 0;
    $('#task-paging .next').disabled = last >= list.count;
  } catch (e) {
    showError(error, e);
  }
}

function clearTaskCards() {
  taskList.cards.forEach(c => c.stop());
  taskList.cards = [];
}

function turnTaskPage(delta) {
  taskList.offset = Math.max(0, taskList.offset + delta * taskList.limit);
  loadTaskPage();
}

registerPage({
  id: 'tasks',
  title: 'Tasks',
  async start(section) {
    taskList.offset = 0;
    section.replaceChildren(el('section', {}, el('h2', {}, 'Tasks'), taskFilters(),
      el('p', { id: 'task-list-error', class: 'error', role: 'alert' }),
      el('div', { id: 'task-list' }),
      el('div', { id: 'task-paging', class: 'paging' },
        el('button', { type: 'button', class: 'prev', onclick: () => turnTaskPage(-1) }, '‹ Newer'),
        el('span', { class: 'range muted' }),
        el('button', { type: 'button', class: 'next', onclick: () => turnTaskPage(1) }, 'Older ›'),
        el('button', { type: 'button', class: 'refresh', onclick: () => loadTaskPage() }, 'Refresh'))));
    await inventory.load();
    $('#task-filters').elements.pool.replaceChildren(...poolOptions('any'));
    await loadTaskPage();
  },
  stop: clearTaskCards
});
