import { describedBy, Field } from './Field';
import type { SkillsDraft } from './skills';

/** Which queues a user works: a checkbox per known queue plus free entry. */
export function SkillsField(props: {
  idPrefix: string; queueIds: string[]; draft: SkillsDraft; onChange: (draft: SkillsDraft) => void; error?: string; disabledReason?: string;
}) {
  const { draft, onChange } = props;
  const disabled = props.disabledReason !== undefined;
  const reasonId = disabled ? `${props.idPrefix}-skills-reason` : undefined;
  const toggle = (queueId: string, on: boolean) =>
    onChange({ ...draft, checked: on ? [...draft.checked, queueId] : draft.checked.filter((id) => id !== queueId) });
  return (
    <fieldset class="stack" aria-describedby={describedBy(reasonId, props.error && `${props.idPrefix}-other-skills-error`)}>
      <legend>Skills (queues)</legend>
      {disabled && <p class="hint" id={reasonId}>{props.disabledReason}</p>}
      {props.queueIds.length > 0 && (
        <div class="admin-checks">
          {props.queueIds.map((queueId) => (
            <label key={queueId}>
              <input type="checkbox" checked={draft.checked.includes(queueId)} disabled={disabled} onChange={(e) => toggle(queueId, e.currentTarget.checked)} />
              {queueId}
            </label>
          ))}
        </div>
      )}
      <Field id={`${props.idPrefix}-other-skills`} label={props.queueIds.length > 0 ? 'Other queue ids' : 'Queue ids'} hint="Separate them with commas or spaces." error={props.error}>
        {(aria) => (
          <input {...aria} value={draft.other} disabled={disabled} autoComplete="off" spellcheck={false} onInput={(e) => onChange({ ...draft, other: e.currentTarget.value })} />
        )}
      </Field>
    </fieldset>
  );
}
