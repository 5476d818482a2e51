/**
 * Masks card numbers (Luhn-valid, 13–19 digits, spaces or dashes allowed) and
 * SSN-like patterns in text consumers type, before it is stored or enters
 * Temporal. Card numbers keep their last four digits, as PCI DSS permits.
 */
const cardCandidate = /(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])/g;
const ssnLike = /(?<!\d)\d{3}([- ])\d{2}\1\d{4}(?!\d)/g;

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

export interface MaskResult {
  text: string;
  masked: { cards: number; ssns: number };
}

export function maskSensitive(text: string): MaskResult {
  const masked = { cards: 0, ssns: 0 };
  let result = text.replace(cardCandidate, (match) => {
    const digits = match.replace(/[ -]/g, '');
    if (digits.length < 13 || digits.length > 19 || !passesLuhn(digits)) return match;
    masked.cards++;
    let seen = 0;
    // Keep the layout: replace every digit but the last four, right to left.
    return [...match]
      .reverse()
      .map((char) => (/\d/.test(char) && seen++ >= 4 ? '*' : char))
      .reverse()
      .join('');
  });
  result = result.replace(ssnLike, (_match, separator: string) => {
    masked.ssns++;
    return `***${separator}**${separator}****`;
  });
  return { text: result, masked };
}
