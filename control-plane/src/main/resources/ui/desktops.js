'use strict';
// The Desktops page: the fleet filtered by pool, power status, tag, agent state and name; power actions on the
// chosen desktops (POST desktops/actions: all or nothing, so a refusal names the desktops that stopped it).

const POWER_ACTIONS = [['os-start', 'Start'], ['os-stop', 'Stop'], ['reboot', 'Reboot'], ['os-hibernate', 'Hibernate']];
let desktopRefresh = null;

function desktopFilters() {
  const form = el('form', { id: 'desktop-filters', class: 'filters' },
    el('label', {}, 'Pool', el('select', { name: 'pool' })),
    el('label', {}, 'Power', el('select', { name: 'status' }, el('option', { value: '' }, 'any'),
      ...['ACTIVE', 'SHUTOFF', 'HIBERNATED', 'ERROR'].map(s => el('option', { value: s }, s)))),
    el('label', {}, 'Agent', el('select', { name: 'online' }, el('option', { value: '' }, 'any'),
      el('option', { value: 'true' }, 'online'), el('option', { value: 'false' }, 'offline'))),
    el('label', {}, 'Tag', el('input', { name: 'tag', placeholder: 'key=value', size: 12 })),
    el('label', {}, 'Name', el('input', { name: 'name', placeholder: 'contains', size: 12 })),
    el('button', { type: 'submit' }, 'Apply'));
  form.addEventListener('submit', e => { e.preventDefault(); loadDesktopPage(); });
  form.addEventListener('change', () => loadDesktopPage());
  return form;
}

async function loadDesktopPage() {
  const f = $('#desktop-filters').elements, error = $('#desktop-error');
  error.textContent = '';
  // Pool, power and tag are the API's filters; agent state and name are narrowed here.
  const q = new URLSearchParams({ limit: 1000 });
  if (f.pool.value) q.set('pool_id', f.pool.value);
  if (f.status.value) q.set('status', f.status.value);
  if (f.tag.value.trim()) q.set('tag', f.tag.value.trim());
  try {
    const list = await api(`/desktops/detail?${q}`);
    const name = f.name.value.trim().toLowerCase();
    const shown = list.desktops.filter(d => (f.online.value === '' || String(d.agent_online) === f.online.value)
      && (!name || d.computer_name.toLowerCase().includes(name)));
    const checked = new Set([...document.querySelectorAll('#desktop-table .desktop-pick:checked')].map(c => c.value));
    $('#desktop-table tbody').replaceChildren(...shown.map(d => el('tr', { 'data-desktop': d.desktop_id, 'data-status': d.status, 'data-online': String(d.agent_online) },
      el('td', {}, session.canWrite ? el('input', { type: 'checkbox', class: 'desktop-pick', value: d.desktop_id, checked: checked.has(d.desktop_id) }) : ''),
      el('td', { class: 'name' }, d.computer_name), el('td', {}, inventory.poolName(d.desktop_pool_id)),
      el('td', { class: 'power' }, d.status), el('td', {}, onlineBadge(d.agent_online)),
      el('td', {}, (d.tags || []).map(t => `${t.key}=${t.value}`).join(', ')),
      el('td', { class: 'muted' }, localTime(d.last_heartbeat_time)), el('td', { class: 'muted' }, d.agent_version || ''))));
    $('#desktop-count').textContent = `${shown.length} shown: ${inventory.onlineSummary(shown)}`;
  } catch (e) {
    showError(error, e);
  }
}

async function powerAction(opType) {
  const ids = [...document.querySelectorAll('#desktop-table .desktop-pick:checked')].map(c => c.value);
  const message = $('#desktop-error');
  message.className = 'error';
  if (!ids.length) { message.textContent = 'Choose desktops first.'; return; }
  try {
    await api('/desktops/actions', { method: 'POST', body: { desktop_ids: ids, op_type: opType } });
    message.className = 'muted';
    message.textContent = `${opType} sent to ${ids.length} desktop(s); their power state follows as the agents report it.`;
    // The agents report the new state within a second or two (a reboot reconnects): look again then.
    clearTimeout(desktopRefresh);
    desktopRefresh = setTimeout(() => loadDesktopPage().then(() => {
      desktopRefresh = setTimeout(() => loadDesktopPage(), 3000);
    }), 1500);
  } catch (e) {
    showError(message, e);
  }
}

registerPage({
  id: 'desktops',
  title: 'Desktops',
  async start(section) {
    const selectAll = el('input', { type: 'checkbox', class: 'desktop-pick-all', title: 'all shown' });
    selectAll.addEventListener('change', () => document.querySelectorAll('#desktop-table .desktop-pick')
      .forEach(c => { c.checked = selectAll.checked; }));
    section.replaceChildren(el('section', {}, el('h2', {}, 'Desktops ', el('span', { id: 'desktop-count', class: 'muted' })),
      desktopFilters(),
      session.canWrite ? el('div', { class: 'desktop-actions' }, 'Power: ',
        ...POWER_ACTIONS.map(([op, label]) => el('button', { type: 'button', 'data-op': op, onclick: () => powerAction(op) }, label))) : '',
      el('p', { id: 'desktop-error', class: 'error', role: 'alert' }),
      el('table', { id: 'desktop-table' }, el('thead', {}, el('tr', {}, el('th', {}, session.canWrite ? selectAll : ''),
        el('th', {}, 'Name'), el('th', {}, 'Pool'), el('th', {}, 'Power'), el('th', {}, 'Agent'), el('th', {}, 'Tags'),
        el('th', {}, 'Last heartbeat'), el('th', {}, 'Agent version'))), el('tbody'))));
    await inventory.load();
    $('#desktop-filters').elements.pool.replaceChildren(...poolOptions('any'));
    await loadDesktopPage();
  },
  stop() { clearTimeout(desktopRefresh); }
});
