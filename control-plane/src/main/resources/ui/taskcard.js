'use strict';
// A task as the Overview, Tasks and Run pages show it: what it runs, where (by name), who started it and when; its
// batches as bars that fill live; per desktop the status, the skip or failure reason, the live output tail, the
// whole output and its download; stop and retry buttons for those who may write. Each card follows its task's
// event stream (snapshot, changes, output) until the task ends, or reads it every 2 s when more tasks run than the
// console keeps streams for (TaskCard.follow).

const TERMINAL = new Set(['SUCCESS', 'FAILED', 'TIMEOUT', 'UNDELIVERABLE', 'UNKNOWN', 'CANCELLED', 'SKIPPED']);
const FAILED = new Set(['FAILED', 'TIMEOUT', 'UNDELIVERABLE', 'UNKNOWN']);
const BATCH_NAMES = { 0: 'all', 1: 'gray', 2: 'rest' };
/** Task streams open at once, over every page (see TaskCard.follow), and how often a card without one reads. */
const MAX_TASK_STREAMS = 2;
const POLL_MS = 2000;
const streamingCards = []; // the cards that follow their task's stream, the longest-streaming first
/** Characters of live output kept per desktop: a tail, the whole output is one click away. */
const TAIL_CHARS = 8000;

class TaskCard {
  /** onRetried(newTaskId) is called after a retry from this card started a new task. */
  constructor(task, { onRetried } = {}) {
    this.task = task;
    this.records = new Map();   // record id -> record
    this.tails = new Map();     // record id -> { text, next } (next: the byte offset the next output event starts at)
    this.onRetried = onRetried;
    this.stream = null;
    this.el = this.build();
    this.render();
    this.follow();
  }

  build() {
    const actions = el('span', { class: 'task-actions' });
    if (session.canWrite) {
      actions.append(
        el('button', { type: 'button', class: 'task-stop', onclick: () => this.act('/script-executions/stop', { task_id: this.task.id }) }, 'Stop'),
        el('button', { type: 'button', class: 'task-retry', onclick: () => this.retry({ task_id: this.task.id }) }, 'Retry failed'));
    }
    return el('div', { class: 'task', 'data-task': this.task.id },
      el('div', { class: 'task-head' }, el('strong', { class: 'status' }), el('span', { class: 'task-what' }),
        el('span', { class: 'task-where' }), actions),
      el('div', { class: 'task-meta muted' }, el('span', { class: 'task-who' }), el('span', { class: 'times' }),
        el('span', { class: 'counts' }), el('code', { class: 'task-id' }, this.task.id)),
      el('p', { class: 'task-message', role: 'status' }),
      el('div', { class: 'batches' }),
      el('details', { class: 'results' }, el('summary', {}, 'Per-desktop results'),
        el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, 'Desktop'), el('th', {}, 'Batch'),
          el('th', {}, 'Script'), el('th', {}, 'Status'), el('th', {}, 'Result'), el('th', {}, 'Output'), el('th'))),
          el('tbody'))));
  }

  /**
   * Follows the task's event stream while it runs. A browser opens at most six connections to a host over HTTP/1.1
   * and every stream holds one, so only the MAX_TASK_STREAMS cards asked for most recently stream; an older card
   * gives its stream up and reads its task and records every POLL_MS instead (no live output tail meanwhile).
   */
  follow() {
    if (this.stream || this.poller) return;
    if (this.task.end_time) {
      if (this.records.size === 0) this.loadRecords();
      return;
    }
    if (streamingCards.length >= MAX_TASK_STREAMS) streamingCards[0].poll();
    streamingCards.push(this);
    this.stream = follow(`/script-execution-tasks/${encodeURIComponent(this.task.id)}/events`, (name, data) => {
      if (name === 'task') this.update(data);
      if (name === 'record') this.recordChanged(data);
      if (name === 'output') this.output(data);
      if (name === 'end') this.releaseStream();
    });
  }

  releaseStream() {
    this.stream?.abort();
    this.stream = null;
    const at = streamingCards.indexOf(this);
    if (at >= 0) streamingCards.splice(at, 1);
  }

  /** Reads the task and its records every POLL_MS until the task has ended. */
  poll() {
    this.releaseStream();
    this.poller = setInterval(async () => {
      try {
        const list = await api(`/script-execution-tasks?task_id=${encodeURIComponent(this.task.id)}`);
        if (list.script_tasks[0]) this.task = list.script_tasks[0];
        await this.loadRecords();
        if (this.task.end_time) { clearInterval(this.poller); this.poller = null; }
      } catch (e) { /* shown by loadRecords; the next poll tries again */ }
    }, POLL_MS);
  }

  /** Reads the task's records once (up to 100 desktops and steps shown): a finished task, or a polled one. */
  async loadRecords() {
    try {
      const list = await api(`/script-execution-records?script_task_id=${encodeURIComponent(this.task.id)}&limit=100`);
      list.script_records.forEach(r => this.records.set(r.id, r));
      this.render();
    } catch (e) { showError($('.task-message', this.el), e); }
  }

  stop() {
    this.releaseStream();
    clearInterval(this.poller);
    this.poller = null;
  }

  update(task) {
    this.task = task;
    this.render();
  }

  recordChanged(record) {
    this.records.set(record.id, record);
    this.render();
  }

  /** An output event: appended to the desktop's tail when it continues it; after a gap the stored output is read. */
  output(event) {
    const tail = this.tails.get(event.record_id) || { text: '', next: 0 };
    this.tails.set(event.record_id, tail);
    if (event.offset === tail.next) {
      tail.text = (tail.text + event.output).slice(-TAIL_CHARS);
      tail.next += event.bytes;
    } else if (event.offset > tail.next && !tail.reading) {
      this.readWholeOutput(event.record_id, tail);
    }
    this.renderTail(event.record_id);
  }

  async readWholeOutput(recordId, tail) {
    tail.reading = true;
    try {
      const text = await recordOutput(recordId);
      tail.text = text.slice(-TAIL_CHARS);
      tail.next = new TextEncoder().encode(text).length;
    } catch (e) { /* the next event tries again */ }
    tail.reading = false;
    this.renderTail(recordId);
  }

  renderTail(recordId) {
    const pre = $(`pre.tail[data-record="${CSS.escape(recordId)}"]`, this.el);
    if (!pre) { this.render(); return; }
    const atBottom = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
    pre.textContent = this.tails.get(recordId)?.text || '';
    if (atBottom) pre.scrollTop = pre.scrollHeight;
  }

  async act(path, body) {
    const message = $('.task-message', this.el);
    message.textContent = '';
    message.className = 'task-message';
    try {
      return await api(path, { method: 'POST', body });
    } catch (e) {
      message.className = 'task-message error';
      showError(message, e);
      return null;
    }
  }

  async retry(body) {
    const answer = await this.act('/script-executions/retry', body);
    if (!answer) return;
    $('.task-message', this.el).textContent = `Retried as task ${answer.task_id}`;
    this.onRetried?.(answer.task_id);
  }

  render() {
    const task = this.task, card = this.el;
    const status = $('.status', card);
    status.textContent = task.status;
    status.className = `status status-${task.status}`;
    card.dataset.status = task.status;
    $('.task-what', card).replaceChildren(...whatItRuns(task));
    $('.task-where', card).textContent = whereItRuns(task);
    $('.task-who', card).textContent = `by ${task.created_by || 'unknown'}${task.retry_of ? ` (retry of ${task.retry_of.slice(0, 8)})` : ''}`;
    $('.times', card).textContent = `started ${localTime(task.start_time)}${task.end_time ? `, ended ${localTime(task.end_time)}` : ''}`;
    $('.counts', card).textContent =
      `${countDesktops(task.resource_ids.length)}: ${task.success_num} succeeded, ${task.failed_num} failed, ${task.skip_num} skipped`;
    const running = !TERMINAL.has(task.status) || (task.status === 'CANCELLED' && !task.end_time);
    const stop = $('.task-stop', card), retry = $('.task-retry', card);
    // A WAITING task is held for approval: it is rejected on the Approvals page, not stopped.
    if (stop) stop.hidden = task.status !== 'RUNNING';
    if (retry) retry.hidden = !(TERMINAL.has(task.status) && task.end_time && task.failed_num > 0);
    card.classList.toggle('running', running);

    $('.batches', card).replaceChildren(...batchProgress(task, this.records).map(p => {
      const pct = n => `${p.total ? (100 * n / p.total) : 0}%`;
      return el('div', { class: 'batch', 'data-batch': BATCH_NAMES[p.order], 'data-total': p.total,
          'data-done': p.done, 'data-success': p.success, 'data-failed': p.failed, 'data-skipped': p.skipped },
        el('span', {}, BATCH_NAMES[p.order]),
        el('div', { class: 'bar', title: `${p.done} of ${p.total} done` },
          el('div', { class: 'fill-success', style: `width:${pct(p.success)}` }),
          el('div', { class: 'fill-failed', style: `width:${pct(p.failed)}` }),
          el('div', { class: 'fill-skipped', style: `width:${pct(p.skipped)}` })),
        el('span', { class: 'batch-text muted' },
          `${p.done}/${p.total} done: ${p.success} ok, ${p.failed} failed, ${p.skipped} skipped`));
    }));
    this.renderRows();
  }

  renderRows() {
    const names = new Map((this.task.resource_ids || []).map((id, i) => [id, this.task.resource_names?.[i]]));
    const nameOf = r => r.resource_name || names.get(r.resource_id) || inventory.desktopName(r.resource_id);
    const sorted = [...this.records.values()].sort((a, b) => a.execute_order - b.execute_order
      || nameOf(a).localeCompare(nameOf(b)) || a.id.localeCompare(b.id));
    const tbody = $('.results tbody', this.el);
    // Whole outputs already opened stay open across re-renders.
    const opened = new Map([...tbody.querySelectorAll('pre.output')].map(pre => [pre.dataset.record, pre]));
    tbody.replaceChildren(...sorted.map(r => el('tr', { 'data-record': r.id, 'data-desktop': r.resource_id, 'data-status': r.status },
      el('td', {}, nameOf(r)), el('td', {}, BATCH_NAMES[r.execute_order]),
      el('td', {}, r.script_name || 'command'), el('td', { class: `status-${r.status}` }, r.status),
      el('td', { class: 'reason' }, r.result_code ? `${r.result_code}${r.reason ? `: ${r.reason}` : ''}` : ''),
      this.outputCell(r, opened.get(r.id)), this.recordActions(r))));
  }

  /**
   * What a desktop printed: its live tail while it runs; once over, the whole output on demand. A record that never
   * ran (skipped by a halted gray batch, cancelled before it started, never delivered) shows why instead.
   */
  outputCell(r, opened) {
    const cell = el('td', { class: 'output-cell' });
    if (opened) { cell.append(opened); return cell; }
    if (TERMINAL.has(r.status) && !r.start_time) {
      cell.append(el('span', { class: 'never-ran muted' }, r.reason || `${r.status.toLowerCase()}: never ran`));
      return cell;
    }
    const tail = this.tails.get(r.id);
    if (!TERMINAL.has(r.status)) {
      cell.append(el('pre', { class: 'tail', 'data-record': r.id }, tail?.text || ''));
      return cell;
    }
    cell.append(el('button', { class: 'link show-output', type: 'button', onclick: () => this.showOutput(r, cell) }, 'show'),
      ' ', el('button', { class: 'link download-output', type: 'button', onclick: () => downloadOutput(r, this.task) }, 'download'));
    return cell;
  }

  recordActions(r) {
    const cell = el('td', { class: 'record-actions' });
    if (!session.canWrite) return cell;
    if (r.status === 'RUNNING' || (r.status === 'WAITING' && this.task.status === 'RUNNING')) {
      cell.append(el('button', { type: 'button', class: 'link record-stop',
        onclick: () => this.act('/script-executions/stop', { record_id: r.id }) }, 'stop'));
    }
    if (FAILED.has(r.status) && this.task.end_time) {
      cell.append(el('button', { type: 'button', class: 'link record-retry', onclick: () => this.retry({ record_id: r.id }) }, 'retry'));
    }
    return cell;
  }

  async showOutput(r, cell) {
    try {
      const [text, detail] = await Promise.all([recordOutput(r.id),
        api(`/script-execution-records/${encodeURIComponent(r.id)}`)]);
      cell.replaceChildren(el('pre', { class: 'output', 'data-record': r.id },
        text.replace(/\n$/, '') || '(no output)', detail.exit_code != null ? `\n[exit code ${detail.exit_code}]` : ''),
        el('button', { class: 'link download-output', type: 'button', onclick: () => downloadOutput(r, this.task) }, 'download'));
    } catch (e) { showError(cell, e); }
  }
}

/** The command's text, or the scripts' names. */
function whatItRuns(task) {
  if (task.command_content) {
    return [el('code', { class: 'command', title: task.command_content }, task.command_content.split('\n')[0]),
      el('span', { class: 'muted' }, ` ${task.command_type || ''}`)];
  }
  const names = (task.task_scripts || []).map(s => s.script_name);
  return [el('span', { class: 'scripts' }, names.length ? `script ${names.join(', ')}` : 'scripts')];
}

/** The targets by name: the pool, the tag, or the desktops themselves. */
function whereItRuns(task) {
  const count = task.resource_ids?.length || 0;
  if (task.desktop_pool_id) return `on pool ${task.desktop_pool_name || inventory.poolName(task.desktop_pool_id)} (${countDesktops(count)})`;
  if (task.desktop_tag) return `on tag ${task.desktop_tag} (${countDesktops(count)})`;
  const names = task.resource_names || (task.resource_ids || []).map(id => inventory.desktopName(id));
  return `on ${names.slice(0, 5).join(', ')}${names.length > 5 ? ` and ${names.length - 5} more` : ''}`;
}

const countDesktops = n => `${n} desktop${n === 1 ? '' : 's'}`;

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

/** A record's whole stored output (GET .../output), as text. */
async function recordOutput(recordId) {
  const response = await fetch(`/v2/${encodeURIComponent(session.project)}/script-execution-records/${encodeURIComponent(recordId)}/output`,
    { headers: { 'X-Auth-Token': session.token } });
  if (response.status === 401) throw new Unauthorized();
  if (!response.ok) throw new ApiError(response.status, await response.json().catch(() => null));
  return response.text();
}

/** Saves a record's whole output as a file named after the desktop and the task. */
async function downloadOutput(record, task) {
  const text = await recordOutput(record.id);
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  const name = `${(record.resource_name || record.resource_id).replace(/[^\w.-]+/g, '_')}-${task.id.slice(0, 8)}.log`;
  const link = el('a', { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
