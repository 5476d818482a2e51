/**
 * Secure-form templates: which fields a form asks for, with labels and help
 * text. Brands get the built-ins below; their own templates use the same shape.
 */
export type FieldType = 'text' | 'number' | 'email' | 'cardNumber' | 'expiry' | 'cvv' | 'ssn' | 'secretAnswer';

export interface FormField {
  /** Submitted form name and the key of the value; unique within a template. */
  name: string;
  label: string;
  type: FieldType;
  required: boolean;
  help?: string;
  /** Never stored durably: held in memory for a short time only (CVV always is). */
  offRecord?: boolean;
}

export interface FormTemplate {
  id: string;
  title: string;
  intro?: string;
  fields: FormField[];
}

export const fieldTypes: readonly FieldType[] = ['text', 'number', 'email', 'cardNumber', 'expiry', 'cvv', 'ssn', 'secretAnswer'];

export const builtInTemplates: FormTemplate[] = [
  {
    id: 'card-payment',
    title: 'Pay by card',
    intro: 'Enter your card details. Only the agent who sent you this form can see them.',
    fields: [
      { name: 'nameOnCard', label: 'Name on card', type: 'text', required: true, help: 'As it is printed on the card' },
      { name: 'cardNumber', label: 'Card number', type: 'cardNumber', required: true, help: 'The long number on the front of your card' },
      { name: 'expiry', label: 'Expiry date', type: 'expiry', required: true, help: 'MM/YY, for example 04/28' },
      { name: 'cvv', label: 'Security code', type: 'cvv', required: true, help: 'The last 3 digits on the back of your card (4 on the front for American Express)' },
    ],
  },
  {
    id: 'identity-check',
    title: 'Confirm your identity',
    intro: 'Answer these so we can confirm it is you. Only the agent who sent you this form can see your answers.',
    fields: [
      { name: 'ssn', label: 'Social Security number', type: 'ssn', required: true, help: '9 digits, for example 123-45-6789' },
      { name: 'secretAnswer', label: 'Answer to your secret question', type: 'secretAnswer', required: true, help: 'The answer you gave when you set up your account' },
    ],
  },
];

/** Whether a field's value must stay out of every durable store: CVV always, and any field marked so. */
export function isOffRecord(field: FormField): boolean {
  return field.type === 'cvv' || field.offRecord === true;
}

export function findBuiltInTemplate(id: string): FormTemplate | undefined {
  return builtInTemplates.find((template) => template.id === id);
}
