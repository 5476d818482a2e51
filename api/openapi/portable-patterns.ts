/**
 * JSON Schema patterns are ECMA-262 regular expressions without flags. zod-to-openapi
 * prints a JavaScript regex literal's flags into the pattern (`^a$/i`), which then
 * matches nothing: write case-insensitivity as character classes instead.
 * Called on the generated document, so such a schema fails at startup, not in a client.
 */
export function assertPortablePatterns(node: unknown, where = '#'): void {
  if (Array.isArray(node)) {
    node.forEach((item, index) => assertPortablePatterns(item, `${where}/${index}`));
    return;
  }
  if (!node || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'pattern' && typeof value === 'string') {
      if (/\/[dgimsuvy]+$/.test(value)) throw new Error(`${where}: pattern ${value} carries regex flags; spell them out as character classes`);
      try {
        new RegExp(value, 'u');
      } catch (error) {
        throw new Error(`${where}: pattern ${value} is not an ECMA-262 (unicode) regular expression: ${String(error)}`);
      }
    }
    assertPortablePatterns(value, `${where}/${key}`);
  }
}
