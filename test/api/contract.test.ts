import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { newTenant } from '../support/accounts.js';
import { Conformance } from '../support/contract/conformance.js';
import { send } from '../support/contract/exchange.js';
import { operationsOf } from '../support/contract/operations.js';
import { requestsFor } from '../support/contract/requests.js';
import type { OpenApiDocument } from '../support/contract/schemas.js';
import { useValidator } from '../support/contract/valid-values.js';
import { readJson } from '../support/http.js';
import { testAdminToken, testOperatorToken } from '../support/settings.js';
import { startTestSystem } from '../support/system.js';

/*
 * The operations are read from the running server's document, so every route, present or future, is walked.
 * Every operation is sent requests; some cannot get past "not found" here, and say so by their declared
 * 404/410: conversations and their messages need a worker and a provider webhook, secure forms and their
 * visitor pages need a sent form, channels a channel id; their success paths are the flow tests' (test/api/
 * conversations, test/api/forms, test/api/webhooks).
 */
const system = await startTestSystem();
afterAll(() => system.stop());
const document: OpenApiDocument = await readJson(await fetch(`${system.url}/openapi.json`));
const conformance = new Conformance(document);
useValidator(conformance.accepts);

/** Path parameters that name the test brand's own things, so requests also reach past "not found". */
const brandParameters = { brandId: true, userId: true };

/** A fixed seed per operation: the same requests on every run, unchanged when other operations come and go. */
const seedOf = (operationId: string) => createHash('sha256').update(operationId).digest().readInt32BE(0);

describe('every operation of /openapi.json keeps its contract', () => {
  it.each(operationsOf(document).map((operation) => [`${operation.operationId} (${operation.method.toUpperCase()} ${operation.path})`, operation] as const))(
    '%s: schema-valid, boundary and invalid requests get a declared status and body, never a 5xx',
    async (_name, operation) => {
      // A brand of its own, where the operation is a brand's: it may sign its admin out, lock it or disable the brand.
      const needsBrand = operation.security.some((scheme) => scheme !== 'operatorToken') || operation.parameters.some((parameter) => parameter.name in brandParameters);
      const tenant = needsBrand ? await newTenant(system) : undefined;
      const credentials: Record<string, string | undefined> = {
        sessionToken: tenant && `Bearer ${tenant.admin.token}`, brandToken: tenant && `Bearer ${tenant.apiToken}`,
        adminToken: `Bearer ${testAdminToken}`, operatorToken: `Bearer ${testOperatorToken}`,
      };
      const requests = requestsFor(document, operation, {
        seed: seedOf(operation.operationId),
        credentials: (scheme) => credentials[scheme],
        known: { operatorToken: testOperatorToken, ...(tenant ? { brandId: tenant.brandId, userId: tenant.admin.id } : {}) },
        validSamples: 6,
      });
      const problems: string[] = [];
      for (const request of requests) {
        const response = await send(system.url, operation, request);
        for (const problem of conformance.check(operation, request, response)) problems.push(`${request.kind} (${request.label}): ${problem}`.slice(0, 600));
      }
      expect(problems).toEqual([]);
    },
  );
});
