import { Fragment } from 'preact';
import { useI18n, type I18n } from '../../i18n';
import { formatMoney, formatNumber } from '../../i18n/format';
import { centsToMoney } from '../../pages/partner/partner-api';
import type { HistoryEntry } from '../../pages/partner/record-data';

/** Ids and the recipient's pseudonym say nothing to a reader; the recipient is never shown. */
const HIDDEN = /(^|\.)(activityId|expenditureId|projectCode|partnerId|kind|recipient|pseudonym|keyVersion)$/;

/** A record's values as label and text, nested ones flattened (`fields.durationMinutes`), money formatted. */
export function valueRows(
  data: Readonly<Record<string, unknown>>,
  i18n: Pick<I18n, 't' | 'locale'>,
  prefix = '',
): [string, string][] {
  const { t, locale } = i18n;
  const rows: [string, string][] = [];
  for (const [k, v] of Object.entries(data)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (HIDDEN.test(path) || v === null || v === undefined) continue;
    if (typeof v === 'object' && !Array.isArray(v)) {
      rows.push(...valueRows(v as Record<string, unknown>, i18n, path));
      continue;
    }
    const name = k.endsWith('Cents') ? k.slice(0, -5) : k;
    const label = t.partnerForms.labels[name] ?? name;
    const outer = prefix.split('.').pop() ?? '';
    const where = prefix && outer !== 'fields' ? `${t.partnerForms.labels[outer] ?? outer}: ` : '';
    let text: string;
    if (k.endsWith('Cents') && typeof v === 'number') text = formatMoney(locale, centsToMoney(v));
    else if (typeof v === 'number') text = formatNumber(locale, v);
    else if (typeof v === 'string' && /^\d+\.\d{2}$/.test(v) && /amount|price|total|eligible/i.test(k))
      text = formatMoney(locale, v);
    else if (typeof v === 'string') text = t.partnerForms.options[v] ?? v;
    else if (typeof v === 'boolean') text = v ? t.partnerRecords.yes : t.partnerRecords.no;
    else text = String(v);
    rows.push([`${where}${label}`, text]);
  }
  return rows;
}

export function ValueList(props: { data: Readonly<Record<string, unknown>> }) {
  const i18n = useI18n();
  return (
    <dl class="facts values">
      {valueRows(props.data, i18n).map(([label, text], i) => (
        <Fragment key={i}>
          <dt>{label}</dt>
          <dd>{text}</dd>
        </Fragment>
      ))}
    </dl>
  );
}

/** Every event of the record in order: who, when, what happened and the values it carried. */
export function HistoryTable(props: { history: readonly HistoryEntry[] }) {
  const { t } = useI18n();
  const tr = t.partnerRecords;
  return (
    <table data-table="history">
      <caption>{tr.historyCaption}</caption>
      <thead>
        <tr>
          <th scope="col">{tr.historyNo}</th>
          <th scope="col">{tr.historyWhen}</th>
          <th scope="col">{tr.historyWho}</th>
          <th scope="col">{tr.historyWhat}</th>
          <th scope="col">{tr.historyValues}</th>
        </tr>
      </thead>
      <tbody>
        {props.history.map((h, i) => (
          <tr key={h.revision}>
            <th scope="row">{i + 1}</th>
            <td>{h.recordedAt.slice(0, 16).replace('T', ' ')}</td>
            <td>
              {h.actor?.subject ?? '—'}
              {h.actor?.role ? ` (${t.roles[h.actor.role as keyof typeof t.roles] ?? h.actor.role})` : ''}
            </td>
            <td>{tr.events[h.type] ?? tr.eventRecorded}</td>
            <td>
              <ValueList data={h.data} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
