/** Built by the manager pages' work (issue 13). */
export function Users() {
  return <h1>Users</h1>;
}
