import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

extendZodWithOpenApi(z);

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'validation_failed' }),
      message: z.string(),
      requestId: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .openapi('Error');

/**
 * Text the server trims and then requires, so all-space is refused like empty: the pattern says so in
 * the document, where zod's trim does not show. Lengths count the trimmed text.
 */
export const nonBlankText = (maxLength: number) => z.string().trim().min(1, { abort: true }).max(maxLength).regex(/\S/, 'must not be blank');
