/** Built by the manager pages' work (issue 13). */
export function Profiles() {
  return <h1>Profiles</h1>;
}
