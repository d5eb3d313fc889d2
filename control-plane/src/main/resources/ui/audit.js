'use strict';
// The audit trail page: every state-changing call and the control plane's own acts, newest first, filtered by time
// range, user, operation, target and outcome, and paged. Only the project's admins may read it: for anyone else
// the API answers 403, and the page says so in words.
(() => {
  const PAGE_SIZE = 25;

  let offset = 0;
  let listPager;
  let running = false; // between start and stop (logged in)
  let calls = 0;       // the latest load's number: an older answer that arrives later is dropped
  const operations = new Set(); // seen so far: offered in the operation filter

  function buildPage(section) {
    listPager = pager(PAGE_SIZE, at => load(at));
    const filter = (label, input) => el('label', {}, label, input);
    const form = el('form', { id: 'audit-filters', class: 'audit-filters' },
      filter('From (your time)', el('input', { name: 'start_time', type: 'datetime-local', step: 1 })),
      filter('To', el('input', { name: 'end_time', type: 'datetime-local', step: 1 })),
      filter('User', el('input', { name: 'user_name', placeholder: 'e.g. admin' })),
      filter('Operation', el('input', { name: 'operation', placeholder: 'e.g. POST /scheduled-tasks' })),
      el('datalist', { id: 'audit-operations' }),
      filter('Target id', el('input', { name: 'target_id' })),
      filter('Outcome', el('select', { name: 'outcome' }, el('option', { value: '' }, 'any'),
        el('option', { value: 'SUCCESS' }, 'success'), el('option', { value: 'FAILURE' }, 'failure'))),
      el('div', { class: 'audit-buttons' },
        el('button', { type: 'submit' }, 'Search'),
        el('button', { type: 'button', onclick: () => { form.reset(); load(0); } }, 'Clear')));
    form.operation.setAttribute('list', 'audit-operations');
    form.addEventListener('submit', event => { event.preventDefault(); load(0); });
    section.replaceChildren(el('section', {},
      el('h2', {}, 'Audit trail ', el('span', { id: 'audit-count', class: 'muted' })),
      el('p', { id: 'audit-forbidden', class: 'audit-forbidden', hidden: true }),
      el('div', { id: 'audit-body' },
        form,
        el('p', { id: 'audit-error', class: 'error', role: 'alert' }),
        el('table', { id: 'audit' },
          el('thead', {}, el('tr', {}, ...['Time', 'Who', 'Operation', 'Targets', 'Outcome', 'From'].map(h => el('th', {}, h)))),
          el('tbody')),
        listPager.element)));
  }

  /** The filters as query parameters; a local date-time becomes the instant the API takes. */
  function query(at) {
    const form = $('#audit-filters');
    const params = new URLSearchParams({ limit: PAGE_SIZE, offset: at });
    for (const name of ['user_name', 'operation', 'target_id', 'outcome']) {
      const value = form[name].value.trim();
      if (value) params.set(name, value);
    }
    for (const name of ['start_time', 'end_time']) {
      if (form[name].value) params.set(name, new Date(form[name].value).toISOString());
    }
    return params;
  }

  async function load(at = offset) {
    const call = ++calls;
    try {
      const list = await api(`/audit-events?${query(at)}`);
      if (call !== calls) return; // a newer search answers instead
      offset = at;
      $('#audit-error').textContent = '';
      $('#audit-count').textContent = `(${list.total_count})`;
      $('#audit tbody').replaceChildren(...list.audit_events.map(row));
      listPager.show(at, list.audit_events.length, list.total_count);
      list.audit_events.forEach(e => operations.add(e.operation));
      $('#audit-operations').replaceChildren(...[...operations].sort().map(o => el('option', { value: o })));
    } catch (e) {
      if (e instanceof ApiError && e.status === 403) {
        // Not an error of the page: this user may not read the trail. Say so instead of showing empty filters.
        $('#audit-body').hidden = true;
        const notice = $('#audit-forbidden');
        notice.hidden = false;
        notice.textContent = `${e.body?.error_msg || 'Only the project\'s admins may read its audit trail.'} `
          + `You are logged in as ${session.user}${session.canWrite ? '' : ' (read only)'}.`;
        return;
      }
      showError($('#audit-error'), e);
    }
  }

  /** A button that filters the trail by this value (a user, a target). */
  function filterBy(name, value, text = value) {
    return el('button', { type: 'button', class: 'link audit-filter-by', title: `Show only ${name.replace('_', ' ')} ${value}`,
      onclick: () => { $('#audit-filters')[name].value = value; load(0); } }, text);
  }

  function row(e) {
    const who = e.user_name ? filterBy('user_name', e.user_name) : (e.actor_type === 'SYSTEM' ? 'system' : e.actor_type.toLowerCase());
    const operation = e.request_summary
      ? el('details', {}, el('summary', {}, e.operation), el('pre', { class: 'audit-summary' }, e.request_summary))
      : e.operation;
    return el('tr', { 'data-id': e.id, 'data-outcome': e.outcome },
      el('td', { title: e.occurred_at }, localTime(e.occurred_at)),
      el('td', { class: 'audit-who' }, who, e.role ? el('span', { class: 'muted' }, ` ${e.role}`) : '',
        e.access_key ? el('div', { class: 'muted' }, `key ${e.access_key}`) : '',
        e.scheduled_task_id ? el('div', { class: 'muted' }, 'for a scheduled task') : ''),
      el('td', { class: 'audit-operation' }, operation),
      el('td', { class: 'audit-targets' }, ...(e.target_ids || []).flatMap((id, i) => [i ? ' ' : '', filterBy('target_id', id)])),
      el('td', { class: `audit-outcome audit-${e.outcome}` }, e.outcome.toLowerCase(),
        e.status_code ? ` ${e.status_code}` : '', e.error_code ? el('div', { class: 'muted' }, e.error_code) : ''),
      el('td', { class: 'muted' }, e.client_address || ''));
  }

  registerPage({
    id: 'audit',
    title: 'Audit trail',
    async start(section) {
      buildPage(section);
      running = true;
      await load(0);
    },
    stop() { running = false; }
  });

  // The newest events on each visit.
  window.addEventListener('hashchange', () => {
    if (running && location.hash === '#audit') load();
  });
})();
