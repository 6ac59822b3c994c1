import { useState } from 'preact/hooks';
import { useI18n } from '../../i18n';
import type { ListFilters, Which } from '../../pages/partner/records-data';
import { parseDay } from '../../day-text';
import { DayInput, DayLabel } from '../day-input';

const ACTIVITY_KINDS = [
  'service-delivered',
  'caregiver-consultation',
  'psychological-support',
  'training-held',
  'equipment-procured',
  'promotion-event',
];
const STATES = ['pending', 'verified', 'rejected', 'voided'];

/** The list's filters, applied with a button (each change does not reload the table under the keyboard). */
export function RecordFilters(props: { filters: ListFilters; onApply: (f: ListFilters) => void }) {
  const { t } = useI18n();
  const tr = t.partnerRecords;
  const [f, setF] = useState<ListFilters>(props.filters);
  const [tried, setTried] = useState(false);
  const day = (k: 'from' | 'to') => (value: string) => setF({ ...f, [k]: value });
  const set = (k: keyof ListFilters) => (e: Event) =>
    setF({ ...f, [k]: (e.currentTarget as HTMLInputElement | HTMLSelectElement).value });
  return (
    <form
      class="card filters"
      aria-labelledby="filters-title"
      onSubmit={(e) => {
        e.preventDefault();
        // A day that is no day is said at its field; nothing is asked of the API.
        setTried(true);
        if ([f.from, f.to].every((d) => d === '' || parseDay(d) !== null)) props.onApply(f);
      }}
    >
      <h2 id="filters-title">{tr.filtersTitle}</h2>
      <div class="field">
        <label for="filter-which">{tr.which}</label>
        <select
          id="filter-which"
          value={f.which}
          onChange={(e) => setF({ ...f, which: (e.currentTarget as HTMLSelectElement).value as Which })}
        >
          <option value="activities">{tr.activities}</option>
          <option value="expenditures">{tr.expenditures}</option>
        </select>
      </div>
      {f.which === 'activities' && (
        <div class="field">
          <label for="filter-kind">{tr.kind}</label>
          <select id="filter-kind" value={f.kind} onChange={set('kind')}>
            <option value="">{tr.all}</option>
            {ACTIVITY_KINDS.map((k) => (
              <option key={k} value={k}>
                {t.partnerForms.kinds[k]}
              </option>
            ))}
          </select>
        </div>
      )}
      <div class="field">
        <label for="filter-state">{tr.state}</label>
        <select id="filter-state" value={f.state} onChange={set('state')}>
          <option value="">{tr.all}</option>
          {STATES.map((s) => (
            <option key={s} value={s}>
              {tr.states[s]}
            </option>
          ))}
        </select>
      </div>
      <div class="field-row">
        <div class="field">
          <DayLabel id="filter-from">{tr.from}</DayLabel>
          <DayInput id="filter-from" value={f.from} onValue={day('from')} refused={tried} />
        </div>
        <div class="field">
          <DayLabel id="filter-to">{tr.to}</DayLabel>
          <DayInput id="filter-to" value={f.to} onValue={day('to')} refused={tried} />
        </div>
      </div>
      <button type="submit">{tr.apply}</button>
    </form>
  );
}

/** One person's records by the personal code: the field is emptied once sent, and the code is never shown. */
export function PersonSearch(props: { onSearch: (personalCode: string) => void }) {
  const { t } = useI18n();
  const tr = t.partnerRecords;
  const [code, setCode] = useState('');
  return (
    <form
      class="card"
      aria-labelledby="search-title"
      onSubmit={(e) => {
        e.preventDefault();
        props.onSearch(code);
        setCode('');
      }}
    >
      <h2 id="search-title">{tr.searchTitle}</h2>
      <div class="field">
        <label for="search-code">{t.partnerForms.labels['recipient.personalCode']}</label>
        <p class="help" id="search-code-help">
          {tr.searchHelp}
        </p>
        <input
          id="search-code"
          type="text"
          inputMode="numeric"
          autoComplete="off"
          spellcheck={false}
          aria-describedby="search-code-help"
          value={code}
          onInput={(e) => setCode((e.currentTarget as HTMLInputElement).value)}
        />
      </div>
      <button type="submit">{tr.search}</button>
    </form>
  );
}

/** Every record the filters choose, as a file: the list's own `format=csv|xlsx`, signed in by the cookie. */
export function ExportLinks(props: { csv: string; xlsx: string }) {
  const { t } = useI18n();
  const tr = t.partnerRecords;
  return (
    <section class="card" aria-labelledby="export-title">
      <h2 id="export-title">{tr.exportTitle}</h2>
      <ul class="actions">
        <li>
          <a class="button" href={props.csv} download>
            {tr.exportCsv}
          </a>
        </li>
        <li>
          <a class="button" href={props.xlsx} download>
            {tr.exportXlsx}
          </a>
        </li>
      </ul>
    </section>
  );
}
