#!/usr/bin/env node
// Committed shim so package managers can link the bin before the first build. In a checkout that was not built
// yet, dist/ is missing: say so in one line instead of a module-resolution stack trace.
try {
  await import('../dist/cli.js')
} catch (err) {
  const notBuilt = err?.code === 'ERR_MODULE_NOT_FOUND' && /[\\/]dist[\\/]/.test(String(err.message))
  if (!notBuilt) throw err
  process.stderr.write(
    'molecule-runtime: this checkout is not built yet (a dist/ file is missing). Fix: run `pnpm build` at the repository root, then run molecule-runtime again.\n',
  )
  process.exit(1)
}
