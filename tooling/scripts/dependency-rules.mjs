// The dependency rules of docs/ARCHITECTURE.md that more than one check enforces (check-deps.mjs on the installed
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
    // The default agent and LangChain: heavy, and only a runtime that chose `runtime: langgraph` loads them.
    '@molecule/adapter-langgraph',
    '@langchain/core',
    '@langchain/langgraph',
    // The audit ledger and its database drivers belong to the runtime only.
    '@molecule/audit-ledger',
    'better-sqlite3',
    'pg',
    // Tracing is the runtime's: the libraries the bridge uses offer hooks and never load OpenTelemetry.
    '@opentelemetry/api',
    '@opentelemetry/sdk-trace-node',
    '@opentelemetry/exporter-trace-otlp-http',
  ],
  '@molecule/tools': ['@molecule/audit-ledger', 'better-sqlite3', 'pg'],
  '@molecule/platform-client': ['hono', '@hono/node-server', 'chokidar', 'pino', '@opentelemetry/api'],
  // The plugins package and third-party loaders install it: no server, no logger implementation.
  '@molecule/skills': ['hono', '@hono/node-server', 'pino', '@molecule/a2a-server'],
  // The runtime imports the LangGraph adapter only when config chooses it (an optional peer, never a dependency).
  '@molecule/runtime': ['@molecule/adapter-langgraph', '@langchain/core', '@langchain/langgraph'],
  // Plugin tooling (the runtime, the CLI, a template's installPlugins) loads it: no server, watcher or logger.
  '@molecule/plugins': [
    'hono',
    '@hono/node-server',
    'chokidar',
    'pino',
    '@molecule/a2a-server',
    '@molecule/skills',
  ],
}

/** Production closures that must be exactly these package names (templates install adapter-core: zod alone). */
export const EXACT_CLOSURE = {
  '@molecule/adapter-core': ['zod'],
}

/**
 * Workspace packages a package may depend on at all (dev dependencies included), where the graph is restricted:
 * the dev platform stands in for the real platform and must not share code with the runtime packages it serves —
 * only the zero-dependency base and the logger factory.
 */
export const ALLOWED_WORKSPACE_DEPS = {
  '@molecule/dev-platform': [
    '@molecule/core',
    '@molecule/logger',
    '@molecule/tsconfig',
    '@molecule/test-support',
  ],
}

/** The longest a non-test source file may grow before it is split by concept. */
export const MAX_SOURCE_LINES = 400
