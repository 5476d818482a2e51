import { useEffect, useState } from 'preact/hooks';
import { Dialog } from '../common/Dialog';
import { ErrorNote } from '../common/ErrorNote';
import { listTemplates } from './formsApi';
import type { FormTemplate } from './types';

function fieldSummary(template: FormTemplate): string {
  return template.fields.map((field) => (field.type === 'cvv' || field.offRecord ? `${field.label} (off the record)` : field.label)).join(', ');
}

/** Choose a template (built-in or the brand's own) and send it into the conversation. */
export function TemplateChooser(props: { open: boolean; onClose: () => void; onSend: (templateId: string) => Promise<void> }) {
  const [templates, setTemplates] = useState<FormTemplate[] | undefined>(undefined);
  const [choice, setChoice] = useState<string | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!props.open) return;
    setError(undefined);
    listTemplates()
      .then((items) => {
        setTemplates(items);
        setChoice((current) => (current && items.some((item) => item.id === current) ? current : items[0]?.id));
      })
      .catch(setError);
  }, [props.open]);

  const send = async (event: Event) => {
    event.preventDefault();
    if (!choice) return;
    setBusy(true);
    setError(undefined);
    try {
      await props.onSend(choice);
      props.onClose();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title="Send a secure form" open={props.open} onClose={props.onClose}>
      <form class="stack template-chooser" onSubmit={send}>
        <p class="hint">The visitor gets a one-time link. What they enter stays out of the transcript; only you can reveal it.</p>
        {templates === undefined && !error && <p role="status">Loading the templates…</p>}
        {templates && (
          <fieldset class="stack">
            <legend>Template</legend>
            {templates.map((template) => (
              <div class="template-option" key={template.id}>
                <input
                  type="radio" name="template" id={`template-${template.id}`} value={template.id} checked={choice === template.id}
                  onChange={() => setChoice(template.id)} aria-describedby={`template-${template.id}-fields`}
                />
                <div>
                  <label for={`template-${template.id}`}>{template.title}{template.builtIn ? '' : ' (your brand)'}</label>
                  <p class="hint" id={`template-${template.id}-fields`}>Asks for: {fieldSummary(template)}</p>
                </div>
              </div>
            ))}
          </fieldset>
        )}
        <ErrorNote error={error} />
        <div class="row">
          <button type="submit" class="primary" disabled={busy || !choice}>Send the form</button>
          <button type="button" onClick={props.onClose}>Cancel</button>
        </div>
      </form>
    </Dialog>
  );
}
