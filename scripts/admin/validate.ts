// The API's own schema: `setup` checks the channel before creating the brand, so a typo never leaves a brand without its channel.
import '../../api/openapi/schemas.js'; // adds .openapi() to zod, which the admin schemas call when they load
import { createChannelSchema } from '../../api/routes/admin/schemas.js';
import { ApiError } from './http.js';

/** Throws what the API would answer (400 validation_failed with details), without sending anything. */
export function checkChannelBody(body: unknown): void {
  const result = createChannelSchema.safeParse(body);
  if (result.success) return;
  throw new ApiError(
    'Request body is not valid',
    'validation_failed',
    undefined,
    result.error.issues.map((issue) => ({ in: 'body', path: issue.path.join('.'), message: issue.message })),
  );
}
