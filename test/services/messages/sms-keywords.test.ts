import { describe, expect, it } from 'vitest';
import { smsKeyword } from '../../../services/messages/sms-keywords.js';

describe('SMS keywords', () => {
  it.each(['STOP', 'stop', ' Stop ', 'STOPALL', 'UNSUBSCRIBE', 'END', 'QUIT', 'CANCEL', 'OPTOUT', 'REVOKE', 'stop.', 'Opt out'])(
    '"%s" opts out',
    (text) => expect(smsKeyword(text)).toBe('stop'),
  );

  it.each(['START', 'unstop', 'Yes', 'yes!'])('"%s" opts back in', (text) => expect(smsKeyword(text)).toBe('start'));

  it.each(['HELP', 'info', 'Help?'])('"%s" asks for help', (text) => expect(smsKeyword(text)).toBe('help'));

  it.each(['please stop calling me', 'yes please', 'helpful', '', undefined])('"%s" is an ordinary message', (text) =>
    expect(smsKeyword(text)).toBeUndefined(),
  );
});
