import type { BaseChatModel } from '@langchain/core/language_models/chat_models'
import { type AIMessage, SystemMessage } from '@langchain/core/messages'
import { END, MessagesAnnotation, START, StateGraph } from '@langchain/langgraph'
import { ToolNode } from '@langchain/langgraph/prebuilt'
import type { AgentSnapshot } from './agent-state.js'

/** The compiled ReAct graph of one prompt-and-tools snapshot. */
export type AgentGraph = ReturnType<typeof buildAgentGraph>

/**
 * A ReAct loop as a LangGraph state graph: the `agent` node calls the model (system prompt first) with the tools
 * bound; when the reply asks for tools the `tools` node runs them and the loop goes back to the model; a reply
 * without tool calls ends the run. Tool failures become tool messages the model reads, not exceptions.
 */
export function buildAgentGraph(model: BaseChatModel, snapshot: AgentSnapshot) {
  const tools = [...snapshot.tools]
  if (tools.length > 0 && typeof model.bindTools !== 'function')
    throw new TypeError(`chat model ${model.getName()} cannot call tools (no bindTools)`)
  const bound = tools.length > 0 && model.bindTools ? model.bindTools(tools) : model
  const system = snapshot.systemPrompt ? [new SystemMessage(snapshot.systemPrompt)] : []
  const callModel = async (state: typeof MessagesAnnotation.State, config: object) => {
    const reply = await bound.invoke([...system, ...state.messages], config)
    return { messages: [reply] }
  }
  const next = (state: typeof MessagesAnnotation.State) => {
    const last = state.messages.at(-1) as AIMessage | undefined
    return last?.tool_calls?.length ? 'tools' : END
  }
  return new StateGraph(MessagesAnnotation)
    .addNode('agent', callModel)
    .addNode('tools', new ToolNode(tools, { handleToolErrors: true }))
    .addEdge(START, 'agent')
    .addConditionalEdges('agent', next, ['tools', END])
    .addEdge('tools', 'agent')
    .compile()
}
