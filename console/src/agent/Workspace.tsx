/** Built by the agent workspace work (issue 13). */
export function Workspace(props: { conversationId?: string }) {
  return <h1>Conversations {props.conversationId}</h1>;
}
