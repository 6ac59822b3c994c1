import type { FieldSpec } from '../../pages/partner/record-kinds';
import { useI18n } from '../../i18n';
import { DayInput, DayLabel } from '../day-input';

export const controlId = (form: string, name: string) => `${form}-${name.replace(/\./g, '-')}`;

/** One labelled control with its help text and, when the API refused it, the reason right below. */
export function FormField(props: {
  form: string;
  field: FieldSpec;
  value: string;
  error: string | undefined;
  categories: readonly { id: string; name: string }[];
  onInput: (value: string) => void;
}) {
  const { t } = useI18n();
  const tf = t.partnerForms;
  const { field, form } = props;
  const id = controlId(form, field.name);
  const help = tf.help[field.name];
  const described = [help ? `${id}-help` : '', props.error ? `${id}-error` : ''].filter(Boolean).join(' ');
  const common = {
    id,
    name: field.name,
    'aria-describedby': described || undefined,
    'aria-invalid': props.error ? ('true' as const) : undefined,
    'aria-required': field.optional ? undefined : ('true' as const),
    onInput: (e: Event) => props.onInput((e.currentTarget as HTMLInputElement).value),
  };
  return (
    <div class={`field${props.error ? ' invalid' : ''}`} data-field={field.name}>
      {field.type === 'date' ? (
        <DayLabel id={id}>{tf.labels[field.name] ?? field.name}</DayLabel>
      ) : (
        <label for={id}>
          {tf.labels[field.name] ?? field.name}
          {field.type === 'time' && <span class="day-format"> ({t.time.format})</span>}
          {field.optional && <span class="muted"> {tf.optional}</span>}
        </label>
      )}
      {help && (
        <p class="help" id={`${id}-help`}>
          {help}
        </p>
      )}
      {field.type === 'date' ? (
        <DayInput
          id={id}
          name={field.name}
          value={props.value}
          onValue={props.onInput}
          required={!field.optional}
          describedBy={described || undefined}
          invalid={!!props.error}
        />
      ) : (
        <Control {...props} common={common} />
      )}
      {props.error && (
        <p class="field-error" id={`${id}-error`}>
          <span aria-hidden="true">⚠ </span>
          {props.error}
        </p>
      )}
    </div>
  );
}

function Control(props: {
  field: FieldSpec;
  value: string;
  categories: readonly { id: string; name: string }[];
  common: Record<string, unknown>;
}) {
  const { t } = useI18n();
  const tf = t.partnerForms;
  const { field, value, common } = props;
  if (field.type === 'select' || field.type === 'category') {
    const options =
      field.type === 'category'
        ? props.categories.map((c) => [c.id, tf.categories[c.id] ?? c.name] as const)
        : (field.options ?? []).map((o) => [o, tf.options[o] ?? o] as const);
    return (
      <select {...common} value={value}>
        <option value="">{tf.choose}</option>
        {options.map(([v, label]) => (
          <option key={v} value={v}>
            {label}
          </option>
        ))}
      </select>
    );
  }
  if (field.type === 'textarea') return <textarea {...common} value={value} rows={3} />;
  // Text, not the browser's time control, which shows a 12-hour clock in an English browser.
  if (field.type === 'time')
    return <input {...common} type="text" inputMode="numeric" autoComplete="off" spellcheck={false} value={value} />;
  if (field.type === 'int')
    return (
      <input {...common} type="number" inputMode="numeric" step={1} min={field.min} max={field.max} value={value} />
    );
  if (field.type === 'money') return <input {...common} type="text" inputMode="decimal" value={value} />;
  if (field.type === 'personal-code')
    return <input {...common} type="text" inputMode="numeric" autoComplete="off" spellcheck={false} value={value} />;
  return <input {...common} type="text" value={value} />;
}
