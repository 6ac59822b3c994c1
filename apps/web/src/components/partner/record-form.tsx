import type { ComponentChildren, Ref } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, type ApiIssue } from '../../api';
import { useI18n } from '../../i18n';
import type { Dictionary } from '../../i18n/lt';
import { bodyOf, type FormValues } from '../../pages/partner/form-values';
import type { FieldSpec, KindSpec } from '../../pages/partner/record-kinds';
import { controlId, FormField } from './form-field';
import { issueText } from './issue-text';

interface Refusal {
  /** The message per control; an issue no control holds goes to the summary only. */
  readonly byField: Readonly<Record<string, string>>;
  readonly summary: readonly { readonly name: string | null; readonly text: string }[];
}

/** The control an issue's field path belongs to: itself, or the one inside it (`recipient` → its code). */
function fieldOf(fields: readonly FieldSpec[], path: string): FieldSpec | undefined {
  return fields.find((f) => f.name === path) ?? fields.find((f) => f.name.startsWith(`${path}.`));
}

/** The API's refusal as the form shows it: the first message of each control, the rest in the summary only. */
function refusalOf(e: unknown, fields: readonly FieldSpec[], rules: Dictionary['partnerForms']['rules']): Refusal {
  const issues: readonly ApiIssue[] = e instanceof ApiError ? e.issues : [];
  const byField: Record<string, string> = {};
  const summary: { name: string | null; text: string }[] = [];
  for (const issue of issues) {
    const field = fieldOf(fields, issue.field);
    const text = issueText(rules, issue, field);
    if (!field) summary.push({ name: null, text });
    else if (!byField[field.name]) {
      byField[field.name] = text;
      summary.push({ name: field.name, text });
    }
  }
  if (summary.length === 0) summary.push({ name: null, text: e instanceof Error ? e.message : String(e) });
  return { byField, summary };
}

/** At the top of the form, focused when it appears: what to correct, each linked to its control. */
function ErrorSummary(props: { id: string; refusal: Refusal; summaryRef: Ref<HTMLDivElement> }) {
  const { t } = useI18n();
  const tf = t.partnerForms;
  const { refusal } = props;
  const refused = Object.keys(refusal.byField).length;
  return (
    <div
      class="error-summary"
      tabIndex={-1}
      ref={props.summaryRef}
      aria-labelledby={`${props.id}-summary`}
      role="group"
    >
      <h2 id={`${props.id}-summary`}>{refused > 0 ? tf.summaryTitle(refused) : tf.notSaved}</h2>
      <ul>
        {refusal.summary.map((s, i) => (
          <li key={i}>
            {s.name ? (
              <a href={`#${controlId(props.id, s.name)}`}>
                {tf.labels[s.name] ?? s.name}: {s.text}
              </a>
            ) : (
              s.text
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * A form for one record kind. Checked by the API only (no browser validation first), so a person
 * sees exactly the API's rules: each refused field gets its message below it, and a summary at the
 * top, which takes the focus, links to each.
 */
export function RecordForm(props: {
  id: string;
  spec: Pick<KindSpec, 'fields' | 'fixed'> & { readonly kind: string };
  extraFields?: readonly FieldSpec[];
  initial: FormValues;
  categories: readonly { id: string; name: string }[];
  submitLabel: string;
  onSubmit: (body: Record<string, unknown>) => Promise<void>;
  children?: ComponentChildren;
}) {
  const { t } = useI18n();
  const tf = t.partnerForms;
  const fields = [...props.spec.fields, ...(props.extraFields ?? [])];
  const [values, setValues] = useState<FormValues>(props.initial);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [busy, setBusy] = useState(false);
  const summaryRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (refusal) summaryRef.current?.focus();
  }, [refusal]);
  const refuse = (e: unknown) => setRefusal(refusalOf(e, fields, tf.rules));
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    try {
      await props.onSubmit(bodyOf({ ...props.spec, fields }, values));
      setRefusal(null);
      setValues(props.initial);
    } catch (err) {
      refuse(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="record-form" noValidate onSubmit={submit} data-form={props.spec.kind}>
      {refusal && <ErrorSummary id={props.id} refusal={refusal} summaryRef={summaryRef} />}
      {props.children}
      {fields.map((f) => (
        <FormField
          key={f.name}
          form={props.id}
          field={f}
          value={values[f.name] ?? ''}
          error={refusal?.byField[f.name]}
          categories={props.categories}
          onInput={(v) => setValues({ ...values, [f.name]: v })}
        />
      ))}
      <p>
        <button type="submit" disabled={busy}>
          {busy ? tf.saving : props.submitLabel}
        </button>
      </p>
    </form>
  );
}
