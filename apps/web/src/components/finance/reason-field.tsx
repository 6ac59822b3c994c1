import { useI18n } from '../../i18n';
import type { VerdictError } from '../../pages/finance/verdict';

/** The API's reason code in the page's words (a code the page does not know: the code itself). */
export function useReasonWords(): (code: string) => string {
  const { t } = useI18n();
  const words: Record<string, string> = t.financeQueue.reasons;
  return (code) => words[code] ?? code;
}

/**
 * Why an expenditure (or a part of it) is ineligible: a code of the API's list, chosen in plain
 * words, and a note (required with `other`; the partner sees it).
 */
export function ReasonFields(props: {
  reason: string;
  onReason: (code: string) => void;
  note: string;
  onNote: (value: string) => void;
  cut: boolean;
  error: VerdictError | null;
}) {
  const { t } = useI18n();
  return (
    <>
      {props.cut && (
        <div class="field">
          <label for="verdict-reason">{t.financeQueue.reason}</label>
          <select
            id="verdict-reason"
            value={props.reason}
            required
            aria-invalid={props.error === 'reason' ? 'true' : undefined}
            aria-describedby="verdict-reason-hint"
            onChange={(e) => props.onReason(e.currentTarget.value)}
          >
            <option value="">{t.financeQueue.chooseReason}</option>
            {Object.entries(t.financeQueue.reasons).map(([code, words]) => (
              <option key={code} value={code}>
                {words}
              </option>
            ))}
          </select>
          <span id="verdict-reason-hint" class="hint">
            {t.financeQueue.reasonHint}
          </span>
        </div>
      )}
      <div class="field">
        <label for="verdict-note">{t.financeQueue.note}</label>
        <textarea
          id="verdict-note"
          rows={3}
          maxLength={1000}
          value={props.note}
          required={props.cut && props.reason === 'other'}
          aria-invalid={props.error === 'note' ? 'true' : undefined}
          aria-describedby="verdict-note-hint"
          onInput={(e) => props.onNote(e.currentTarget.value)}
        />
        <span id="verdict-note-hint" class="hint">
          {t.financeQueue.noteHint}
        </span>
      </div>
    </>
  );
}
