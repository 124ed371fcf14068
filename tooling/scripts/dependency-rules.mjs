// The dependency rules of ARCHITECTURE.md that more than one check enforces (check-deps.mjs on the installed
// tree, the mcp-bridge smoke install on a real `npm install`).

/** Production closures that must never contain these package names. */
export const FORBIDDEN_IN_CLOSURE = {
  '@molecule/mcp-bridge': [
    'hono',
    '@hono/node-server',
    'chokidar',
    '@molecule/skills',
    '@molecule/plugins',
    '@molecule/a2a-server',
  ],
  '@molecule/adapter-core': ['hono', '@hono/node-server', 'chokidar'],
  '@molecule/platform-client': ['hono', '@hono/node-server', 'chokidar', 'pino'],
}
