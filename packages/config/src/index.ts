export { isMoleculeError, MoleculeError, type MoleculeErrorOptions } from './errors.ts'
