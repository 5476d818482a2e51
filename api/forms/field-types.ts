/**
 * Validation and normalisation of secure-form submissions, per field type.
 * Error messages say what to do and never contain the submitted value.
 */
import { passesLuhn } from '../../services/messages/mask-sensitive.js';
import type { FieldType, FormField } from './templates.js';

export interface FieldError {
  field: string;
  message: string;
}

export type ValidationResult = { ok: true; values: Record<string, string> } | { ok: false; errors: FieldError[] };

/** A value's check: the normalised value, or the message telling the visitor what to do. */
type Check = (value: string, field: FormField, now: Date) => { value: string } | { error: string };

const maxTextLength = 200;

const ok = (value: string) => ({ value });
const fail = (error: string) => ({ error });

const lengthLimited = (value: string, field: FormField) =>
  [...value].length <= maxTextLength ? ok(value) : fail(`${field.label} must be ${maxTextLength} characters or fewer`);

const checks: Record<FieldType, Check> = {
  text: lengthLimited,
  secretAnswer: lengthLimited,
  number: (value, field) =>
    /^\d{1,20}(?:\.\d{1,10})?$/.test(value) ? ok(value) : fail(`Enter ${lower(field)} using digits only, like 42 or 3.50`),
  email: (value) =>
    value.length <= 254 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)
      ? ok(value)
      : fail('Enter an email address in the correct format, like name@example.com'),
  cardNumber: (raw) => {
    const digits = raw.replace(/[\s-]/g, '');
    if (!/^\d{13,19}$/.test(digits)) return fail('Enter the long number on the front of your card: 13 to 19 digits, usually 16');
    if (!passesLuhn(digits)) return fail('The card number is not valid: check it and enter it exactly as printed on your card');
    return ok(digits);
  },
  expiry: (raw, _field, now) => {
    const match = /^(\d{1,2})\s*[/-]\s*(\d{2}|\d{4})$/.exec(raw) ?? /^(\d{2})(\d{2}|\d{4})$/.exec(raw);
    if (!match) return fail('Enter the expiry date as month and year, like 04/28');
    const month = Number(match[1]);
    const year = match[2]!.length === 4 ? Number(match[2]) : 2000 + Number(match[2]);
    if (month < 1 || month > 12) return fail('Enter an expiry month from 01 to 12, like 04/28');
    // A card is valid until the end of its expiry month; YY is 20YY.
    const expires = year * 12 + (month - 1);
    const current = now.getUTCFullYear() * 12 + now.getUTCMonth();
    if (expires < current) return fail('This card has expired: enter the expiry date of a card that is still valid');
    return ok(`${String(month).padStart(2, '0')}/${String(year % 100).padStart(2, '0')}`);
  },
  cvv: (value) =>
    /^\d{3,4}$/.test(value)
      ? ok(value)
      : fail('Enter the security code: the last 3 digits on the back of your card, or 4 on the front for American Express'),
  ssn: (value, field) => {
    const match = /^(\d{3})-?(\d{2})-?(\d{4})$/.exec(value.replace(/\s/g, ''));
    return match ? ok(match.slice(1).join('')) : fail(`Enter ${lower(field)} as 9 digits, like 123-45-6789`);
  },
};

function lower(field: FormField): string {
  return field.label.toLowerCase();
}

function asText(value: unknown): string | undefined {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined; // arrays (a name sent twice), objects: not a value we accept
}

/**
 * Checks every field of the template against what was submitted. Unknown names
 * are ignored; values are trimmed; empty optional fields are left out of
 * `values`. Normalised forms: cardNumber and ssn → digits only, expiry → MM/YY.
 */
export function validateSubmission(fields: FormField[], submitted: Record<string, unknown>, now: Date = new Date()): ValidationResult {
  const values: Record<string, string> = {};
  const errors: FieldError[] = [];
  for (const field of fields) {
    const raw = Object.hasOwn(submitted, field.name) ? submitted[field.name] : undefined;
    const text = asText(raw);
    if (text === '') {
      if (field.required) errors.push({ field: field.name, message: `Enter ${lower(field)}` });
      continue;
    }
    const result = text === undefined ? fail(`Enter ${lower(field)} once`) : checks[field.type](text, field, now);
    if ('error' in result) errors.push({ field: field.name, message: result.error });
    else values[field.name] = result.value;
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, values };
}

/** How a value is shown to agents: card numbers keep only their last 4 digits. */
export function maskForDisplay(field: FormField, value: string): string {
  if (field.type !== 'cardNumber') return value;
  const digits = value.replace(/\D/g, '');
  return `•••• •••• •••• ${digits.slice(-4)}`;
}
