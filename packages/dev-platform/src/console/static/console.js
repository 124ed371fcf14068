// The dev console's page script: no framework, no build. It listens to /console/stream (server-sent events: one
// `snapshot`, then `batch` frames) and patches the tables in place. Every text goes in with textContent.

/** Rows kept per table (the platform sends no more than this either). */
const LIMITS = { timeline: 200, delegations: 50, approvals: 50, memories: 50, activity: 200 }

/** What the browser test reads: frames applied and the slowest one, measured with performance marks. */
const stats = { frames: 0, maxApplyMs: 0, lastApplyMs: 0, snapshotMs: 0 }
window.moleculeConsole = stats

let clockOffset = 0
const workspaces = new Map()

const $ = (id) => document.getElementById(id)

/** An element with attributes (`class`, `aria-*`, `data-*`, `href`…) and children (strings become text). */
function el(tag, attrs, ...children) {
  const node = document.createElement(tag)
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value !== undefined && value !== null) node.setAttribute(name, String(value))
  }
  for (const child of children) {
    if (child === null || child === undefined) continue
    node.append(typeof child === 'string' || typeof child === 'number' ? String(child) : child)
  }
  return node
}

const td = (text, cls) => el('td', cls ? { class: cls } : undefined, text ?? '')
const time = (ms) => new Date(ms).toLocaleTimeString([], { hour12: false })

function partyNode(party) {
  return party.id
    ? el('a', { href: `/console/workspaces/${encodeURIComponent(party.id)}` }, party.name)
    : party.name
}

function fromTo(from, to) {
  return el('td', null, partyNode(from), ' → ', partyNode(to))
}

function age(ms) {
  if (ms === null || ms === undefined) return 'never'
  const seconds = Math.max(0, Math.round((Date.now() + clockOffset - ms) / 1000))
  if (seconds < 60) return `${seconds}s ago`
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ago`
  return `${Math.floor(seconds / 3600)}h ago`
}

// ── rows ─────────────────────────────────────────────────────────────────────────────────────────────────────────

function workspaceRow(ws) {
  const inbox = ws.inboxDepth === null ? '—' : `${ws.inboxDepth} unread`
  const queued = ws.queued > 0 ? ` (+${ws.queued} queued)` : ''
  const row = el(
    'tr',
    { 'data-id': ws.id },
    el('th', { scope: 'row' }, partyNode({ id: ws.id, name: ws.name })),
    td(ws.status, `status-${ws.status}`),
    td(ws.runtime || '—'),
    td(ws.deliveryMode),
    td(ws.currentTask || '—'),
    td(`${ws.activeTasks} of ${ws.maxTasks}${queued}`),
    td(inbox),
    el('td', { class: 'age' }, age(ws.lastHeartbeatAt)),
  )
  row.beat = ws.lastHeartbeatAt
  return row
}

function timelineRow(entry) {
  return el(
    'tr',
    { 'data-id': entry.id },
    td(time(entry.at), 'time'),
    fromTo(entry.from, entry.to),
    td(entry.text),
    td(entry.reply || entry.error),
    td(entry.latencyMs === null ? '—' : `${entry.latencyMs} ms`),
    td(entry.status, `status-${entry.status}`),
  )
}

function delegationRow(entry) {
  return el(
    'tr',
    { 'data-id': entry.id },
    td(time(entry.at), 'time'),
    fromTo(entry.from, entry.to),
    td(entry.task),
    td(entry.status, `status-${entry.status}`),
    td(entry.result),
  )
}

function memoryRow(entry) {
  return el(
    'tr',
    { 'data-id': entry.id },
    td(time(entry.at), 'time'),
    el('td', null, partyNode(entry.workspace)),
    td(entry.scope),
    td(entry.namespace),
    td(entry.content),
  )
}

function activityRow(entry) {
  return el(
    'tr',
    { 'data-id': entry.id },
    td(time(entry.at), 'time'),
    el('td', null, partyNode(entry.workspace)),
    td(entry.type),
    td(entry.method),
    td(entry.summary),
    td(entry.status, `status-${entry.status}`),
  )
}

/** Approve / Deny call the platform's decide route; the session cookie is the credential. */
async function decide(entry, decision, cell) {
  for (const button of cell.querySelectorAll('button')) button.disabled = true
  const note = $('approvals-note')
  const url = `/workspaces/${encodeURIComponent(entry.workspace.id)}/approvals/${encodeURIComponent(entry.id)}/decide`
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ decision, decided_by: 'console' }),
    })
    if (!res.ok) {
      const body = await res.json().catch(() => ({}))
      throw new Error(body.error ?? `HTTP ${res.status}`)
    }
    note.textContent = `${entry.action}: ${decision}`
  } catch (err) {
    note.textContent = `Could not record the decision on "${entry.action}": ${err.message}`
    for (const button of cell.querySelectorAll('button')) button.disabled = false
  }
}

function approvalRow(entry) {
  const cell = el('td')
  if (entry.status === 'pending') {
    const who = `${entry.action} from ${entry.workspace.name}`
    const approve = el(
      'button',
      { type: 'button', class: 'approve', 'aria-label': `Approve ${who}` },
      'Approve',
    )
    const deny = el('button', { type: 'button', class: 'deny', 'aria-label': `Deny ${who}` }, 'Deny')
    approve.addEventListener('click', () => decide(entry, 'approved', cell))
    deny.addEventListener('click', () => decide(entry, 'denied', cell))
    cell.append(approve, ' ', deny)
  } else {
    cell.textContent = entry.decidedBy ? `by ${entry.decidedBy}` : ''
  }
  const reason = entry.context
    ? el('details', null, el('summary', null, entry.reason || 'context'), el('pre', null, entry.context))
    : entry.reason
  return el(
    'tr',
    { 'data-id': entry.id, 'data-status': entry.status },
    td(time(entry.at), 'time'),
    el('td', null, partyNode(entry.workspace)),
    td(entry.action),
    el('td', null, reason),
    td(entry.status, `status-${entry.status}`),
    cell,
  )
}

// ── tables ───────────────────────────────────────────────────────────────────────────────────────────────────────

const TABLES = ['workspaces', 'timeline', 'delegations', 'approvals', 'memories', 'activity']
const body = (id) => $(id).tBodies[0]
/** The rows of each table by entry id: a lookup per update, never a DOM query. */
const rowsOf = Object.fromEntries(TABLES.map((table) => [table, new Map()]))

function clear(table) {
  body(table).replaceChildren()
  rowsOf[table].clear()
}

/** Replaces the row with the same id, or adds the new one at the top (newest first); trims the oldest. */
function upsert(table, entries, render, limit) {
  const tbody = body(table)
  const rows = rowsOf[table]
  for (const entry of entries) {
    const row = render(entry)
    const old = rows.get(entry.id)
    if (old) old.replaceWith(row)
    else tbody.prepend(row)
    rows.set(entry.id, row)
  }
  while (tbody.rows.length > limit) {
    const last = tbody.rows[tbody.rows.length - 1]
    rows.delete(last.dataset.id)
    last.remove()
  }
}

/** Pending approvals on top, then decided ones, newest first within each. */
function sortApprovals() {
  const tbody = body('approvals')
  const rows = [...tbody.rows]
  const pending = rows.filter((row) => row.dataset.status === 'pending')
  if (pending.length === 0 || tbody.rows[pending.length - 1]?.dataset.status === 'pending') return
  tbody.prepend(...pending)
}

function putWorkspace(ws) {
  workspaces.set(ws.id, ws)
  const row = workspaceRow(ws)
  const old = rowsOf.workspaces.get(ws.id)
  if (old) old.replaceWith(row)
  else body('workspaces').append(row)
  rowsOf.workspaces.set(ws.id, row)
}

function beat(id, at) {
  const ws = workspaces.get(id)
  if (!ws) return
  ws.lastHeartbeatAt = at
  const row = rowsOf.workspaces.get(id)
  if (row) {
    row.beat = at
    row.cells[7].textContent = age(at)
  }
}

function refreshAges() {
  for (const row of body('workspaces').rows) {
    const text = age(row.beat)
    if (row.cells[7].textContent !== text) row.cells[7].textContent = text
  }
}

// ── stream ───────────────────────────────────────────────────────────────────────────────────────────────────────

function applySnapshot(s) {
  clockOffset = s.now - Date.now()
  workspaces.clear()
  for (const table of TABLES) clear(table)
  for (const ws of s.workspaces) putWorkspace(ws)
  upsert('timeline', s.timeline, timelineRow, LIMITS.timeline)
  upsert('delegations', s.delegations, delegationRow, LIMITS.delegations)
  upsert('approvals', s.approvals, approvalRow, LIMITS.approvals)
  sortApprovals()
  upsert('memories', s.memories, memoryRow, LIMITS.memories)
  upsert('activity', s.activity, activityRow, LIMITS.activity)
}

function applyBatch(b) {
  clockOffset = b.now - Date.now()
  for (const ws of b.workspaces ?? []) putWorkspace(ws)
  for (const id of b.removed ?? []) {
    workspaces.delete(id)
    rowsOf.workspaces.get(id)?.remove()
    rowsOf.workspaces.delete(id)
  }
  for (const [id, at] of Object.entries(b.beats ?? {})) beat(id, at)
  if (b.timeline) upsert('timeline', b.timeline, timelineRow, LIMITS.timeline)
  if (b.delegations) upsert('delegations', b.delegations, delegationRow, LIMITS.delegations)
  if (b.approvals) {
    upsert('approvals', b.approvals, approvalRow, LIMITS.approvals)
    sortApprovals()
  }
  if (b.memories) {
    clear('memories')
    upsert('memories', b.memories, memoryRow, LIMITS.memories)
  }
  if (b.activity) upsert('activity', b.activity, activityRow, LIMITS.activity)
}

/** Runs one frame's work between performance marks and keeps the numbers the test reads. */
function measured(name, work) {
  performance.mark(`${name}:start`)
  work()
  const { duration } = performance.measure(name, `${name}:start`)
  performance.clearMarks(`${name}:start`)
  performance.clearMeasures(name)
  if (name === 'console-snapshot') {
    stats.snapshotMs = duration
    return
  }
  stats.frames++
  stats.lastApplyMs = duration
  if (duration > stats.maxApplyMs) stats.maxApplyMs = duration
}

function connect() {
  const status = $('connection')
  const source = new EventSource('/console/stream')
  source.addEventListener('open', () => {
    status.textContent = 'live'
  })
  source.addEventListener('error', () => {
    status.textContent = 'reconnecting…'
  })
  source.addEventListener('snapshot', (event) =>
    measured('console-snapshot', () => applySnapshot(JSON.parse(event.data))),
  )
  source.addEventListener('batch', (event) =>
    measured('console-apply', () => applyBatch(JSON.parse(event.data))),
  )
  // Local only: heartbeat ages move with the clock; nothing is fetched.
  setInterval(() => measured('console-ages', refreshAges), 1000)
}

function signIn(form) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    const res = await fetch('/console/session', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token: form.elements.token.value }),
    })
    if (res.ok) location.reload()
    else $('sign-in-error').textContent = 'That is not the admin token.'
  })
}

if ($('sign-in')) signIn($('sign-in'))
else connect()
