import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { startConnectorWorld } from '../support/connectors.js';
import { Conformance } from '../support/contract/conformance.js';
import { send } from '../support/contract/exchange.js';
import { namedThingsFor } from '../support/contract/named-things.js';
import { operationsOf } from '../support/contract/operations.js';
import { requestsFor } from '../support/contract/requests.js';
import type { OpenApiDocument } from '../support/contract/schemas.js';
import { useValidator } from '../support/contract/valid-values.js';
import { readJson } from '../support/http.js';
import { testAdminToken, testOperatorToken } from '../support/settings.js';

/*
 * The operations are read from the running server's document, so every route, present or future, is walked.
 * The world is the whole system (API and worker) with Twilio and Graph stand-ins. Every operation that belongs
 * to a brand gets a brand of its own; one whose path names a conversation, message, secure form, visitor key,
 * channel, API token or custom profile also gets those, made for it alone (test/support/contract/named-things.ts):
 * a conversation waiting to be accepted, assigned, or closed to be reopened, a sent or failed reply, a form sent,
 * opened or submitted, its reveal key. About half of the schema-valid requests and every boundary and invalid
 * variant name these real things (with the known agentId, toAgentId, templateId, key or after in their body or
 * query); the other valid requests mix them with generated values, so "not found" stays covered too.
 *
 * Not reached, because generated values rarely pass rules the schema cannot carry: webhooks past their
 * signature check (403) or with object "page"; sign-in and password changes with the real password (401, 403
 * wrong_password); passwords long enough for the brand's policy (400 password_too_short); report ranges within
 * 366 days (400 invalid_range); a channel update of one kind's settings only (400); a form submitted with all
 * its fields (422). Those success paths are the flow tests' (test/api/auth, test/api/reports, test/api/admin,
 * test/api/conversations, test/api/forms, test/api/webhooks).
 */
const world = await startConnectorWorld();
const { system } = world;
afterAll(() => world.stop());
const document: OpenApiDocument = await readJson(await fetch(`${system.url}/openapi.json`));
const conformance = new Conformance(document);
useValidator(conformance.accepts);

/** A fixed seed per operation: the same requests on every run, unchanged when other operations come and go. */
const seedOf = (operationId: string) => createHash('sha256').update(operationId).digest().readInt32BE(0);

describe('every operation of /openapi.json keeps its contract', () => {
  it.each(operationsOf(document).map((operation) => [`${operation.operationId} (${operation.method.toUpperCase()} ${operation.path})`, operation] as const))(
    '%s: schema-valid, boundary and invalid requests get a declared status and body, never a 5xx',
    async (_name, operation) => {
      // A brand of its own, where the operation is a brand's: it may sign its admin out, lock it or disable the brand.
      // What its path names is made for it alone: it may close, consume or lock it.
      const named = await namedThingsFor(world, operation);
      const { tenant } = named;
      const credentials: Record<string, string | undefined> = {
        sessionToken: tenant && `Bearer ${tenant.admin.token}`, brandToken: tenant && `Bearer ${tenant.apiToken}`,
        adminToken: `Bearer ${testAdminToken}`, operatorToken: `Bearer ${testOperatorToken}`,
      };
      const requests = requestsFor(document, operation, {
        seed: seedOf(operation.operationId),
        credentials: (scheme) => credentials[scheme],
        known: { operatorToken: testOperatorToken, ...(tenant ? { brandId: tenant.brandId, userId: tenant.admin.id } : {}), ...named.path },
        knownFields: named.fields,
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
