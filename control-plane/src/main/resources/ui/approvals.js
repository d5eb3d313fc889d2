'use strict';
// The approvals page: tasks held because they touch a protected pool or tag, each with what it would run and on
// which desktops, approved or rejected (with a reason) by a second admin. The queue follows the project's event
// stream, so a task held while the page is open appears without a reload.
(() => {
  const PAGE_SIZE = 20;
  const STATUSES = { PENDING_APPROVAL: 'Waiting', APPROVED: 'Approved', REJECTED: 'Rejected', EXPIRED: 'Expired', '': 'All' };

  let stream = null;
  let reloadTimer = null;
  let offset = 0;
  let listPager;
  let calls = 0;                 // the latest load's number: an older answer that arrives later is dropped
  let desktopNames = new Map();  // desktop id -> computer name
  const shown = new Set();       // task ids on the page: their changes reload it

  function buildPage(section) {
    listPager = pager(PAGE_SIZE, at => load(at));
    section.replaceChildren(el('section', {},
      el('h2', {}, 'Approvals ', el('span', { id: 'approvals-count', class: 'muted' })),
      el('p', { class: 'muted' }, 'Tasks on a protected pool or tag wait here until an admin other than the one who ',
        'started them approves. Rejected or expired tasks run nothing.'),
      el('label', { class: 'appr-filter' }, 'Show ',
        el('select', { id: 'approvals-status', onchange: () => load(0) },
          ...Object.entries(STATUSES).map(([v, label]) => el('option', { value: v }, label)))),
      el('p', { id: 'approvals-error', class: 'error', role: 'alert' }),
      el('div', { id: 'approvals' }),
      listPager.element));
  }

  async function load(at = offset) {
    const error = $('#approvals-error');
    const call = ++calls;
    try {
      const status = $('#approvals-status').value;
      const [list, pending] = await Promise.all([
        api(`/approvals?limit=${PAGE_SIZE}&offset=${at}${status ? `&status=${status}` : ''}`),
        api('/approvals?status=PENDING_APPROVAL&limit=1')]);
      const tasks = await Promise.all(list.approvals.map(a => taskOf(a.task_id)));
      if (tasks.some(t => t?.resource_ids.some(id => !desktopNames.has(id)))) await loadDesktopNames();
      if (call !== calls) return; // a newer listing answers instead
      if (list.approvals.length === 0 && at > 0) return load(Math.max(0, at - PAGE_SIZE)); // its last one was decided
      offset = at;
      error.textContent = '';
      shown.clear();
      list.approvals.forEach(a => shown.add(a.task_id));
      $('#approvals').replaceChildren(...(list.approvals.length
        ? list.approvals.map((a, i) => card(a, tasks[i]))
        : [el('p', { class: 'muted appr-empty' }, status === 'PENDING_APPROVAL' ? 'No task is waiting for approval.' : 'None.')]));
      listPager.show(at, list.approvals.length, list.total_count);
      const waiting = pending.total_count;
      $('#approvals-count').textContent = `(${waiting} waiting)`;
      const tab = $('#tabs a[data-page="approvals"]');
      if (tab) tab.textContent = waiting ? `Approvals (${waiting})` : 'Approvals';
    } catch (e) {
      showError(error, e);
    }
  }

  async function taskOf(taskId) {
    const list = await api(`/script-execution-tasks?task_id=${encodeURIComponent(taskId)}&limit=1`);
    return list.script_tasks[0] || null;
  }

  async function loadDesktopNames() {
    const list = await api('/desktops/detail?limit=1000');
    desktopNames = new Map(list.desktops.map(d => [d.desktop_id, d.computer_name]));
  }

  /** What the held task would run (the approval says), and where (the task): its desktops by name. */
  function describe(a, task) {
    const runs = a.command_content != null
      ? [`this ${a.command_type} command:`, el('pre', { class: 'appr-command' }, a.command_content)]
      : [`scripts ${(a.scripts || []).map(s => s.name).join(', ')}`];
    if (!task) return el('div', { class: 'appr-what' }, el('div', {}, 'Runs ', ...runs));
    const desktops = (task.resource_ids || []).map(id => desktopNames.get(id) || id);
    const more = desktops.length > 10 ? ` and ${desktops.length - 10} more` : '';
    return el('div', { class: 'appr-what' },
      el('div', {}, 'Runs ', ...runs),
      el('div', {}, `On ${desktops.length} desktop${desktops.length === 1 ? '' : 's'}: `,
        el('span', { class: 'appr-desktops' }, desktops.slice(0, 10).join(', ') + more)),
      el('div', { class: 'muted' }, 'Task ', el('code', {}, task.id), `, now ${task.status}`));
  }

  function card(a, task) {
    const decided = a.decided_by
      ? `${a.status === 'APPROVED' ? 'approved' : 'rejected'} by ${a.decided_by} at ${localTime(a.decided_at)}${a.reason ? `: ${a.reason}` : ''}`
      : a.status === 'EXPIRED' ? `expired at ${localTime(a.expires_at)}` : `expires at ${localTime(a.expires_at)}`;
    const node = el('div', { class: 'appr-card', 'data-task': a.task_id, 'data-status': a.status },
      el('div', { class: 'appr-head' },
        el('strong', { class: `appr-status appr-${a.status}` }, STATUSES[a.status] || a.status),
        el('span', {}, `requested by ${a.requested_by}${a.scheduled_task_id ? ' (a scheduled task)' : ''} at ${localTime(a.requested_at)}`),
        el('span', { class: 'muted' }, `${a.protected_desktop_count} protected desktop${a.protected_desktop_count === 1 ? '' : 's'}`),
        el('span', { class: 'muted appr-decided' }, decided)),
      describe(a, task));
    if (session.canWrite && a.status === 'PENDING_APPROVAL') node.append(decisionControls(a));
    return node;
  }

  function decisionControls(a) {
    const error = el('p', { class: 'error appr-error', role: 'alert' });
    const reason = el('input', { class: 'appr-reason', placeholder: 'Reason (required to reject)', maxLength: 1024 });
    const own = a.requested_by === session.user;
    const approve = el('button', { type: 'button', class: 'appr-approve', disabled: own,
      title: own ? 'You started this task: another admin must approve it.' : '' }, 'Approve');
    const reject = el('button', { type: 'button', class: 'appr-reject' }, own ? 'Withdraw' : 'Reject');
    const decide = async (decision, body) => {
      error.textContent = '';
      approve.disabled = reject.disabled = true;
      try {
        await api(`/approvals/${encodeURIComponent(a.task_id)}/${decision}`, { method: 'POST', body });
        await load();
      } catch (e) {
        showError(error, e);
        approve.disabled = own;
        reject.disabled = false;
      }
    };
    approve.onclick = () => decide('approve');
    reject.onclick = () => {
      const text = reason.value.trim();
      if (!text) {
        error.textContent = 'A reason is required to reject.';
        reason.focus();
        return;
      }
      decide('reject', { reason: text });
    };
    return el('div', { class: 'appr-actions' }, approve, reason, reject,
      own ? el('span', { class: 'muted' }, 'You started this task: another admin must approve it.') : '', error);
  }

  /** Many task events can arrive at once (a rollout): one reload for them. */
  function reloadSoon() {
    clearTimeout(reloadTimer);
    reloadTimer = setTimeout(() => load(), 300);
  }

  registerPage({
    id: 'approvals',
    title: 'Approvals',
    async start(section) {
      buildPage(section);
      // Follow first, then list, so that a task held in between is not missed.
      // Changes while the stream was down are not replayed: each (re)connection lists again.
      stream = follow('/events', (name, data) => {
        if (name === 'task' && (data.status === 'WAITING' || shown.has(data.id))) reloadSoon();
      }, state => { if (state === 'live') reloadSoon(); });
      await load(0);
    },
    stop() {
      stream?.abort();
      stream = null;
      clearTimeout(reloadTimer);
    }
  });
})();
