/** Built by the manager pages' work (issue 13). */
export function Reports() {
  return <h1>Reports</h1>;
}
