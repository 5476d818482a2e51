/**
 * Deterministic workflow ids. They are visible unencrypted in Temporal, so
 * they hold ids and pseudonyms only, never a phone number or PSID.
 */
export const conversationWorkflowId = (input: { brandId: string; entryPointId: string; consumerPseudonym: string }) =>
  `conversation:${input.brandId}:${input.entryPointId}:${input.consumerPseudonym}`;

export const messageStatusWorkflowId = (input: { provider: string; eventKey: string; status: string }) =>
  `message-status:${input.provider}:${input.eventKey}:${input.status}`;
