/**
 * Finds card numbers and SSN-like values in free text: consumers' messages are
 * masked with it before they are stored or enter Temporal, and agents' text is
 * refused with it (see api/use-cases/conversations/sensitive-text.ts).
 *
 * The rule, exactly:
 * - Digits are ASCII 0–9 and full-width ０–９ (U+FF10–U+FF19).
 * - A separator is 1 to 3 characters, mixed freely, of: space, tab, no-break
 *   space, ideographic space, `.`, `-`, full-width `．` `－`, and the dashes
 *   U+2010–U+2015. A run is digit groups joined by separators.
 * - Card number: consecutive whole groups of a run holding 13–19 digits in
 *   all and passing the Luhn check (an unbroken group of 20 or more digits is
 *   not a card). Exception: a run right after `+` whose first groups hold at
 *   most 15 digits is read as an E.164 phone number, not a card.
 * - SSN-like: three digits, a separator, two digits, a separator, four
 *   digits, not touching other digits. Unbroken nine-digit numbers are not
 *   SSN-like (too many order and account numbers look so).
 * Masking keeps a card's last four digits (as PCI DSS permits) and the layout.
 */
const DIGIT = '[0-9\\uFF10-\\uFF19]';
const SEPARATOR = '[ \\t\\u00A0\\u3000.\\-\\uFF0E\\uFF0D\\u2010-\\u2015]{1,3}';
const digitRun = new RegExp(`${DIGIT}+(?:${SEPARATOR}${DIGIT}+)*`, 'g');
const digitGroup = new RegExp(`${DIGIT}+`, 'g');
const ssnLike = new RegExp(`(?<!${DIGIT})${DIGIT}{3}${SEPARATOR}${DIGIT}{2}${SEPARATOR}${DIGIT}{4}(?!${DIGIT})`, 'g');
const anyDigit = new RegExp(DIGIT);
const E164_MAX_DIGITS = 15;

/** The ASCII digit for an ASCII or full-width one. */
const asciiDigit = (char: string) => String.fromCharCode(char.charCodeAt(0) >= 0xff10 ? char.charCodeAt(0) - 0xff10 + 48 : char.charCodeAt(0));

export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

interface Group {
  start: number;
  end: number;
  digits: string;
}

/** [start, end) offsets in `text` of every card number, leftmost-longest first. */
function cardSpans(text: string): [number, number][] {
  const spans: [number, number][] = [];
  for (const run of text.matchAll(digitRun)) {
    const groups: Group[] = [...run[0].matchAll(digitGroup)].map((group) => ({
      start: run.index + group.index, end: run.index + group.index + group[0].length, digits: [...group[0]].map(asciiDigit).join(''),
    }));
    const afterPlus = text[run.index - 1] === '+';
    let first = 0;
    while (first < groups.length) {
      let digits = '';
      let longest = -1;
      for (let last = first; last < groups.length && digits.length + groups[last]!.digits.length <= 19; last++) {
        digits += groups[last]!.digits;
        const phone = afterPlus && first === 0 && digits.length <= E164_MAX_DIGITS;
        if (digits.length >= 13 && !phone && passesLuhn(digits)) longest = last;
      }
      if (longest < 0) {
        first++;
        continue;
      }
      spans.push([groups[first]!.start, groups[longest]!.end]);
      first = longest + 1;
    }
  }
  return spans;
}

export interface SensitiveFindings {
  cards: number;
  ssns: number;
}

export interface MaskResult {
  text: string;
  masked: SensitiveFindings;
}

export function maskSensitive(text: string): MaskResult {
  const masked = { cards: 0, ssns: 0 };
  const chars = text.split(''); // UTF-16 units, as the regex offsets are
  for (const [start, end] of cardSpans(text)) {
    masked.cards++;
    let seen = 0;
    // Keep the layout: replace every digit but the last four, right to left.
    for (let i = end - 1; i >= start; i--) if (anyDigit.test(chars[i]!) && seen++ >= 4) chars[i] = '*';
  }
  const result = chars.join('').replace(ssnLike, (match) => {
    masked.ssns++;
    return match.replace(new RegExp(DIGIT, 'g'), '*');
  });
  return { text: result, masked };
}

/** What maskSensitive would mask, without masking: none of it may be in an agent's text. */
export function findSensitive(text: string): SensitiveFindings {
  return maskSensitive(text).masked;
}
