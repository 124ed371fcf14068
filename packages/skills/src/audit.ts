/**
 * One audit record from the skills package, in the audit log's vocabulary: `skill_reload / reload / <skill> /
 * success|failure` per reload, `security_scan / skill.security_scan / <skill> / clean|vulnerable|skipped` per scan;
 * the other keys are the event's details (`changed_files`, `tool_count`, `error`, counts …).
 */
export interface SkillAuditEvent {
  event_type: 'skill_reload' | 'security_scan'
  action: 'reload' | 'skill.security_scan'
  /** The skill id. */
  resource: string
  outcome: string
  [detail: string]: unknown
}

/** Receives audit events; it must not throw (a throw is caught and logged, never passed on). */
export type AuditSink = (event: SkillAuditEvent) => void
