import { useEffect, useState } from 'preact/hooks';
import { useI18n } from '../../i18n';
import { formatNumber } from '../../i18n/format';
import { loadRowErrors, type ImportStatus } from '../../pages/partner/import-data';

const COLUMNS = ['row', 'column', 'value', 'rule', 'message'] as const;

/** The summary of a finished import, then each refused row's column, value, rule and message. */
export function ImportResult({ status }: { status: ImportStatus }) {
  const { t, locale } = useI18n();
  const ti = t.partnerImport;
  const s = status.summary!;
  const [rows, setRows] = useState<Record<string, string>[] | null>(null);
  useEffect(() => {
    if (status.errors) void loadRowErrors(status.errors.csv).then(setRows);
  }, [status.errors?.csv]);
  const n = (v: number) => formatNumber(locale, v);
  return (
    <div data-import-result>
      <h3>{ti.summaryTitle}</h3>
      {s.dryRun && (
        <p>
          <strong>{ti.dryRunDone}</strong>
        </p>
      )}
      <dl class="facts values">
        <dt>{ti.rows}</dt>
        <dd data-figure="import-rows">{n(s.rows)}</dd>
        <dt>{s.dryRun ? ti.importedDry : ti.imported}</dt>
        <dd data-figure="import-imported">{n(s.imported)}</dd>
        <dt>{ti.alreadyPresent}</dt>
        <dd>{n(s.alreadyPresent)}</dd>
        <dt>{ti.rejected}</dt>
        <dd data-figure="import-rejected">{n(s.rejected)}</dd>
      </dl>
      {!status.errors && <p>{ti.noErrors}</p>}
      {status.errors && (
        <>
          <ul class="actions downloads">
            <li>
              <a class="button secondary-link" href={status.errors.csv} download>
                {ti.errorsCsv}
              </a>
            </li>
            <li>
              <a class="button secondary-link" href={status.errors.xlsx} download>
                {ti.errorsXlsx}
              </a>
            </li>
          </ul>
          {rows && <RowErrorsTable rows={rows} />}
        </>
      )}
    </div>
  );
}

function RowErrorsTable({ rows }: { rows: readonly Record<string, string>[] }) {
  const { t } = useI18n();
  const ti = t.partnerImport;
  return (
    <table data-table="row-errors">
      <caption>{ti.errorsCaption}</caption>
      <thead>
        <tr>
          {COLUMNS.map((c) => (
            <th scope="col" key={c}>
              {ti[c]}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={i}>
            <th scope="row">{r.row}</th>
            <td>{r.column}</td>
            <td>{r.value}</td>
            <td>
              <code>{r.rule}</code>
            </td>
            <td>{r.message}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
