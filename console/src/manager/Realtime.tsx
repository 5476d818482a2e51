/** Built by the manager pages' work (issue 13). */
export function Realtime() {
  return <h1>Realtime</h1>;
}
