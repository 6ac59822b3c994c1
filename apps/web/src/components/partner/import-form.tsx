import { useRef, useState } from 'preact/hooks';
import { ApiError } from '../../api';
import { useI18n } from '../../i18n';

const KINDS = [
  'service-delivered',
  'caregiver-consultation',
  'psychological-support',
  'training-held',
  'equipment-procured',
  'promotion-event',
  'expenditure',
];

/** The file, a CSV's kind when it has no kind column, and "only check" (on unless unticked). */
export function ImportForm(props: { onStart: (file: File, dryRun: boolean, kind: string) => Promise<void> }) {
  const { t } = useI18n();
  const ti = t.partnerImport;
  const fileRef = useRef<HTMLInputElement>(null);
  const [dryRun, setDryRun] = useState(true);
  const [kind, setKind] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const file = fileRef.current?.files?.[0];
    if (!file) {
      setError(ti.noFile);
      fileRef.current?.focus();
      return;
    }
    setError(null);
    setBusy(true);
    try {
      await props.onStart(file, dryRun, kind);
    } catch (err) {
      setError(err instanceof ApiError || err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card form-card" aria-labelledby="import-form-title" noValidate onSubmit={submit}>
      <h2 id="import-form-title">{ti.upload}</h2>
      <div class={`field${error ? ' invalid' : ''}`}>
        <label for="import-file">{ti.file}</label>
        <p class="help" id="import-file-help">
          {ti.fileHelp}
        </p>
        <input
          id="import-file"
          type="file"
          accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          ref={fileRef}
          aria-describedby={error ? 'import-file-help import-file-error' : 'import-file-help'}
          aria-invalid={error ? 'true' : undefined}
        />
        {error && (
          <p class="field-error" id="import-file-error" role="alert">
            <span aria-hidden="true">⚠ </span>
            {error}
          </p>
        )}
      </div>
      <ImportKindField kind={kind} onChange={setKind} />
      <div class="field check">
        <input
          id="import-dry-run"
          type="checkbox"
          checked={dryRun}
          onChange={(e) => setDryRun((e.currentTarget as HTMLInputElement).checked)}
        />
        <label for="import-dry-run">{ti.dryRun}</label>
      </div>
      <button type="submit" disabled={busy}>
        {ti.upload}
      </button>
    </form>
  );
}

function ImportKindField(props: { kind: string; onChange: (kind: string) => void }) {
  const { t } = useI18n();
  const ti = t.partnerImport;
  return (
    <div class="field">
      <label for="import-kind">{ti.kind}</label>
      <p class="help" id="import-kind-help">
        {ti.kindHelp}
      </p>
      <select
        id="import-kind"
        aria-describedby="import-kind-help"
        value={props.kind}
        onChange={(e) => props.onChange((e.currentTarget as HTMLSelectElement).value)}
      >
        <option value="">{ti.kindFromFile}</option>
        {KINDS.map((k) => (
          <option key={k} value={k}>
            {t.partnerForms.kinds[k]}
          </option>
        ))}
      </select>
    </div>
  );
}
