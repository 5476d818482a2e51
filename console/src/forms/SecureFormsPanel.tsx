import { useState } from 'preact/hooks';
import type { Conversation } from '../api/types';
import { announce } from '../common/announcer';
import { ErrorNote } from '../common/ErrorNote';
import { shortcuts, useShortcut } from '../shell/shortcuts';
import { FormItem } from './FormItem';
import { sendForm } from './formsApi';
import { TemplateChooser } from './TemplateChooser';
import { useConversationForms } from './useConversationForms';
import './forms.css';

/**
 * The secure forms of one conversation: send a template (Alt+F), follow each form live, reveal
 * what the visitor entered, and resend when a form expired or its off-the-record answers are gone.
 */
export function SecureFormsPanel(props: { conversation: Conversation; canSend: boolean }) {
  const { conversation, canSend } = props;
  const { forms, error, refreshForm } = useConversationForms(conversation.id);
  const [choosing, setChoosing] = useState(false);

  useShortcut('secureForm', () => {
    if (canSend) setChoosing(true);
    else announce('You can send a secure form only in an open conversation assigned to you');
  });

  const send = async (templateId: string) => {
    const sent = await sendForm(conversation.id, templateId);
    announce(`Secure form “${sent.title}” sent`);
    await refreshForm(sent.formId);
  };

  return (
    <section class="secure-forms stack" aria-labelledby="secure-forms-title">
      <div class="row secure-forms-head">
        <h3 id="secure-forms-title">Secure forms</h3>
        {canSend && (
          <button type="button" onClick={() => setChoosing(true)} aria-keyshortcuts={shortcuts.secureForm.label}>
            Send a secure form <kbd>{shortcuts.secureForm.label}</kbd>
          </button>
        )}
      </div>
      <ErrorNote error={error} />
      {forms === undefined && !error && <p class="hint">Loading the secure forms…</p>}
      {forms?.length === 0 && <p class="hint">No secure form was sent in this conversation.</p>}
      {forms && forms.length > 0 && (
        <ul class="secure-form-list">
          {forms.map((form) => (
            <li key={form.formId}>
              <FormItem
                form={form} conversationOpen={conversation.status === 'open'} canSend={canSend}
                onResend={send} onGone={() => void refreshForm(form.formId)}
              />
            </li>
          ))}
        </ul>
      )}
      <TemplateChooser open={choosing} onClose={() => setChoosing(false)} onSend={send} />
    </section>
  );
}
