/**
 * Carrier-standard SMS keywords (CTIA; the set Twilio's Advanced Opt-Out
 * honours). A message that is exactly one of them, ignoring case, spacing and
 * trailing punctuation, is a keyword.
 */
export type SmsKeyword = 'stop' | 'start' | 'help';

const keywords: Record<string, SmsKeyword> = {
  STOP: 'stop', STOPALL: 'stop', UNSUBSCRIBE: 'stop', END: 'stop', QUIT: 'stop', CANCEL: 'stop', OPTOUT: 'stop', REVOKE: 'stop',
  START: 'start', UNSTOP: 'start', YES: 'start',
  HELP: 'help', INFO: 'help',
};

export function smsKeyword(text: string | undefined): SmsKeyword | undefined {
  if (!text) return undefined;
  const word = text.trim().replace(/[.!?]+$/, '').replace(/\s+/g, '').toUpperCase();
  return keywords[word];
}
