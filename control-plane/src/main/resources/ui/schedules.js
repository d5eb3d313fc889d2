'use strict';
// The scheduled tasks page.

async function loadSchedules() {
  const list = await api('/scheduled-tasks?limit=50');
  $('#schedules tbody').replaceChildren(...list.scheduled_tasks.map(t => el('tr', { 'data-id': t.id },
    el('td', {}, t.task_name), el('td', {}, t.task_type),
    el('td', {}, t.scheduled_type + (t.life_cycle_type ? ` ${t.life_cycle_type}` : '')),
    el('td', { class: 'next-fire' }, t.next_execution_time || '-'), el('td', {}, t.time_zone || 'UTC'),
    el('td', {}, t.last_status || '-'), el('td', {}, t.enable ? 'yes' : 'no'))));
}

registerPage({ id: 'schedules', title: 'Scheduled tasks', start: loadSchedules });
