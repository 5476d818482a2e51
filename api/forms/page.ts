/**
 * The visitor's secure-form pages: server-rendered HTML with no JavaScript,
 * built for WCAG 2.1 A/AA (labels, error summary, per-field errors tied with
 * aria-describedby, visible focus, 4.5:1 contrast, 320 px wide screens).
 * Serve them with `formPageHeaders` (strict CSP allowing only the inline style).
 */
import { formPageStyles } from './page-styles.js';
import { isOffRecord, type FieldType, type FormField, type FormTemplate } from './templates.js';

export { formPageCsp, formPageHeaders } from './page-styles.js';

export interface FormPageModel {
  brandName: string;
  template: FormTemplate;
  /** Where the form posts (same origin: the CSP has form-action 'self'). */
  action: string;
  /** The submit one-time key, sent back in the hidden `key` field. */
  submitKey: string;
  errors?: { field: string; message: string }[];
  /** Re-filled only for non-secret types: text, email, number. */
  values?: Record<string, string>;
}

const htmlEscapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => htmlEscapes[char]!);
}

/** The id of a field's input (`field-<name>`, other characters than letters, digits, _ and - replaced by -). */
export function fieldId(field: Pick<FormField, 'name'>): string {
  return `field-${field.name.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

const refilled: ReadonlySet<FieldType> = new Set(['text', 'email', 'number']);
const offRecordNote = 'Not stored: only your agent sees this, for a few minutes, then it is deleted.';

function inputAttributes(field: FormField): { type: string; autocomplete?: string; inputmode?: string; short?: boolean } {
  switch (field.type) {
    case 'text':
      return { type: 'text', autocomplete: /^(name ?on ?card|cardholder|cc-?name)/i.test(field.name) || /name on card/i.test(field.label) ? 'cc-name' : undefined };
    case 'number':
      return { type: 'text', inputmode: 'decimal' };
    case 'email':
      return { type: 'email', autocomplete: 'email' };
    case 'cardNumber':
      return { type: 'text', inputmode: 'numeric', autocomplete: 'cc-number' };
    case 'expiry':
      return { type: 'text', inputmode: 'numeric', autocomplete: 'cc-exp', short: true };
    case 'cvv':
      return { type: 'text', inputmode: 'numeric', autocomplete: 'cc-csc', short: true };
    case 'ssn':
      return { type: 'text', inputmode: 'numeric', autocomplete: 'off' };
    case 'secretAnswer':
      // Plain text on purpose: a password field makes browsers offer to save the answer.
      return { type: 'text', autocomplete: 'off' };
  }
}

const attr = (name: string, value: string | undefined) => (value === undefined ? '' : ` ${name}="${escapeHtml(value)}"`);

function renderField(field: FormField, error: string | undefined, value: string | undefined): string {
  const id = fieldId(field);
  const input = inputAttributes(field);
  const described: string[] = [];
  const parts: string[] = [];
  const required = field.required ? ' <span class="req">(required)</span>' : '';
  parts.push(`<label for="${escapeHtml(id)}">${escapeHtml(field.label)}${required}</label>`);
  if (field.help) {
    described.push(`${id}-help`);
    parts.push(`<p class="help" id="${escapeHtml(id)}-help">${escapeHtml(field.help)}</p>`);
  }
  if (isOffRecord(field)) {
    described.push(`${id}-note`);
    parts.push(`<p class="note" id="${escapeHtml(id)}-note">${offRecordNote}</p>`);
  }
  if (error !== undefined) {
    described.push(`${id}-error`);
    parts.push(`<p class="error" id="${escapeHtml(id)}-error"><span class="visually-hidden">Error: </span>${escapeHtml(error)}</p>`);
  }
  const refill = value !== undefined && refilled.has(field.type) ? value : undefined;
  parts.push(
    `<input${attr('id', id)}${attr('name', field.name)}${attr('type', input.type)}${attr('inputmode', input.inputmode)}` +
      `${attr('autocomplete', input.autocomplete)}${input.short ? ' class="short"' : ''} spellcheck="false" autocapitalize="off"` +
      `${field.required ? ' required' : ''}${error !== undefined ? ' aria-invalid="true"' : ''}` +
      `${attr('aria-describedby', described.length > 0 ? described.join(' ') : undefined)}${attr('value', refill)}>`,
  );
  return `<div class="field${error !== undefined ? ' field-error' : ''}">\n${parts.join('\n')}\n</div>`;
}

function renderErrorSummary(fields: FormField[], errors: { field: string; message: string }[]): string {
  const items = errors.map((error) => {
    const field = fields.find((candidate) => candidate.name === error.field);
    const text = escapeHtml(error.message);
    return field ? `<li><a href="#${escapeHtml(fieldId(field))}">${text}</a></li>` : `<li>${text}</li>`;
  });
  return (
    '<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1" autofocus>\n' +
    `<h2 id="error-summary-title">There is a problem</h2>\n<ul>\n${items.join('\n')}\n</ul>\n</div>`
  );
}

function layout(title: string, brandName: string | undefined, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<title>${escapeHtml(brandName ? `${title} – ${brandName}` : title)}</title>
<style>${formPageStyles}</style>
</head>
<body>
${brandName ? `<header><p class="brand">${escapeHtml(brandName)}</p></header>\n` : ''}<main>
${body}
</main>
</body>
</html>
`;
}

export function renderFormPage(model: FormPageModel): string {
  const { template, errors = [], values = {} } = model;
  const errorFor = (field: FormField) => errors.find((error) => error.field === field.name)?.message;
  const body = [
    errors.length > 0 ? renderErrorSummary(template.fields, errors) : '',
    `<h1>${escapeHtml(template.title)}</h1>`,
    template.intro ? `<p>${escapeHtml(template.intro)}</p>` : '',
    `<form method="post"${attr('action', model.action)} novalidate>`,
    `<input type="hidden" name="key"${attr('value', model.submitKey)}>`,
    ...template.fields.map((field) => renderField(field, errorFor(field), values[field.name])),
    '<button type="submit">Send securely</button>',
    '</form>',
    `<p class="footnote">Only the agent who sent you this form can see your answers. They are not added to your conversation.</p>`,
  ];
  const title = errors.length > 0 ? `Error: ${template.title}` : template.title;
  return layout(title, model.brandName, body.filter((part) => part !== '').join('\n'));
}

/**
 * What a GET of the one-time link shows: a button that POSTs the link's key.
 * Link previewers (Messenger's crawler, SMS apps) only GET, so they spend
 * nothing, and they learn nothing either: a neutral title, no brand, no form.
 */
export function renderOpenLinkPage(model: { action: string; key: string }): string {
  const body = [
    '<h1>Your secure form</h1>',
    '<p>This link opens once. Open the form when you are ready to fill it in.</p>',
    `<form method="post"${attr('action', model.action)}>`,
    `<input type="hidden" name="key"${attr('value', model.key)}>`,
    '<button type="submit">Open the secure form</button>',
    '</form>',
  ];
  return layout('Secure form', undefined, body.join('\n'));
}

/** A page with a heading and a sentence: "this link has been used or has expired", "thank you", … */
export function renderMessagePage(model: { brandName?: string; title: string; message: string }): string {
  return layout(model.title, model.brandName, `<h1>${escapeHtml(model.title)}</h1>\n<p>${escapeHtml(model.message)}</p>`);
}
