import type { Response } from 'express';
import { z } from 'zod';
import type { ApiRoutes } from '../openapi/routes.js';
import type { FormDependencies } from '../use-cases/forms/dependencies.js';
import { openForm, showFormLink, submitForm, type VisitorPage } from '../use-cases/forms/visitor.js';
import { formPageHeaders, renderFormPage, renderMessagePage, renderOpenLinkPage } from './page.js';

/** Where the link page's button posts the open key (two segments: never taken for a form id). */
export const OPEN_FORM_PATH = '/forms/link/open';

function send(res: Response, page: VisitorPage) {
  res.set(formPageHeaders);
  if (page.kind === 'gone') {
    res.status(410).send(renderMessagePage({ title: 'This link can no longer be used', message: 'It has expired or was already used. Ask the agent to send you a new secure form.' }));
    return;
  }
  if (page.kind === 'link') {
    res.status(200).send(renderOpenLinkPage({ action: OPEN_FORM_PATH, key: page.key }));
    return;
  }
  if (page.kind === 'submitted') {
    res.status(200).send(renderMessagePage({ brandName: page.brandName, title: 'Thank you', message: 'Your answers were sent securely to your agent. You can close this page.' }));
    return;
  }
  res.status(page.errors ? 422 : 200).send(
    renderFormPage({ brandName: page.brandName, template: page.template, action: `/forms/${page.formId}`, submitKey: page.submitKey, errors: page.errors, values: page.values }),
  );
}

const html = { contentType: 'text/html', schema: z.string() };
const key = z.string().max(100);

/**
 * The visitor's secure form: server-rendered, no JavaScript, one-time keys in
 * and out. Only POSTs spend keys: link previewers GET (and HEAD) the link.
 */
export function registerVisitorFormRoutes(routes: ApiRoutes, deps: FormDependencies) {
  routes.add(
    {
      method: 'get', path: '/forms/:key', operationId: 'showSecureFormLink', tags: ['secure forms'],
      summary: 'The form link: a page whose button opens the form (spends nothing, shows no brand or form, safe for link previewers)',
      params: z.object({ key }),
      responses: { 200: { description: 'The "open the form" page', ...html }, 410: { description: 'Link used or expired', ...html } },
    },
    async ({ params, res }) => send(res, await showFormLink(deps, params.key)),
  );
  routes.add(
    {
      method: 'post', path: OPEN_FORM_PATH, operationId: 'openSecureForm', tags: ['secure forms'], summary: 'The visitor opens the form (spends the link\'s one-time key)',
      body: z.object({ key }), bodyContentType: 'application/x-www-form-urlencoded',
      responses: { 200: { description: 'The form', ...html }, 410: { description: 'Link used or expired', ...html } },
    },
    async ({ body, res }) => send(res, await openForm(deps, body.key)),
  );
  routes.add(
    {
      method: 'post', path: '/forms/:key', operationId: 'submitSecureForm', tags: ['secure forms'], summary: 'The visitor submits (the path names the form, the body carries the submit key)',
      params: z.object({ key }),
      body: z.record(z.string(), z.union([z.string(), z.array(z.string())])), bodyContentType: 'application/x-www-form-urlencoded',
      responses: { 200: { description: 'Submitted', ...html }, 410: { description: 'Key used or expired', ...html }, 422: { description: 'Fix the fields shown', ...html } },
    },
    async ({ params, body, res }) => send(res, await submitForm(deps, params.key, body)),
  );
}
