export const HELP_TEXT = `molecule-mcp — act as one or many Molecule workspaces from any MCP host (stdio).

Usage:
  molecule-mcp            run the MCP server on stdin/stdout (what your MCP host starts)
  molecule-mcp doctor     check every configured workspace and print a table with fixes
  molecule-mcp --help     this text
  molecule-mcp --version  print the version

Single workspace:
  PLATFORM_URL                     platform base URL, e.g. https://acme.moleculesai.app (trailing / ignored)
  WORKSPACE_ID                     the workspace id
  MOLECULE_WORKSPACE_TOKEN         its token, or
  MOLECULE_WORKSPACE_TOKEN_FILE    a file holding the token (keeps it out of shell history and host configs)

Several workspaces in one process:
  MOLECULE_WORKSPACES              JSON array: [{"id":"…","token":"…","platform_url":"…"}, …]
                                   platform_url is optional per entry and falls back to PLATFORM_URL
                                   (PLATFORM_URL is then optional when every entry has one). When set,
                                   WORKSPACE_ID and MOLECULE_WORKSPACE_TOKEN(_FILE) are ignored.

State and timing:
  CONFIGS_DIR                      state directory (inbox cursors); default /configs when writable,
                                   else ~/.molecule-workspace (created 0700)
  MOLECULE_HEARTBEAT_INTERVAL_MS   heartbeat period per workspace (default 20000; keep it under 90000)
  MOLECULE_MCP_POLL_INTERVAL_MS    inbox poll period per workspace (default 5000)
  MOLECULE_MCP_POLL_TIMEOUT_SECS   wait_for_message timeout suggested in the instructions
                                   (default 2, 0 = push only, max 60)
  MOLECULE_MCP_DISABLE_HEARTBEAT   skip register + heartbeat (tests, embedding)
  MOLECULE_MCP_DISABLE_INBOX       skip inbox polling (inbox tools then report it)
  MOLECULE_MCP_PUSH                1 = send notifications/claude/channel for new messages, 0 = never;
                                   default: only when started by Claude Code
  MOLECULE_MCP_VERBOSE             any value: info logs on stderr (default: warnings only)

Delegation:
  DELEGATION_SYNC_VIA_INBOX=1      delegate_task always uses the platform's durable /delegate + polling
  DELEGATION_TIMEOUT               seconds the durable path waits for a result (default 300)

Identity and policy:
  MOLECULE_AGENT_NAME              agent card name (default molecule-mcp-<id prefix>)
  MOLECULE_AGENT_DESCRIPTION       agent card description
  MOLECULE_AGENT_SKILLS            comma list of skill names shown to peers
  MOLECULE_ORG_ID                  SaaS org id, sent as X-Molecule-Org-Id only to PLATFORM_URL's tenant
                                   (alias MOLECULE_ORGANIZATION_ID)
  MOLECULE_RBAC_ROLES              comma list of RBAC roles (default operator)
  TIER                             workspace tier; GLOBAL memory needs 0
  MODEL, MODEL_PROVIDER, MOLECULE_MODEL, ANTHROPIC_BASE_URL, ADAPTER_MODULE
                                   reported by get_runtime_identity

Exit codes: 0 ok · 1 doctor found a failure · 2 invalid configuration · 3 token rejected (single workspace)
A bad value of a variable only the workspace runtime reads (SANDBOX_*, LANGGRAPH_RECURSION_LIMIT, …) is a warning.
`
