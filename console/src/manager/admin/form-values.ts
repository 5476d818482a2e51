/** A number typed into a form; blank or not a number is sent as null, so the server says what it expects. */
export const numberOrNull = (text: string): number | null => (text.trim() === '' || Number.isNaN(Number(text)) ? null : Number(text));
