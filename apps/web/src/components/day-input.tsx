import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { parseDay } from '../day-text';
import { useI18n } from '../i18n';

/**
 * A day field's label: its name, then the format (`mmmm-mm-dd` / `yyyy-mm-dd`). The input is
 * labelled by both parts (aria-labelledby), so its name says the format too.
 */
export function DayLabel(props: { id: string; children: ComponentChildren }) {
  const { t } = useI18n();
  return (
    <label for={props.id}>
      <span id={`${props.id}-name`}>{props.children}</span>{' '}
      <span id={`${props.id}-format`} class="day-format">
        ({t.day.format})
      </span>
    </label>
  );
}

/**
 * A day typed as text in the page's form (see day-text.ts), not the browser's date control (which
 * follows the browser's locale). `onValue` gets the day as yyyy-mm-dd when the text is one (a
 * `yyyy.mm.dd` is shown normalised on leaving the field), else the text as typed (the API then names
 * the field). A text that is no day says so at the field on leaving it, or when `refused`.
 */
export function DayInput(props: {
  id: string;
  value: string;
  onValue: (value: string) => void;
  name?: string;
  required?: boolean;
  /** The field's other descriptions (help, the API's error). */
  describedBy?: string | undefined;
  /** Marked invalid by the form (the API's error, shown by the form). */
  invalid?: boolean;
  /** Checked by the form on submit: say it is no day even before the field was left. */
  refused?: boolean;
}) {
  const { t } = useI18n();
  const [text, setText] = useState(props.value);
  const [left, setLeft] = useState(false);
  // A value set from outside (a reset, a loaded record) replaces the text.
  useEffect(() => {
    if (props.value !== (parseDay(text) ?? text.trim())) setText(props.value);
  }, [props.value]);
  const wrong = text.trim() !== '' && parseDay(text) === null && (left || props.refused === true);
  const errorId = `${props.id}-day-error`;
  const hintId = `${props.id}-day-hint`;
  return (
    <>
      <input
        id={props.id}
        name={props.name}
        type="text"
        autoComplete="off"
        spellcheck={false}
        value={text}
        aria-labelledby={`${props.id}-name ${props.id}-format`}
        aria-describedby={[hintId, props.describedBy, wrong ? errorId : ''].filter(Boolean).join(' ')}
        aria-invalid={wrong || props.invalid ? 'true' : undefined}
        aria-required={props.required ? 'true' : undefined}
        onInput={(e) => {
          const typed = e.currentTarget.value;
          setText(typed);
          setLeft(false);
          props.onValue(parseDay(typed) ?? typed.trim());
        }}
        onBlur={() => {
          const day = parseDay(text);
          if (day) setText(day);
          setLeft(true);
        }}
      />
      <span id={hintId} class="visually-hidden">
        {t.day.hint}
      </span>
      {wrong && (
        <p class="field-error" id={errorId}>
          <span aria-hidden="true">⚠ </span>
          {t.day.invalid}
        </p>
      )}
    </>
  );
}
