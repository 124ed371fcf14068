/**
 * One thing wrong with a skill, always naming the skill, the file and the reason. An `error` means a part of the
 * skill (or the whole skill) could not be loaded; a `warning` means it loaded, but not the way its author meant.
 */
export interface SkillProblem {
  level: 'error' | 'warning'
  /** The skill id (its folder name). */
  skill: string
  /** The file at fault, relative to the skill folder (`SKILL.md`, `scripts/fetch.py`); `.` for the folder itself. */
  file: string
  message: string
}

export function skillProblem(
  level: SkillProblem['level'],
  skill: string,
  file: string,
  message: string,
): SkillProblem {
  return { level, skill, file, message }
}

/** `<id>/<file>: <message>`: one line a log, a CLI or an audit event can show as it is. */
export function describeProblem(problem: SkillProblem): string {
  const where = problem.file === '.' ? problem.skill : `${problem.skill}/${problem.file}`
  return `${where}: ${problem.message}`
}

export function hasErrors(problems: readonly SkillProblem[]): boolean {
  return problems.some((p) => p.level === 'error')
}
