import { MoleculeError } from '@molecule/core'

/** A sandbox that cannot run code at all: a missing tool, namespaces the kernel refuses, a bad limit. */
export class SandboxError extends MoleculeError {}
