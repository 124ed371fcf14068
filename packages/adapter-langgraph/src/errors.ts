import { MoleculeError } from '@molecule/core'

/** A local mistake in the LangGraph adapter's settings (model, provider, runtime_config). */
export class LangGraphAdapterError extends MoleculeError {}
