import { packageBuild } from '../../tooling/tsup.shared.ts'

const entry = { index: 'src/index.ts', a2a: 'src/a2a/index.ts', runtime: 'src/runtime/index.ts' }

export default packageBuild({
  entry,
  // @molecule/core (the error family and Logger contract) is bundled, code and types, so a template's production
  // closure is zod alone. Its errors are recognised across the copies by their Symbol.for brand.
  noExternal: ['@molecule/core'],
  dts: { entry, resolve: ['@molecule/core'] },
})
