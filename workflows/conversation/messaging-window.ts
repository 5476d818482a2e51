/**
 * Messenger's messaging window: a Page may answer freely (RESPONSE) within 24 h
 * of the person's last message, with the HUMAN_AGENT tag up to 7 days, and not
 * after that. Pure, so workflow validators and the delivery activity agree.
 */
export type MessengerWindow =
  | { allowed: true; messagingType: 'RESPONSE' }
  | { allowed: true; messagingType: 'MESSAGE_TAG'; tag: 'HUMAN_AGENT' }
  | { allowed: false; reason: string };

const HOUR = 60 * 60 * 1000;

export function messengerWindow(lastInboundAt: string | Date | undefined, now: Date): MessengerWindow {
  if (!lastInboundAt) return { allowed: false, reason: 'The person has not written to the Page yet; Messenger lets Pages answer only' };
  const elapsed = now.getTime() - new Date(lastInboundAt).getTime();
  if (elapsed < 24 * HOUR) return { allowed: true, messagingType: 'RESPONSE' };
  if (elapsed < 7 * 24 * HOUR) return { allowed: true, messagingType: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' };
  return {
    allowed: false,
    reason: 'More than 7 days since the person last wrote: Messenger allows no reply until they write again',
  };
}
