import { findSensitive } from '../../../services/messages/mask-sensitive.js';
import { AppError } from '../../errors.js';

export class SensitiveDataInTextError extends AppError {
  readonly status = 422;
  readonly defaultCode = 'sensitive_data_in_text';
}

/**
 * Agents' free text (replies, transfer notes, close reasons) is refused,
 * before it reaches Temporal or the transcript, when it holds a card number
 * or SSN-like value by the same rule that masks consumers' text. Refused
 * rather than masked: the agent knows what they pasted and can rephrase; a
 * silently starred reply could mislead the consumer. The message names the
 * field and the kind of value, never the value.
 */
export function refuseSensitiveAgentText(fields: Record<string, string | undefined>): void {
  for (const [name, text] of Object.entries(fields)) {
    if (!text) continue;
    const found = findSensitive(text);
    if (found.cards === 0 && found.ssns === 0) continue;
    const what = [found.cards > 0 ? 'a card number' : '', found.ssns > 0 ? 'a Social Security number' : ''].filter(Boolean).join(' and ');
    throw new SensitiveDataInTextError({
      message: `The ${name} looks like it contains ${what}; it was not sent or stored. Remove it (use a secure form to collect card or identity details).`,
      details: [{ in: 'body', path: name, cards: found.cards, ssns: found.ssns }],
    });
  }
}
