/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx'
import { cardView } from './agent-card-view.js'
import type { ApprovalEntry } from './records.js'
import type { TimelineEntry } from './traffic.js'
import type { WorkspaceSummary } from './workspace-summary.js'

const STATIC = '/console/static'

function Layout({ title, children, script = true }: { title: string; children: Child; script?: boolean }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title}</title>
        <link rel="stylesheet" href={`${STATIC}/console.css`} />
        {script ? <script type="module" src={`${STATIC}/console.js`} /> : null}
      </head>
      <body>{children}</body>
    </html>
  )
}

/** A table whose body the page script fills and keeps live; `columns` are the header cells. */
function LiveTable({ id, caption, columns }: { id: string; caption: string; columns: string[] }) {
  return (
    <table id={id} aria-live="off">
      <caption>{caption}</caption>
      <thead>
        <tr>
          {columns.map((name) => (
            <th scope="col">{name}</th>
          ))}
        </tr>
      </thead>
      <tbody />
    </table>
  )
}

/** The console: every section starts empty and is filled from the live stream (`/console/stream`). */
export function ConsolePage() {
  return (
    <Layout title="Molecule dev console">
      <header>
        <h1>Molecule dev console</h1>
        <p id="connection" role="status">
          connecting…
        </p>
      </header>
      <main>
        <section aria-labelledby="approvals-title">
          <h2 id="approvals-title">Approvals</h2>
          <p id="approvals-note" role="status" aria-live="polite" />
          <LiveTable
            id="approvals"
            caption="Requests for a human decision, pending first"
            columns={['Asked', 'Workspace', 'Action', 'Reason', 'Status', 'Decision']}
          />
        </section>
        <section aria-labelledby="workspaces-title">
          <h2 id="workspaces-title">Workspaces</h2>
          <LiveTable
            id="workspaces"
            caption="Every workspace the platform knows"
            columns={[
              'Name',
              'Status',
              'Runtime',
              'Delivery',
              'Current task',
              'Active tasks',
              'Inbox',
              'Last heartbeat',
            ]}
          />
        </section>
        <section aria-labelledby="timeline-title">
          <h2 id="timeline-title">Messages</h2>
          <LiveTable
            id="timeline"
            caption="A2A traffic through the platform, newest first"
            columns={['Time', 'From → to', 'Message', 'Reply', 'Latency', 'Status']}
          />
        </section>
        <section aria-labelledby="delegations-title">
          <h2 id="delegations-title">Delegations</h2>
          <LiveTable
            id="delegations"
            caption="Tasks one workspace handed to another, newest first"
            columns={['Time', 'From → to', 'Task', 'Status', 'Result']}
          />
        </section>
        <section aria-labelledby="memories-title">
          <h2 id="memories-title">Memories</h2>
          <LiveTable
            id="memories"
            caption="Memories workspaces committed, newest first"
            columns={['Time', 'Workspace', 'Scope', 'Namespace', 'Content']}
          />
        </section>
        <section aria-labelledby="activity-title">
          <h2 id="activity-title">Activity</h2>
          <LiveTable
            id="activity"
            caption="Every activity row, newest first"
            columns={['Time', 'Workspace', 'Type', 'Method', 'Summary', 'Status']}
          />
        </section>
      </main>
    </Layout>
  )
}

/** Shown instead of the console when the platform has an admin token and the browser has no session yet. */
export function SignInPage() {
  return (
    <Layout title="Sign in: Molecule dev console">
      <main>
        <h1>Molecule dev console</h1>
        <form id="sign-in">
          <p>This platform has an admin token (MOLECULE_DEV_ADMIN_TOKEN). Enter it to open the console.</p>
          <label for="admin-token">Admin token</label>
          <input id="admin-token" name="token" type="password" autocomplete="off" required />
          <button type="submit">Open the console</button>
          <p id="sign-in-error" role="alert" />
        </form>
      </main>
    </Layout>
  )
}

const time = (ms: number) => new Date(ms).toISOString().slice(11, 19)

export interface WorkspacePageData {
  summary: WorkspaceSummary
  card: unknown
  tasks: TimelineEntry[]
  approvals: ApprovalEntry[]
}

/** One workspace: its row, its agent card and skills, the tasks it was sent recently. Rendered on the server. */
export function WorkspacePage({ summary, card, tasks, approvals }: WorkspacePageData) {
  const view = cardView(card)
  return (
    <Layout title={`${summary.name}: Molecule dev console`} script={false}>
      <header>
        <p>
          <a href="/">← all workspaces</a>
        </p>
        <h1>{summary.name}</h1>
        <dl class="facts">
          <dt>Id</dt>
          <dd>
            <code>{summary.id}</code>
          </dd>
          <dt>Status</dt>
          <dd class={`status-${summary.status}`}>{summary.status}</dd>
          <dt>Runtime</dt>
          <dd>{summary.runtime || '—'}</dd>
          <dt>Delivery</dt>
          <dd>{summary.deliveryMode}</dd>
          <dt>Active tasks</dt>
          <dd>
            {summary.activeTasks} of {summary.maxTasks}
          </dd>
          <dt>Current task</dt>
          <dd>{summary.currentTask || '—'}</dd>
        </dl>
      </header>
      <main>
        <section aria-labelledby="card-title">
          <h2 id="card-title">Agent card</h2>
          {view ? (
            <>
              <p>
                <strong>{view.name}</strong> {view.version ? `v${view.version}` : ''} —{' '}
                {view.description || 'no description'}
              </p>
              <p>Capabilities: {view.capabilities.length > 0 ? view.capabilities.join(', ') : 'none'}</p>
              <h3>Skills</h3>
              {view.skills.length > 0 ? (
                <ul class="skills">
                  {view.skills.map((skill) => (
                    <li>
                      <strong>{skill.name}</strong> {skill.description}
                      {skill.tags.length > 0 ? <span class="tags"> ({skill.tags.join(', ')})</span> : null}
                    </li>
                  ))}
                </ul>
              ) : (
                <p>No skills.</p>
              )}
              <details>
                <summary>The whole card (JSON)</summary>
                <pre>{view.json}</pre>
              </details>
            </>
          ) : (
            <p>No agent card yet: the workspace has not registered.</p>
          )}
        </section>
        <section aria-labelledby="tasks-title">
          <h2 id="tasks-title">Recent tasks</h2>
          {tasks.length > 0 ? (
            <table>
              <caption>Messages this workspace was sent, newest first</caption>
              <thead>
                <tr>
                  {['Time', 'From', 'Message', 'Reply', 'Latency', 'Status'].map((name) => (
                    <th scope="col">{name}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {tasks.map((task) => (
                  <tr>
                    <td>{time(task.at)}</td>
                    <td>{task.from.name}</td>
                    <td>{task.text}</td>
                    <td>{task.reply || task.error}</td>
                    <td>{task.latencyMs === null ? '—' : `${task.latencyMs} ms`}</td>
                    <td class={`status-${task.status}`}>{task.status}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p>No tasks yet.</p>
          )}
        </section>
        <section aria-labelledby="ws-approvals-title">
          <h2 id="ws-approvals-title">Approvals</h2>
          {approvals.length > 0 ? (
            <ul>
              {approvals.map((approval) => (
                <li>
                  {time(approval.at)} <strong>{approval.action}</strong> {approval.reason} — {approval.status}
                </li>
              ))}
            </ul>
          ) : (
            <p>None. Pending requests are decided on the console's front page.</p>
          )}
        </section>
      </main>
    </Layout>
  )
}
