import { MoleculeError } from '@molecule/core'

/** A skills call that cannot go on (a bad option, a skill folder that is not one); loading problems are `SkillProblem`s. */
export class SkillError extends MoleculeError {}
