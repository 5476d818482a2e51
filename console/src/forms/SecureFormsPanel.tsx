import type { Conversation } from '../api/types';

/** Built by the secure forms work (issue 13). */
export function SecureFormsPanel(props: { conversation: Conversation; canSend: boolean }) {
  return <h3>Secure forms {props.conversation.id} {String(props.canSend)}</h3>;
}
