import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { ContractRequest, ContractResponse } from './exchange.js';
import type { Operation } from './operations.js';
import type { OpenApiDocument, Schema } from './schemas.js';

// ajv-formats is CommonJS: under ESM its default export arrives wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;

/** Checks responses against the document: declared status, declared media type, body valid against its schema. */
export class Conformance {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly compiled = new WeakMap<Schema, ValidateFunction>();

  constructor(private readonly document: OpenApiDocument) {
    addFormats(this.ajv);
  }

  private validator(schema: Schema): ValidateFunction {
    let validate = this.compiled.get(schema);
    if (!validate) {
      // Local $refs point into the document's components: compile the schema with them beside it.
      validate = this.ajv.compile({ ...schema, components: this.document.components });
      this.compiled.set(schema, validate);
    }
    return validate;
  }

  /** Whether a value is valid against a schema of the document. */
  readonly accepts = (schema: Schema, value: unknown): boolean => Boolean(this.validator(schema)(value));

  private problemsOf(schema: Schema, value: unknown, what: string): string[] {
    const validate = this.validator(schema);
    if (validate(value)) return [];
    return [`${what} does not match its schema: ${this.ajv.errorsText(validate.errors)}; got ${JSON.stringify(value).slice(0, 300)}`];
  }

  /** What is wrong with this response to this request; empty when it keeps the contract. */
  check(operation: Operation, request: ContractRequest, response: ContractResponse): string[] {
    const declared = operation.responses[String(response.status)] ?? operation.responses.default;
    if (response.status >= 500) return [`${response.status}: a server error (${response.text.slice(0, 300)})`];
    if (!declared) return [`status ${response.status} is not declared (${response.text.slice(0, 200)})`];
    const problems: string[] = [];
    if (request.kind === 'invalid' && response.status < 400) problems.push(`accepted with ${response.status} an invalid request`);
    const content = declared.content as Record<string, Schema> | undefined;
    if (!content) {
      if (response.text.length > 0) problems.push(`status ${response.status} declares no body but has one: ${response.text.slice(0, 200)}`);
      return problems;
    }
    const media = response.mediaType && content[response.mediaType];
    if (!media) return [...problems, `${response.status} answered as ${response.mediaType ?? 'no media type'}; declared: ${Object.keys(content).join(', ')}`];
    if (response.mediaType === 'text/event-stream') {
      problems.push(...this.problemsOf(media.schema, response.text, 'the stream'));
      const itemSchema = media['x-itemSchema'] as Schema | undefined;
      if (!itemSchema) problems.push('an event stream without x-itemSchema describing its events');
      for (const event of response.events ?? []) {
        const data = (() => {
          try {
            return JSON.parse(event.data ?? '');
          } catch {
            return event.data;
          }
        })();
        if (itemSchema) problems.push(...this.problemsOf(itemSchema, { ...event, data }, `event ${event.event}`));
      }
      return problems;
    }
    if (response.mediaType === 'application/json') {
      let body: unknown;
      try {
        body = JSON.parse(response.text);
      } catch {
        return [...problems, `${response.status} says application/json but its body is not JSON`];
      }
      problems.push(...this.problemsOf(media.schema, body, `the ${response.status} body`));
      problems.push(...this.reasonProblems(request, response.status, body, declared));
      return problems;
    }
    return [...problems, ...this.problemsOf(media.schema, response.text, `the ${response.status} body`)];
  }

  /** A request the schema allows may still be refused (a stale cursor, an unknown agent), but only for a reason the 400 names. */
  private reasonProblems(request: ContractRequest, status: number, body: unknown, declared: Schema): string[] {
    if (request.kind === 'invalid' || status !== 400) return [];
    const code = (body as { error?: { code?: string } }).error?.code ?? '';
    if (String(declared.description).includes(code)) return [];
    const { requestId: _id, ...error } = (body as { error: Record<string, unknown> }).error;
    return [`refused a schema-valid request with 400 ${code}, a reason its 400 does not declare: ${JSON.stringify(error)}`];
  }
}
