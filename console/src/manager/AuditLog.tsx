/** Built by the manager pages' work (issue 13). */
export function AuditLog() {
  return <h1>AuditLog</h1>;
}
