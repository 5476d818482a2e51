import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { StreamEvent } from '../api/types';
import { announce } from '../common/announcer';
import { useSession } from '../session/session';
import { listForms, readForm, upsertForm } from './formsApi';
import type { FormStatus } from './types';

const spokenEvents: Record<string, string> = {
  'form.opened': 'Secure form opened by the visitor',
  'form.submitted': 'Secure form submitted',
  'form.expired': 'Secure form expired',
};

function spokenSubmission(event: StreamEvent): string {
  const expiresAt = typeof event.data.offRecordExpiresAt === 'string' ? Date.parse(event.data.offRecordExpiresAt) : NaN;
  if (Number.isNaN(expiresAt)) return spokenEvents['form.submitted']!;
  const seconds = Math.max(0, Math.round((expiresAt - Date.now()) / 1000));
  return `Secure form submitted. Its off-the-record answers are kept for ${seconds} seconds.`;
}

/**
 * The conversation's secure forms, kept current: read on mount and after every reconnection,
 * and each form re-read when a live event names it (events carry ids only).
 */
export function useConversationForms(conversationId: string) {
  const session = useSession();
  const [forms, setForms] = useState<FormStatus[] | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  // Answers for a conversation no longer shown are dropped.
  const shown = useRef(conversationId);
  shown.current = conversationId;

  const reload = useCallback(async () => {
    try {
      const items = await listForms(conversationId);
      if (shown.current !== conversationId) return;
      setForms(items);
      setError(undefined);
    } catch (caught) {
      if (shown.current === conversationId) setError(caught);
    }
  }, [conversationId]);

  const refreshForm = useCallback(async (formId: string) => {
    try {
      const form = await readForm(formId);
      if (shown.current !== conversationId || form.conversationId !== conversationId) return;
      setForms((current) => upsertForm(current ?? [], form));
    } catch {
      await reload();
    }
  }, [conversationId, reload]);

  useEffect(() => {
    setForms(undefined);
    setError(undefined);
    void reload();
    const stopEvents = session.live.onEvent((event) => {
      if (!event.type.startsWith('form.') || event.data.conversationId !== conversationId) return;
      if (typeof event.data.formId === 'string') void refreshForm(event.data.formId);
      else void reload();
      if (event.type === 'form.submitted') announce(spokenSubmission(event));
      else if (spokenEvents[event.type]) announce(spokenEvents[event.type]!);
    });
    const stopResync = session.live.onResync(() => void reload());
    return () => {
      stopEvents();
      stopResync();
    };
  }, [conversationId, session.live, reload, refreshForm]);

  return { forms, error, reload, refreshForm };
}
