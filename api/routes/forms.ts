import { z } from 'zod';
import type { AuthenticateDependencies } from '../auth/authenticate.js';
import { authErrors, signedIn } from '../auth/route-auth.js';
import { ForbiddenError } from '../errors.js';
import { builtInTemplates, fieldTypes } from '../forms/templates.js';
import { errorBodySchema } from '../openapi/schemas.js';
import type { ApiRoutes } from '../openapi/routes.js';
import { invalidRequestBecause } from '../openapi/error-responses.js';
import { assertCanAct, canSee, notFound } from '../use-cases/conversations/access.js';
import { refuseSensitiveAgentText } from '../use-cases/conversations/sensitive-text.js';
import type { FormDependencies } from '../use-cases/forms/dependencies.js';
import { issueRevealKey, revealAccess, revealForm } from '../use-cases/forms/reveal.js';
import { sendSecureForm, templatesOf } from '../use-cases/forms/send-form.js';
import { formsOfConversation, toFormStatusView } from '../use-cases/forms/status.js';

const fieldSchema = z.object({
  // "key" carries the one-time submit key in the visitor's form.
  name: z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]{0,40}$/).refine((name) => name !== 'key', '"key" is reserved').openapi({ not: { const: 'key' } }), label: z.string().min(1).max(120), type: z.enum(fieldTypes as [string, ...string[]]),
  required: z.boolean(), help: z.string().max(300).optional(), offRecord: z.boolean().optional(),
});
const templateSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/).refine((id) => !builtInTemplates.some((t) => t.id === id), 'this id belongs to a built-in template')
      .openapi({ not: { enum: builtInTemplates.map((t) => t.id) } }),
    title: z.string().min(1).max(120),
    intro: z.string().max(500).optional(),
    fields: z.array(fieldSchema).min(1).max(20).refine((fields) => new Set(fields.map((f) => f.name)).size === fields.length, 'field names must be unique'),
  })
  .openapi('FormTemplate');
// What is listed: built-in templates too, whose ids a new template may not take.
const templateViewSchema = z.object({ ...templateSchema.shape, id: z.string(), builtIn: z.boolean() }).openapi('FormTemplateView');
const formIdParams = z.object({ formId: z.string().min(1).max(100) });
const conversationIdParams = z.object({ conversationId: z.string().min(1).max(100) });
const formStatusSchema = z
  .object({
    formId: z.string(), title: z.string(),
    status: z.enum(['sent', 'opened', 'submitted', 'expired'])
      .describe('sent: the link is out; opened: the visitor opened it; submitted: the answers are in the vault; expired: the link or the form ran out before a submission'),
    templateId: z.string(), conversationId: z.string(), agentId: z.string().describe('The agent who sent it'),
    fields: z.array(z.object({ name: z.string(), label: z.string(), offRecord: z.boolean() })),
    sentAt: z.string(), linkExpiresAt: z.string(), openedAt: z.string().optional(), submittedAt: z.string().optional(),
    offRecordExpiresAt: z.string().optional().describe('Submitted forms with off-the-record fields: when those answers are erased'),
    offRecordExpired: z.boolean().optional().describe('With offRecordExpiresAt: the off-the-record answers are gone'),
  })
  .openapi('FormStatus');
const gone = { 410: { description: 'Not submitted, erased, or the off-the-record answers expired: ask the visitor to resend', schema: errorBodySchema } };
const notFoundResponse = { 404: { description: 'No such form or conversation visible to you', schema: errorBodySchema } };

/** Agents' side of secure forms: templates, send, status, reveal. */
export function registerFormRoutes(routes: ApiRoutes, deps: FormDependencies & AuthenticateDependencies) {
  const auth = (permission?: Parameters<typeof signedIn>[2]) => ({ tags: ['secure forms'], ...signedIn(routes, deps, permission) });

  routes.add(
    { ...auth('secureForm.use'), method: 'get', path: '/api/v1/form-templates', operationId: 'listFormTemplates', summary: 'Built-in and brand form templates',
      responses: { 200: { description: 'Templates', schema: z.object({ items: z.array(templateViewSchema) }) }, ...authErrors } },
    async ({ req, res }) => {
      const custom = await templatesOf(deps).find({ brandId: req.principal!.brandId }).limit(500).toArray();
      res.json({ items: [...builtInTemplates.map((t) => ({ ...t, builtIn: true })), ...custom.map(({ _id: _ignored, brandId: _brand, ...t }) => ({ ...t, builtIn: false }))] });
    },
  );
  routes.add(
    { ...auth('users.manage'), method: 'post', path: '/api/v1/form-templates', operationId: 'createFormTemplate', summary: 'Create or replace a brand form template', body: templateSchema,
      responses: { 201: { description: 'Saved', schema: templateSchema }, ...authErrors, ...invalidRequestBecause('two fields of one name (validation_failed, "field names must be unique")'),
        422: { description: 'sensitive_data_in_text: a title, intro, label or help text holds a card number or SSN-like value (nothing was saved)', schema: errorBodySchema } } },
    async ({ body, req, res }) => {
      // A template's texts are stored in plain and its title reaches transcripts and Temporal history.
      refuseSensitiveAgentText({
        title: body.title, intro: body.intro,
        ...Object.fromEntries(body.fields.flatMap((field, i) => [[`fields[${i}].label`, field.label], [`fields[${i}].help`, field.help]])),
      });
      const brandId = req.principal!.brandId;
      await templatesOf(deps).replaceOne({ _id: `${brandId}:${body.id}` }, { ...body, brandId } as never, { upsert: true });
      res.status(201).json(body);
    },
  );
  routes.add(
    { ...auth('secureForm.use'), method: 'post', path: '/api/v1/conversations/:conversationId/forms', operationId: 'sendSecureForm',
      summary: 'Send a secure form into a conversation assigned to you (a one-time link)', params: conversationIdParams,
      body: z.object({ templateId: z.string().min(1).max(64) }).strict().openapi('SendForm'),
      responses: { 201: { description: 'Sent', schema: z.object({ formId: z.string(), title: z.string(), status: z.string(), linkExpiresAt: z.string() }) },
        409: { description: 'The conversation refuses the message (closed, opted out, outside the window)', schema: errorBodySchema }, ...notFoundResponse, ...authErrors } },
    async ({ params, body, req, res }) => {
      const principal = req.principal!;
      if (principal.kind !== 'user') throw new ForbiddenError({ code: 'permission_denied', message: 'Only a signed-in agent can send a secure form' });
      const conversation = await deps.conversations.getForBrand(principal.brandId, params.conversationId);
      if (!conversation || !canSee(principal, conversation)) throw notFound(params.conversationId);
      assertCanAct(principal, conversation);
      if (conversation.agentId !== principal.userId) throw new ForbiddenError({ code: 'not_your_conversation', message: 'Send forms only in conversations assigned to you' });
      res.status(201).json(await sendSecureForm(deps, principal, conversation, body.templateId));
    },
  );
  routes.add(
    { ...auth(), method: 'get', path: '/api/v1/forms/:formId', operationId: 'getSecureForm', summary: 'A form\'s status (never its values)', params: formIdParams,
      responses: { 200: { description: 'The form', schema: formStatusSchema }, ...notFoundResponse, ...authErrors } },
    async ({ params, req, res }) => {
      const { form } = await revealAccess(deps, req.principal!, params.formId).catch((error: unknown) => {
        throw error instanceof ForbiddenError ? notFound(params.formId) : error;
      });
      res.json(toFormStatusView(form));
    },
  );
  routes.add(
    { ...auth('conversation.view'), method: 'get', path: '/api/v1/conversations/:conversationId/forms', operationId: 'listConversationForms',
      summary: 'The secure forms sent in a conversation, newest first (at most 50), each as GET /api/v1/forms/{formId} shows it: only those you may see there, never values',
      params: conversationIdParams,
      responses: { 200: { description: 'Forms', schema: z.object({ items: z.array(formStatusSchema) }) }, ...notFoundResponse, ...authErrors } },
    async ({ params, req, res }) => {
      const principal = req.principal!;
      const conversation = await deps.conversations.getForBrand(principal.brandId, params.conversationId);
      if (!conversation || !canSee(principal, conversation)) throw notFound(params.conversationId);
      res.json({ items: await formsOfConversation(deps, principal, conversation) });
    },
  );
  routes.add(
    { ...auth(), method: 'post', path: '/api/v1/forms/:formId/reveal-key', operationId: 'issueRevealKey', summary: 'A single-use key to reveal the values (valid seconds)', params: formIdParams,
      responses: { 201: { description: 'Key', schema: z.object({ key: z.string(), expiresAt: z.string() }) }, 403: { description: 'Not yours, or the conversation closed; csrf_failed (cookie session without its X-CSRF-Token)', schema: errorBodySchema }, ...gone, ...notFoundResponse, ...authErrors } },
    async ({ params, req, res }) => {
      const issued = await issueRevealKey(deps, req.principal!, params.formId);
      res.status(201).json({ key: issued.key, expiresAt: issued.expiresAt.toISOString() });
    },
  );
  routes.add(
    { ...auth(), method: 'post', path: '/api/v1/forms/:formId/reveal', operationId: 'revealSecureForm', summary: 'Redeem a reveal key: the submitted values (audited)', params: formIdParams,
      body: z.object({ key: z.string().min(1).max(100) }).strict().openapi('RevealRequest'),
      responses: { 200: { description: 'The values', schema: z.object({ formId: z.string(), fields: z.array(z.object({ name: z.string(), label: z.string(), offRecord: z.boolean(), value: z.string(), display: z.string() })) }) },
        403: { description: 'Key invalid, used, expired or not yours; or not allowed; csrf_failed (cookie session without its X-CSRF-Token)', schema: errorBodySchema }, ...gone, ...notFoundResponse, ...authErrors,
        503: { description: 'The database or Temporal does not answer (database_unavailable, temporal_unavailable), or the API replica holding the off-the-record answers cannot be asked (off_record_unreachable: workers or Temporal down): retry shortly', schema: errorBodySchema } } },
    async ({ params, body, req, res }) => {
      res.set('Cache-Control', 'no-store');
      res.json(await revealForm(deps, req.principal!, params.formId, body.key));
    },
  );
}
