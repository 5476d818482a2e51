/** Reads a JSON response body for assertions (tests check its shape themselves). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function readJson(response: Response): Promise<any> {
  return response.json();
}
