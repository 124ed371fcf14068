import { MoleculeError } from '@molecule/core'

/** An inbound message the compliance policy refused (prompt injection in block mode). */
export class PromptInjectionError extends MoleculeError {}

/** A task went past its agency limits (tool calls per task, task duration). */
export class ExcessiveAgencyError extends MoleculeError {}
