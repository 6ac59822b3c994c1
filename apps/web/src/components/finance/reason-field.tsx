import { useI18n } from '../../i18n';

/**
 * The reason an expenditure (or a part of it) is ineligible: free text today, as the API takes a
 * note. When a list of reason codes exists, this one field becomes a select; the form stays the same.
 */
export function ReasonField(props: {
  value: string;
  onInput: (value: string) => void;
  required: boolean;
  invalid: boolean;
}) {
  const { t } = useI18n();
  return (
    <div class="field">
      <label for="verdict-reason">{props.required ? t.financeQueue.reason : t.financeQueue.note}</label>
      <textarea
        id="verdict-reason"
        rows={3}
        maxLength={1000}
        value={props.value}
        required={props.required}
        aria-invalid={props.invalid ? 'true' : undefined}
        aria-describedby="verdict-reason-hint"
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
      <span id="verdict-reason-hint" class="hint">
        {t.financeQueue.reasonHint}
      </span>
    </div>
  );
}
