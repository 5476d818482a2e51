import { ApiError } from '../../api/client';
import { errorText } from '../../common/ErrorNote';

/** An API refusal split for a form: a message for the whole form and one per field it names. */
export interface FormErrors {
  form?: string;
  fields: Record<string, string>;
}

export const noErrors: FormErrors = { fields: {} };

/** zod's wording for the commonest slips, in plain words; anything else is the server's own message. */
function plainWords(message: string): string {
  if (/^Too small: expected string to have >=1 characters?$/.test(message)) return 'Fill this in.';
  if (/^Invalid input: expected number, received (null|NaN)$/.test(message)) return 'Enter a number.';
  return message;
}

interface Detail {
  path?: unknown;
  message?: unknown;
}

/**
 * Details name the body field (`skills.2` → `skills`); those of fields the form does not show
 * stay in the form's message, so no refusal goes unsaid.
 */
export function formErrorsOf(error: unknown, fieldNames: readonly string[]): FormErrors {
  if (!(error instanceof ApiError)) return { form: errorText(error), fields: {} };
  const fields: Record<string, string> = {};
  const unplaced: string[] = [];
  for (const detail of Array.isArray(error.details) ? (error.details as Detail[]) : []) {
    if (typeof detail.message !== 'string') continue;
    const field = typeof detail.path === 'string' ? detail.path.split('.')[0]! : '';
    if (!fieldNames.includes(field)) {
      unplaced.push(detail.message);
      continue;
    }
    const message = plainWords(detail.message);
    fields[field] = fields[field] ? `${fields[field]}; ${message}` : message;
  }
  const placed = Object.keys(fields).length > 0;
  const headline = error.code === 'validation_failed' && placed ? 'Some fields need a change: see the message next to each.' : error.message;
  return { form: [headline, ...unplaced].join(' '), fields };
}
