import { describe, expect, it } from 'vitest';
import { maskForDisplay, validateSubmission } from '../../../api/forms/field-types.js';
import { builtInTemplates, isOffRecord, type FieldType, type FormField } from '../../../api/forms/templates.js';

const now = new Date('2026-05-15T12:00:00Z');
const field = (type: FieldType, overrides: Partial<FormField> = {}): FormField => ({ name: 'value', label: 'Your Value', type, required: true, ...overrides });

function check(type: FieldType, value: unknown, overrides: Partial<FormField> = {}) {
  return validateSubmission([field(type, overrides)], { value }, now);
}
function accepted(type: FieldType, value: unknown): string | undefined {
  const result = check(type, value);
  if (!result.ok) throw new Error(`${type} ${JSON.stringify(value)} refused: ${result.errors[0]?.message}`);
  return result.values.value;
}
function refused(type: FieldType, value: unknown): string {
  const result = check(type, value);
  if (result.ok) throw new Error(`${type} ${JSON.stringify(value)} accepted as ${JSON.stringify(result.values)}`);
  expect(result.errors).toHaveLength(1);
  expect(result.errors[0]!.field).toBe('value');
  return result.errors[0]!.message;
}

const cases: Record<FieldType, { valid: [unknown, string][]; invalid: string[] }> = {
  text: { valid: [['  Ada Lovelace ', 'Ada Lovelace'], ['x'.repeat(200), 'x'.repeat(200)]], invalid: ['y'.repeat(201)] },
  number: { valid: [['42', '42'], [' 3.50 ', '3.50'], [7, '7']], invalid: ['4a', '-3', '1,5', '7.', '.9'] },
  email: { valid: [['ada@example.com', 'ada@example.com']], invalid: ['ada@example', 'ada example@x.com', 'ada', '@host.example'] },
  cardNumber: {
    valid: [['4111 1111 1111 1111', '4111111111111111'], ['3782-822463-10005', '378282246310005'], ['4222222222222', '4222222222222']],
    invalid: ['4111 1111 1111 1112', '411111111111', '41111111111111111111', '4111 1111 1111 111x', 'abcd'],
  },
  expiry: {
    valid: [['05/26', '05/26'], ['12/30', '12/30'], ['1/27', '01/27'], ['0527', '05/27'], ['05/2027', '05/27'], ['05 / 27', '05/27']],
    invalid: ['04/26', '12/25', '13/27', '00/27', 'ab/cd', '5', '05/2'],
  },
  cvv: { valid: [['123', '123'], ['1234', '1234']], invalid: ['12', '12345', '12a', '1 23'] },
  ssn: { valid: [['123-45-6789', '123456789'], ['123456789', '123456789'], ['123 45 6789', '123456789']], invalid: ['12-345-6789', '12345678', '1234567890', 'abc-de-fghi'] },
  secretAnswer: { valid: [['  my first cat  ', 'my first cat'], ['z'.repeat(200), 'z'.repeat(200)]], invalid: ['z'.repeat(201)] },
};

describe('validateSubmission, per field type', () => {
  for (const [type, { valid, invalid }] of Object.entries(cases) as [FieldType, (typeof cases)[FieldType]][]) {
    it(`${type}: accepts and normalises valid values`, () => {
      for (const [input, normalised] of valid) expect(accepted(type, input), JSON.stringify(input)).toBe(normalised);
    });

    it(`${type}: refuses invalid values with a message that never contains the value`, () => {
      for (const input of invalid) {
        const message = refused(type, input);
        expect(message).toMatch(/^[A-Z]/);
        expect(message, `message for ${JSON.stringify(input)}`).not.toContain(input.trim());
        const digits = input.replace(/\D/g, '');
        if (digits.length >= 4) expect(message).not.toContain(digits);
      }
    });

    it(`${type}: required and empty → "Enter <label lowercased>"; optional and empty → left out`, () => {
      for (const empty of [undefined, '', '   ', null]) {
        expect(check(type, empty)).toEqual({ ok: false, errors: [{ field: 'value', message: 'Enter your value' }] });
        expect(check(type, empty, { required: false })).toEqual({ ok: true, values: {} });
      }
    });
  }

  it('says what to do, specifically', () => {
    expect(refused('cardNumber', '4111 1111 1111 1112')).toMatch(/card number/i);
    expect(refused('cardNumber', '1234')).toMatch(/number on the front of your card/);
    expect(refused('expiry', '04/26')).toMatch(/expired/);
    expect(refused('expiry', '13/27')).toMatch(/month from 01 to 12/);
    expect(refused('cvv', '12')).toMatch(/3 digits on the back/);
    expect(refused('ssn', '1234')).toMatch(/9 digits, like 123-45-6789/);
    expect(refused('text', 'y'.repeat(201))).toBe('Your Value must be 200 characters or fewer');
  });

  it('Luhn: a single wrong digit in a real-looking card number is refused', () => {
    expect(accepted('cardNumber', '6011111111111117')).toBe('6011111111111117');
    expect(refused('cardNumber', '6011111111111118')).toMatch(/card number is not valid/);
  });

  it('expiry: valid through the end of its month, taken from `now`', () => {
    expect(validateSubmission([field('expiry')], { value: '05/26' }, new Date('2026-05-31T23:59:59Z')).ok).toBe(true);
    expect(validateSubmission([field('expiry')], { value: '05/26' }, new Date('2026-06-01T00:00:00Z')).ok).toBe(false);
  });

  it('ignores unknown names, refuses a value sent twice, reports every failing field in template order', () => {
    const [template] = builtInTemplates;
    const result = validateSubmission(template!.fields, { cvv: '12', cardNumber: ['4111111111111111', '1'], extra: 'x', nameOnCard: 'Ada' }, now);
    expect(result).toEqual({
      ok: false,
      errors: [
        { field: 'cardNumber', message: 'Enter card number once' },
        { field: 'expiry', message: 'Enter expiry date' },
        { field: 'cvv', message: expect.stringMatching(/security code/) },
      ],
    });
  });

  it('a whole card-payment submission', () => {
    const card = builtInTemplates.find((template) => template.id === 'card-payment')!;
    const result = validateSubmission(card.fields, { key: 'otk', nameOnCard: ' Ada ', cardNumber: '4111-1111-1111-1111', expiry: '04/29', cvv: '737' }, now);
    expect(result).toEqual({ ok: true, values: { nameOnCard: 'Ada', cardNumber: '4111111111111111', expiry: '04/29', cvv: '737' } });
  });
});

describe('templates', () => {
  it('ship card-payment and identity-check with unique field names', () => {
    expect(builtInTemplates.map((template) => template.id)).toEqual(expect.arrayContaining(['card-payment', 'identity-check']));
    for (const template of builtInTemplates) expect(new Set(template.fields.map((f) => f.name)).size).toBe(template.fields.length);
    const identity = builtInTemplates.find((template) => template.id === 'identity-check')!;
    expect(identity.fields.map((f) => f.type)).toEqual(['ssn', 'secretAnswer']);
  });

  it('CVV is always off the record; other fields only when marked', () => {
    expect(isOffRecord(field('cvv'))).toBe(true);
    expect(isOffRecord(field('cvv', { offRecord: false }))).toBe(true);
    expect(isOffRecord(field('secretAnswer'))).toBe(false);
    expect(isOffRecord(field('secretAnswer', { offRecord: true }))).toBe(true);
  });
});

describe('maskForDisplay', () => {
  it('shows only the last 4 digits of a card number, other values unchanged', () => {
    expect(maskForDisplay(field('cardNumber'), '4111111111111234')).toBe('•••• •••• •••• 1234');
    expect(maskForDisplay(field('cardNumber'), '378282246310005')).toBe('•••• •••• •••• 0005');
    expect(maskForDisplay(field('cardNumber'), '4111111111111234')).not.toMatch(/4111/);
    expect(maskForDisplay(field('expiry'), '04/29')).toBe('04/29');
    expect(maskForDisplay(field('ssn'), '123456789')).toBe('123456789');
  });
});
