'use strict';
// The Run page: pick the targets (a pool, a tag, or desktops, with how many are online), a command or stored
// scripts, the gray batch and rate control; preview the batches with dry_run; run, and watch the task below the form.

let runCard = null;

function runForm() {
  const form = el('form', { id: 'run-form', class: 'run-form' },
    el('fieldset', {}, el('legend', {}, 'Targets'),
      el('div', { class: 'run-choice' },
        el('label', {}, el('input', { type: 'radio', name: 'target', value: 'pool', checked: true }), 'Pool'),
        el('label', {}, el('input', { type: 'radio', name: 'target', value: 'tag' }), 'Tag'),
        el('label', {}, el('input', { type: 'radio', name: 'target', value: 'desktops' }), 'Desktops')),
      el('label', { class: 'run-target run-target-pool' }, 'Pool', el('select', { name: 'pool' })),
      el('label', { class: 'run-target run-target-tag' }, 'Tag (key=value)', tagInput(), el('datalist', { id: 'run-tags' })),
      el('div', { class: 'run-target run-target-desktops' }, el('div', { class: 'run-desktops' })),
      el('p', { class: 'run-target-count muted' })),
    el('fieldset', {}, el('legend', {}, 'What to run'),
      el('div', { class: 'run-choice' },
        el('label', {}, el('input', { type: 'radio', name: 'payload', value: 'command', checked: true }), 'Command'),
        el('label', {}, el('input', { type: 'radio', name: 'payload', value: 'script' }), 'Stored scripts')),
      el('label', { class: 'run-payload run-payload-command' }, 'Command',
        el('textarea', { name: 'command', rows: 3, placeholder: 'hostname' })),
      el('label', { class: 'run-payload run-payload-command' }, 'Interpreter',
        el('select', { name: 'command_type' }, ...['SHELL', 'POWERSHELL', 'BAT'].map(t => el('option', { value: t }, t)))),
      el('label', { class: 'run-payload run-payload-script' }, 'Scripts (in order; Ctrl-click for several)',
        el('select', { name: 'scripts', multiple: true, size: 4 }))),
    el('fieldset', {}, el('legend', {}, 'Rollout'),
      el('div', { class: 'run-grid' },
        el('label', {}, 'Gray count', el('input', { name: 'gray_count', type: 'number', min: 0, max: 1000, placeholder: 'none' })),
        el('label', {}, 'or gray desktops', el('select', { name: 'gray_desktops', multiple: true, size: 3 })),
        el('label', {}, 'Gray fail threshold', el('input', { name: 'threshold', type: 'number', min: 1, max: 1000, placeholder: '1' })),
        el('label', {}, 'Max concurrency', el('input', { name: 'max_concurrency', placeholder: 'all, 5 or 25%' })),
        el('label', {}, 'Timeout (minutes per script)', el('input', { name: 'timeout', type: 'number', min: 1, max: 600, placeholder: '1' })))),
    el('div', { class: 'run-buttons' },
      el('button', { type: 'button', class: 'run-preview', onclick: () => submitRun(true) }, 'Preview batches'),
      el('button', { type: 'submit', class: 'run-start' }, 'Run')),
    el('p', { class: 'run-error error', role: 'alert' }),
    el('div', { class: 'run-plan' }));
  form.addEventListener('submit', e => { e.preventDefault(); submitRun(false); });
  form.addEventListener('change', e => {
    if (['target', 'pool', 'payload'].includes(e.target.name) || e.target.classList.contains('run-desktop')) showTargets();
  });
  form.tag.addEventListener('input', () => showTargets());
  return form;
}

/** The tag input, offering the fleet's tags (an input's list is an attribute only: the property is read-only). */
function tagInput() {
  const input = el('input', { name: 'tag', placeholder: 'team=qa' });
  input.setAttribute('list', 'run-tags');
  return input;
}

const runField = name => $('#run-form').elements[name];
const runChoice = name => $(`#run-form input[name=${name}]:checked`).value;

/** The desktops the chosen target covers, as the inventory knows them (the server resolves them again). */
function chosenDesktops() {
  const target = runChoice('target');
  if (target === 'pool') return inventory.inPool(runField('pool').value);
  if (target === 'tag') {
    const tag = runField('tag').value, cut = tag.indexOf('=');
    if (cut < 1) return [];
    const key = tag.slice(0, cut), value = tag.slice(cut + 1);
    return [...inventory.desktops.values()].filter(d => (d.tags || []).some(t => t.key === key && t.value === value));
  }
  return [...document.querySelectorAll('#run-form .run-desktop:checked')].map(c => inventory.desktops.get(c.value)).filter(Boolean);
}

function showTargets() {
  const form = $('#run-form');
  const target = runChoice('target'), payload = runChoice('payload');
  form.querySelectorAll('.run-target').forEach(e => { e.hidden = !e.classList.contains(`run-target-${target}`); });
  form.querySelectorAll('.run-payload').forEach(e => { e.hidden = !e.classList.contains(`run-payload-${payload}`); });
  const desktops = chosenDesktops();
  $('.run-target-count', form).textContent = desktops.length
    ? `${desktops.length} desktops: ${inventory.onlineSummary(desktops)}` : 'no desktop chosen';
  const grayPicked = new Set([...runField('gray_desktops').selectedOptions].map(o => o.value));
  runField('gray_desktops').replaceChildren(...desktops.map(d => el('option', { value: d.desktop_id, selected: grayPicked.has(d.desktop_id) },
    `${d.computer_name}${d.agent_online ? '' : ' (offline)'}`)));
}

async function fillRunForm() {
  const scripts = await api('/scripts?limit=100');
  const pool = runField('pool').value;
  runField('pool').replaceChildren(...poolOptions('(choose a pool)', true));
  runField('pool').value = inventory.pools.has(pool) ? pool : (inventory.pools.keys().next().value || '');
  runField('scripts').replaceChildren(...scripts.scripts.map(s => el('option', { value: s.id }, `${s.name} (${s.type})`)));
  const tags = new Set([...inventory.desktops.values()].flatMap(d => (d.tags || []).map(t => `${t.key}=${t.value}`)));
  $('#run-tags').replaceChildren(...[...tags].sort().map(t => el('option', { value: t })));
  const checked = new Set([...document.querySelectorAll('#run-form .run-desktop:checked')].map(c => c.value));
  $('#run-form .run-desktops').replaceChildren(...[...inventory.desktops.values()].map(d => el('label', { class: 'run-desktop-choice' },
    el('input', { type: 'checkbox', class: 'run-desktop', value: d.desktop_id, checked: checked.has(d.desktop_id) }),
    d.computer_name, ' ', el('span', { class: 'muted' }, `${inventory.poolName(d.desktop_pool_id)}, ${d.agent_online ? 'online' : 'offline'}`))));
  showTargets();
}

/**
 * The request: the endpoint and body. A command on chosen desktops goes to their pool's endpoint (the generic
 * endpoint runs stored scripts only), so they must share one pool.
 */
function runRequest(dryRun) {
  const body = {};
  const payload = runChoice('payload');
  if (payload === 'command') {
    body.command_content = runField('command').value;
    body.command_type = runField('command_type').value;
  } else {
    body.script_ids = [...runField('scripts').selectedOptions].map(o => o.value);
  }
  const number = name => runField(name).value === '' ? undefined : Number(runField(name).value);
  const grayDesktops = [...runField('gray_desktops').selectedOptions].map(o => o.value);
  body.gray_count = number('gray_count');
  body.gray_fail_threshold = number('threshold');
  body.execution_timeout = number('timeout');
  if (runField('max_concurrency').value.trim()) body.max_concurrency = runField('max_concurrency').value.trim();
  if (dryRun) body.dry_run = true;

  const target = runChoice('target');
  if (target === 'pool') {
    if (grayDesktops.length) body.gray_desktop_ids = grayDesktops;
    return { path: `/desktop-pools/${encodeURIComponent(runField('pool').value)}/script-executions`, body };
  }
  if (target === 'tag') {
    body.desktop_tag = runField('tag').value;
    if (grayDesktops.length) body.gray_desktop_ids = grayDesktops;
    return { path: '/script-executions/by-desktop-tag', body };
  }
  const desktops = chosenDesktops().map(d => d.desktop_id);
  const pools = new Set(chosenDesktops().map(d => d.desktop_pool_id));
  if (payload === 'command') {
    if (pools.size > 1) throw new Error('A command runs on desktops of one pool: choose desktops of one pool, or stored scripts.');
    body.desktop_ids = desktops;
    if (grayDesktops.length) body.gray_desktop_ids = grayDesktops;
    return { path: `/desktop-pools/${encodeURIComponent([...pools][0] || '-')}/script-executions`, body };
  }
  body.resource_ids = desktops;
  if (grayDesktops.length) body.gray_resource_ids = grayDesktops;
  return { path: '/script-executions', body };
}

async function submitRun(dryRun) {
  const error = $('#run-form .run-error'), plan = $('#run-form .run-plan');
  error.textContent = '';
  try {
    const { path, body } = runRequest(dryRun);
    const answer = await api(path, { method: 'POST', body });
    if (dryRun) { plan.replaceChildren(planTable(answer)); return; }
    plan.replaceChildren();
    showRunTask(answer);
  } catch (e) {
    showError(error, e);
  }
}

function planTable(plan) {
  return el('div', { class: 'run-plan-result' },
    el('p', {}, `${plan.target_count} desktops, ${plan.offline_target_count} offline`,
      plan.gray_fail_threshold != null ? `; the rollout halts after ${plan.gray_fail_threshold} gray failure(s)` : ''),
    el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, 'Batch'), el('th', {}, 'Desktops'))),
      el('tbody', {}, ...plan.batches.map((b, i) => el('tr', { 'data-order': b.execute_order },
        el('td', {}, `${i + 1}. ${BATCH_NAMES[b.execute_order]}`),
        el('td', {}, `${b.desktop_ids.length}: ${b.desktop_ids.map(id => inventory.desktopName(id)).join(', ')}`))))));
}

async function showRunTask(answer) {
  const list = await api(`/script-execution-tasks?task_id=${encodeURIComponent(answer.task_id)}`);
  runCard?.stop();
  runCard = new TaskCard(list.script_tasks[0]);
  $('#run-task').replaceChildren(
    el('p', { class: 'muted' }, `Started task ${answer.task_id}`,
      answer.offline_target_count ? `; ${answer.offline_target_count} target(s) offline` : ''), runCard.el);
  $('details.results', runCard.el).open = true;
}

registerPage({
  id: 'run',
  title: 'Run',
  async start(section) {
    section.replaceChildren(el('section', {}, el('h2', {}, 'Run a command or scripts'),
      session.canWrite ? runForm() : el('p', { class: 'muted' }, 'Your role is read only: you can watch tasks but not run them.')),
      el('section', { id: 'run-task' }));
    if (!session.canWrite) return;
    await inventory.load();
    await fillRunForm();
  },
  stop() { runCard?.stop(); runCard = null; }
});
