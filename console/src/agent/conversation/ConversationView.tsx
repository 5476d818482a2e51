/** Built by the conversation view work (issue 13). */
export function ConversationView(props: { conversationId: string }) {
  return <h2>Conversation {props.conversationId}</h2>;
}
