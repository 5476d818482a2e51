import { useEffect, useState } from 'preact/hooks';
import { get } from '../api/client';

export interface AuditFilter {
  action: string;
  targetId: string;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, { parameters?: { name: string; in: string; schema?: { enum?: string[] } }[] } | undefined> | undefined>;
}

let loading: Promise<string[]> | undefined;

/** The actions GET /api/v1/audit filters by, read from its `action` query in /openapi.json: the contract, so the list never drifts. */
function loadAuditActions(): Promise<string[]> {
  loading ??= get<OpenApiDocument>('/openapi.json')
    .then((document) => document.paths['/api/v1/audit']?.get?.parameters?.find((p) => p.in === 'query' && p.name === 'action')?.schema?.enum ?? [])
    .catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
  return loading;
}

/** The audit actions, once loaded (empty meanwhile, or if the document cannot be read: the filter then offers "All actions" only). */
export function useAuditActions(): string[] {
  const [actions, setActions] = useState<string[]>([]);
  useEffect(() => {
    let current = true;
    loadAuditActions().then((loaded) => current && setActions(loaded), () => undefined);
    return () => {
      current = false;
    };
  }, []);
  return actions;
}
