'use strict';
// The scheduled tasks page: the paged list with enable/disable, and one form that creates or edits a task. The form
// previews the schedule's next runs (POST .../future-executions) whenever a schedule field changes, so the admin
// sees when it will run before saving; a refusal shows the contract's error_msg by the form.
(() => {
  const PAGE_SIZE = 20;
  const TASK_TYPES = { EXECUTE_SCRIPT: 'Run a command or scripts', START: 'Start desktops', STOP: 'Stop desktops',
    REBOOT: 'Reboot desktops', HIBERNATE: 'Hibernate desktops' };
  const SCHEDULE_TYPES = { FIXED_TIME: 'Once', DAY: 'Every n days', WEEK: 'Weekly', MONTH: 'Monthly',
    LIFE_CYCLE: 'On a desktop event' };
  const LIFE_CYCLE_TYPES = { POST_CREATE_DESKTOP_SUCCESS: 'after a desktop is created',
    POST_REBUILD_DESKTOP_SUCCESS: 'after a desktop is rebuilt', POST_REATTACH_DESKTOP_SUCCESS: 'after a desktop is reattached',
    POST_DESKTOP_DISCONNECTED: 'after a user disconnects' };
  const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']; // week_list: 1 = Sunday ... 7 = Saturday
  const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const TARGET_TYPES = { DESKTOP_POOL: 'Pool', DESKTOP: 'Desktop', DESKTOP_TAG: 'Tag', ALL_DESKTOPS: 'All desktops' };
  // The request fields that make up the schedule: future-executions takes these, and a PUT that changes one of
  // them sends them all (the control plane then validates and re-anchors the schedule as a new one).
  const SCHEDULE_FIELDS = ['scheduled_type', 'day_interval', 'week_list', 'month_list', 'date_list', 'scheduled_date',
    'scheduled_time', 'expire_time', 'life_cycle_type', 'time_zone'];
  // extra_params keys the form owns for EXECUTE_SCRIPT; any other key of a stored task's extra_params is kept.
  const ACTION_KEYS = ['command_content', 'command_type', 'script_ids', 'execution_timeout'];
  const INPUT_OF = { week_list: 'week_day', month_list: 'month' }; // fields the form shows as checkboxes

  let listPager;
  let offset = 0;
  let choices = { pools: [], desktops: [], scripts: [] };
  let editing = null;       // { id, extraParams, baseline } while editing a stored task; null for a new one
  let lastPreview = null;   // the schedule last sent to future-executions (not sent again unchanged)
  let running = false;      // between start and stop (logged in)
  let listCalls = 0;        // the latest listing's number: an older answer that arrives later is dropped

  const withAttribute = (e, name, value) => { e.setAttribute(name, value); return e; };
  const field = name => $(`#schedule-form [name="${name}"]`);
  const option = (value, label, selected = false) => el('option', { value, selected }, label);
  const options = (map, selected) => Object.entries(map).map(([v, label]) => option(v, label, v === selected));

  // ---- the list ----

  function buildPage(section) {
    listPager = pager(PAGE_SIZE, at => loadList(at).catch(e => showError($('#schedules-error'), e)));
    section.replaceChildren(
      el('section', {},
        el('h2', {}, 'Scheduled tasks ', el('span', { id: 'schedules-count', class: 'muted' }),
          session.canWrite ? el('button', { type: 'button', id: 'schedule-new', class: 'sched-new', onclick: () => openForm().catch(e => showError($('#schedules-error'), e)) },
            'New scheduled task') : ''),
        el('p', { id: 'schedules-error', class: 'error', role: 'alert' }),
        el('table', { id: 'schedules' },
          el('thead', {}, el('tr', {}, ...['Name', 'Type', 'Schedule', 'Next run', 'Time zone', 'Last result', 'Enabled',
            session.canWrite ? '' : null].filter(h => h !== null).map(h => el('th', {}, h)))),
          el('tbody')),
        listPager.element),
      session.canWrite ? editorSection() : ''); // readonly users get no form at all
  }

  async function loadList(at = offset) {
    const call = ++listCalls;
    const list = await api(`/scheduled-tasks?limit=${PAGE_SIZE}&offset=${at}`);
    if (call !== listCalls) return; // a newer listing answers instead
    if (list.scheduled_tasks.length === 0 && at > 0) return loadList(Math.max(0, at - PAGE_SIZE));
    offset = at;
    $('#schedules-error').textContent = '';
    $('#schedules-count').textContent = `(${list.total_count})`;
    $('#schedules tbody').replaceChildren(...list.scheduled_tasks.map(row));
    listPager.show(at, list.scheduled_tasks.length, list.total_count);
  }

  function row(t) {
    const cells = [
      el('td', { class: 'sched-name', title: t.description || '' }, t.task_name),
      el('td', {}, t.task_type, el('div', { class: 'muted' }, action(t))),
      el('td', {}, SCHEDULE_TYPES[t.scheduled_type] || t.scheduled_type,
        t.life_cycle_type ? ` ${LIFE_CYCLE_TYPES[t.life_cycle_type] || t.life_cycle_type}` : ''),
      el('td', { class: 'next-fire' }, t.next_execution_time || '-'),
      el('td', {}, t.time_zone || 'UTC'),
      el('td', { class: `sched-last status-${t.last_status}` }, t.last_status || '-'),
      el('td', { class: 'sched-enabled' }, t.enable ? 'yes' : 'no')];
    if (session.canWrite) {
      const error = el('div', { class: 'error' });
      cells.push(el('td', { class: 'sched-actions' },
        el('button', { type: 'button', class: 'sched-edit', onclick: () => openForm(t.id).catch(e => showError(error, e)) }, 'Edit'),
        el('button', { type: 'button', class: 'sched-toggle', onclick: () => setEnabled(t, !t.enable, error) },
          t.enable ? 'Disable' : 'Enable'),
        error));
    }
    return el('tr', { 'data-id': t.id, 'data-enabled': String(t.enable) }, ...cells);
  }

  /** What an EXECUTE_SCRIPT task runs, from its extra_params; nothing for the power types. */
  function action(t) {
    if (t.task_type !== 'EXECUTE_SCRIPT' || !t.extra_params) return '';
    try {
      const p = JSON.parse(t.extra_params);
      if (p.command_content) return p.command_content.length > 60 ? `${p.command_content.slice(0, 60)}…` : p.command_content;
      if (p.script_ids) return `${p.script_ids.length} stored script${p.script_ids.length === 1 ? '' : 's'}`;
    } catch (e) { /* shown as stored; the control plane validated it */ }
    return '';
  }

  /** A PUT of enable alone: the schedule is kept as it is (no re-validation, no new anchor). */
  async function setEnabled(t, enable, error) {
    try {
      await api(`/scheduled-tasks/${encodeURIComponent(t.id)}`, { method: 'PUT', body: { enable } });
      await loadList();
    } catch (e) {
      showError(error, e);
    }
  }

  // ---- the form ----

  function editorSection() {
    const scheduleRow = (types, ...children) => el('div', { class: 'sched-row', 'data-for': types }, ...children);
    return el('section', { id: 'schedule-editor', hidden: true },
      el('h2', { id: 'schedule-editor-title' }),
      el('form', { id: 'schedule-form', class: 'sched-form', noValidate: true },
        el('fieldset', {}, el('legend', {}, 'Task'),
          el('label', {}, 'Name', el('input', { name: 'task_name', maxLength: 255 })),
          el('label', {}, 'Description', el('input', { name: 'description', maxLength: 255 })),
          el('label', {}, 'Type', el('select', { name: 'task_type', onchange: showFields }, ...options(TASK_TYPES))),
          el('label', { class: 'sched-check' }, el('input', { type: 'checkbox', name: 'enable', defaultChecked: true }), 'Enabled')),
        el('fieldset', { class: 'sched-script' }, el('legend', {}, 'What it runs'),
          el('label', {}, 'Run', el('select', { name: 'run_kind', onchange: showFields },
            option('command', 'a command'), option('scripts', 'stored scripts'))),
          el('label', { class: 'sched-command' }, 'Command', el('textarea', { name: 'command_content', rows: 3 })),
          el('label', { class: 'sched-command' }, 'Shell', el('select', { name: 'command_type' },
            ...['SHELL', 'POWERSHELL', 'BAT'].map(v => option(v, v)))),
          el('label', { class: 'sched-scripts' }, 'Scripts (they run in list order)',
            el('select', { name: 'script_ids', multiple: true, size: 5 })),
          el('label', {}, 'Timeout per script (minutes)',
            el('input', { name: 'execution_timeout', type: 'number', min: 1, max: 600, defaultValue: 1 })),
          el('label', { class: 'sched-check' }, el('input', { type: 'checkbox', name: 'force_execute' }),
            'Start powered-off desktops first'),
          el('label', { class: 'sched-check' }, el('input', { type: 'checkbox', name: 'is_gray', onchange: showFields }),
            'Gray rollout: a first batch, then the rest unless it fails'),
          el('label', { class: 'sched-gray' }, 'Gray desktops',
            el('input', { name: 'gray_count', type: 'number', min: 1, max: 1000, defaultValue: 1 })),
          el('label', { class: 'sched-gray' }, 'Failures that halt the rollout',
            el('input', { name: 'gray_fail_threshold', type: 'number', min: 1, max: 1000, defaultValue: 1 }))),
        el('fieldset', { class: 'sched-schedule', onchange: () => preview() }, el('legend', {}, 'When'),
          el('label', {}, 'Repeat', el('select', { name: 'scheduled_type', onchange: showFields }, ...options(SCHEDULE_TYPES))),
          scheduleRow('DAY', el('label', {}, 'Every (days)',
            el('input', { name: 'day_interval', type: 'number', min: 1, max: 31, defaultValue: 1 }))),
          scheduleRow('FIXED_TIME DAY', el('label', {}, 'Date (for every n days: the first day, optional)',
            el('input', { name: 'scheduled_date', type: 'date' }))),
          scheduleRow('WEEK', el('div', { class: 'sched-days' }, 'Days',
            ...WEEKDAYS.map((d, i) => el('label', { class: 'sched-check' },
              el('input', { type: 'checkbox', name: 'week_day', value: String(i + 1) }), d)))),
          scheduleRow('MONTH', el('div', { class: 'sched-days' }, 'Months',
            ...MONTHS.map((m, i) => el('label', { class: 'sched-check' },
              el('input', { type: 'checkbox', name: 'month', value: String(i + 1) }), m)))),
          scheduleRow('MONTH', el('label', {}, 'Days of the month (1-31, L = the last day; e.g. 1,15,L)',
            el('input', { name: 'date_list', maxLength: 255 }))),
          scheduleRow('FIXED_TIME DAY WEEK MONTH', el('label', {}, 'Time',
            el('input', { name: 'scheduled_time', type: 'time', step: 1 }))),
          scheduleRow('LIFE_CYCLE', el('label', {}, 'Event', el('select', { name: 'life_cycle_type' }, ...options(LIFE_CYCLE_TYPES)))),
          scheduleRow('LIFE_CYCLE', el('label', {}, 'Wait after the event (seconds)',
            el('input', { name: 'wait_time', type: 'number', min: 0, max: 43200, defaultValue: 0 }))),
          scheduleRow('LIFE_CYCLE', el('label', {}, 'Priority (1 runs first)',
            el('input', { name: 'priority', type: 'number', min: 1, max: 50, defaultValue: 1 }))),
          el('label', {}, 'Time zone', withAttribute(el('input', { name: 'time_zone', maxLength: 64 }), 'list', 'schedule-zones')),
          el('datalist', { id: 'schedule-zones' }),
          el('label', {}, 'Ends (optional)', el('input', { name: 'expire_time', type: 'datetime-local', step: 1 })),
          el('div', { id: 'schedule-preview', class: 'sched-preview', role: 'status' })),
        el('fieldset', {}, el('legend', {}, 'Targets (resolved when it runs)'),
          el('div', { id: 'schedule-targets' }),
          el('button', { type: 'button', id: 'schedule-add-target', onclick: () => $('#schedule-targets').append(targetRow()) },
            'Add target')),
        el('div', { class: 'sched-buttons' },
          el('button', { type: 'submit', id: 'schedule-save' }, 'Save'),
          el('button', { type: 'button', id: 'schedule-cancel', onclick: closeForm }, 'Cancel')),
        el('p', { id: 'schedule-form-error', class: 'error', role: 'alert' })));
  }

  function targetRow(object = { object_type: 'DESKTOP_POOL', object_id: '' }) {
    const type = el('select', { class: 'sched-target-type' }, ...options(TARGET_TYPES, object.object_type));
    const value = el('span', { class: 'sched-target-value' });
    const showValue = (id) => {
      let input;
      if (type.value === 'DESKTOP_POOL') {
        input = el('select', {}, ...choices.pools.map(p => option(p.id, `${p.name} (${p.desktop_count} desktops)`)));
      } else if (type.value === 'DESKTOP') {
        input = el('select', {}, ...choices.desktops.map(d => option(d.desktop_id, d.computer_name)));
      } else if (type.value === 'DESKTOP_TAG') {
        input = el('input', { placeholder: 'key=value', maxLength: 384 });
      }
      if (input && id) {
        // A stored target the lists no longer have (a deleted pool) stays as it is, by id.
        if (input.tagName === 'SELECT' && ![...input.options].some(o => o.value === id)) input.append(option(id, `${id} (unknown)`));
        input.value = id;
      }
      value.replaceChildren(...(input ? [input] : []));
    };
    type.onchange = () => showValue('');
    showValue(object.object_id);
    const line = el('div', { class: 'sched-target' }, type, value,
      el('button', { type: 'button', class: 'link', onclick: () => line.remove() }, 'remove'));
    return line;
  }

  function targets() {
    return [...document.querySelectorAll('#schedule-targets .sched-target')].map(line => {
      const type = $('.sched-target-type', line).value;
      const input = $('.sched-target-value > *', line);
      return type === 'ALL_DESKTOPS' ? { object_type: type } : { object_type: type, object_id: input ? input.value.trim() : '' };
    });
  }

  /** Shows the fields of the chosen task type, run kind, gray option and schedule type only. */
  function showFields() {
    const script = field('task_type').value === 'EXECUTE_SCRIPT';
    $('#schedule-form .sched-script').hidden = !script;
    const scripts = field('run_kind').value === 'scripts';
    document.querySelectorAll('#schedule-form .sched-command').forEach(e => { e.hidden = scripts; });
    $('#schedule-form .sched-scripts').hidden = !scripts;
    document.querySelectorAll('#schedule-form .sched-gray').forEach(e => { e.hidden = !field('is_gray').checked; });
    const type = field('scheduled_type').value;
    document.querySelectorAll('#schedule-form .sched-row').forEach(e => { e.hidden = !e.dataset.for.split(' ').includes(type); });
  }

  async function loadChoices() {
    const [pools, desktops, scripts] = await Promise.all([api('/desktop-pools?limit=1000'),
      api('/desktops/detail?limit=1000'), api('/scripts?limit=100')]);
    choices = { pools: pools.desktop_pools, desktops: desktops.desktops, scripts: scripts.scripts || [] };
    field('script_ids').replaceChildren(...choices.scripts.map(s => option(s.id, `${s.name} (${s.type})`)));
    if (typeof Intl.supportedValuesOf === 'function') {
      $('#schedule-zones').replaceChildren(...Intl.supportedValuesOf('timeZone').map(z => el('option', { value: z })));
    }
  }

  /** Opens the form empty (a new task) or filled with a stored task's fields. */
  async function openForm(taskId) {
    closeForm(); // until it is filled: nothing of the last use can be saved meanwhile
    await loadChoices();
    const form = $('#schedule-form');
    form.reset();
    $('#schedule-form-error').textContent = '';
    form.querySelectorAll('.sched-invalid').forEach(e => e.classList.remove('sched-invalid'));
    if (taskId) {
      const t = await api(`/scheduled-tasks/${encodeURIComponent(taskId)}`);
      fill(t);
      editing = { id: t.id, extraParams: t.extra_params, baseline: body() };
      $('#schedule-editor-title').textContent = `Edit "${t.task_name}"`;
    } else {
      editing = null;
      field('time_zone').value = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
      field('scheduled_type').value = 'DAY';
      field('scheduled_time').value = '02:00:00';
      $('#schedule-targets').replaceChildren(targetRow());
      $('#schedule-editor-title').textContent = 'New scheduled task';
    }
    showFields();
    $('#schedule-editor').hidden = false;
    lastPreview = null;
    await preview();
    field('task_name').focus();
  }

  function closeForm() {
    $('#schedule-editor').hidden = true;
    editing = null;
  }

  function fill(t) {
    const set = (name, value) => { if (value !== null && value !== undefined) field(name).value = value; };
    for (const name of ['task_name', 'description', 'task_type', 'scheduled_type', 'day_interval', 'scheduled_date',
      'scheduled_time', 'date_list', 'life_cycle_type', 'time_zone', 'priority', 'wait_time', 'gray_count',
      'gray_fail_threshold']) {
      set(name, t[name]);
    }
    set('expire_time', t.expire_time?.replace(' ', 'T'));
    field('enable').checked = t.enable;
    field('is_gray').checked = t.is_gray;
    field('force_execute').checked = t.force_execute;
    checkList('week_day', t.week_list);
    checkList('month', t.month_list);
    const p = parseExtra(t.extra_params);
    field('run_kind').value = p.script_ids ? 'scripts' : 'command';
    set('command_content', p.command_content);
    set('command_type', p.command_type);
    set('execution_timeout', p.execution_timeout);
    for (const o of field('script_ids').options) o.selected = (p.script_ids || []).includes(o.value);
    $('#schedule-targets').replaceChildren(...(t.apply_objects || []).map(targetRow));
  }

  function checkList(name, list) {
    const values = new Set((list || '').split(',').map(v => v.trim()));
    document.querySelectorAll(`#schedule-form [name="${name}"]`).forEach(c => { c.checked = values.has(c.value); });
  }

  function checkedList(name) {
    return [...document.querySelectorAll(`#schedule-form [name="${name}"]:checked`)].map(c => c.value).join(',');
  }

  function parseExtra(text) {
    try { return text ? JSON.parse(text) : {}; } catch (e) { return {}; }
  }

  const number = name => field(name).value === '' ? null : Number(field(name).value);
  // <input type=time step=1> gives HH:mm when the seconds are 0; the contract wants HH:mm:ss.
  const seconds = value => /^\d\d:\d\d$/.test(value) ? `${value}:00` : value;

  /** The schedule fields of the form, as the contract names them; blank text is "" (missing, or cleared on PUT). */
  function schedule() {
    const type = field('scheduled_type').value;
    const used = name => ({
      FIXED_TIME: ['scheduled_date', 'scheduled_time'], DAY: ['day_interval', 'scheduled_date', 'scheduled_time'],
      WEEK: ['week_list', 'scheduled_time'], MONTH: ['month_list', 'date_list', 'scheduled_time'],
      LIFE_CYCLE: ['life_cycle_type'] }[type] || []).includes(name);
    const s = { scheduled_type: type, time_zone: field('time_zone').value.trim(),
      expire_time: field('expire_time').value ? seconds(field('expire_time').value).replace('T', ' ') : '' };
    if (used('day_interval')) s.day_interval = number('day_interval');
    if (used('scheduled_date')) s.scheduled_date = field('scheduled_date').value;
    if (used('scheduled_time')) s.scheduled_time = seconds(field('scheduled_time').value);
    if (used('week_list')) s.week_list = checkedList('week_day');
    if (used('month_list')) s.month_list = checkedList('month');
    if (used('date_list')) s.date_list = field('date_list').value.trim();
    if (used('life_cycle_type')) s.life_cycle_type = field('life_cycle_type').value;
    return s;
  }

  /** The whole request body the form describes (POST), also the baseline an edit is compared with. */
  function body() {
    const b = { task_name: field('task_name').value.trim(), description: field('description').value,
      task_type: field('task_type').value, enable: field('enable').checked, ...schedule(), apply_objects: targets() };
    if (b.scheduled_type === 'LIFE_CYCLE') {
      b.wait_time = number('wait_time');
      b.priority = number('priority');
    }
    const stored = parseExtra(editing?.extraParams);
    if (b.task_type === 'EXECUTE_SCRIPT') {
      const extra = Object.fromEntries(Object.entries(stored).filter(([k]) => !ACTION_KEYS.includes(k)));
      if (field('run_kind').value === 'scripts') {
        extra.script_ids = [...field('script_ids').selectedOptions].map(o => o.value);
      } else {
        extra.command_content = field('command_content').value;
        extra.command_type = field('command_type').value;
      }
      extra.execution_timeout = number('execution_timeout');
      b.extra_params = JSON.stringify(extra);
      b.force_execute = field('force_execute').checked;
      b.is_gray = field('is_gray').checked;
      if (b.is_gray) {
        b.gray_count = number('gray_count');
        b.gray_fail_threshold = number('gray_fail_threshold');
      }
    } else if (editing?.extraParams) {
      b.extra_params = editing.extraParams; // a power task's own keys (e.g. notify_message), kept as they are
    }
    return b;
  }

  /**
   * What a PUT sends: only the fields that changed, so that saving a new name neither re-validates nor re-anchors
   * an unchanged schedule; when any schedule field changed, all of them (the new schedule as a whole).
   */
  function changes(baseline, now) {
    const same = k => JSON.stringify(baseline[k]) === JSON.stringify(now[k]);
    const changed = {};
    for (const k of Object.keys(now)) if (!same(k) && !SCHEDULE_FIELDS.includes(k)) changed[k] = now[k];
    if (SCHEDULE_FIELDS.some(k => !same(k))) for (const k of SCHEDULE_FIELDS) if (k in now) changed[k] = now[k];
    return changed;
  }

  /** Shows the next runs of the form's schedule as the control plane computes them (asked again only on a change). */
  async function preview() {
    const s = schedule();
    const key = JSON.stringify(s);
    if (key === lastPreview) return;
    lastPreview = key;
    const box = $('#schedule-preview');
    box.dataset.state = 'loading';
    try {
      const answer = await api('/scheduled-tasks/future-executions', { method: 'POST', body: s });
      if (key !== lastPreview) return; // a newer change is being previewed
      const zone = s.time_zone || 'UTC';
      if (s.scheduled_type === 'LIFE_CYCLE') {
        box.replaceChildren(el('p', {}, `Runs ${LIFE_CYCLE_TYPES[s.life_cycle_type]}, on that desktop; not on a clock.`));
      } else if (answer.future_executions.length === 0) {
        box.replaceChildren(el('p', {}, 'This schedule will not run again.'));
      } else {
        box.replaceChildren(el('p', {}, `Next runs (${zone}):`),
          el('ol', { class: 'sched-preview-list' }, ...answer.future_executions.map(t => el('li', {}, t))));
      }
      box.dataset.state = 'ok';
    } catch (e) {
      if (key !== lastPreview) return;
      box.dataset.state = 'error';
      box.replaceChildren(el('p', { class: 'error' }));
      showError(box.firstChild, e);
      markInvalid(e);
    }
  }

  /** The contract's error_msg starts with the field it refuses: mark that input. */
  function markInvalid(e) {
    $('#schedule-form').querySelectorAll('.sched-invalid').forEach(i => i.classList.remove('sched-invalid'));
    const name = e instanceof ApiError ? /^([a-z_]+)/.exec(e.body?.error_msg || '')?.[1] : null;
    if (!name) return;
    const input = name === 'apply_objects' ? $('#schedule-targets') : field(INPUT_OF[name] || name);
    (input?.closest('label, .sched-days') || input)?.classList.add('sched-invalid');
  }

  async function save(event) {
    event.preventDefault();
    const error = $('#schedule-form-error');
    error.textContent = '';
    try {
      const now = body();
      if (editing) {
        const changed = changes(editing.baseline, now);
        if (Object.keys(changed).length === 0) {
          error.textContent = 'Nothing changed.';
          return;
        }
        await api(`/scheduled-tasks/${encodeURIComponent(editing.id)}`, { method: 'PUT', body: changed });
      } else {
        await api('/scheduled-tasks', { method: 'POST', body: now });
      }
      const at = editing ? offset : 0; // a new task is listed first
      closeForm();
      await loadList(at);
    } catch (e) {
      showError(error, e);
      markInvalid(e);
    }
  }

  registerPage({
    id: 'schedules',
    title: 'Scheduled tasks',
    async start(section) {
      buildPage(section);
      running = true;
      $('#schedule-form')?.addEventListener('submit', save);
      await loadList(0);
    },
    stop() {
      editing = null;
      running = false;
    }
  });

  // Fires change the last result and the next run, and no stream tells of them: list again on each visit.
  window.addEventListener('hashchange', () => {
    if (running && location.hash === '#schedules') loadList().catch(e => showError($('#schedules-error'), e));
  });
})();
