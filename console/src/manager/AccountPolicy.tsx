/** Built by the manager pages' work (issue 13). */
export function AccountPolicy() {
  return <h1>AccountPolicy</h1>;
}
