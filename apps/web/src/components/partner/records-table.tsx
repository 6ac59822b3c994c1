import { useI18n } from '../../i18n';
import { formatDay, formatMoney, formatNumber } from '../../i18n/format';
import type { ListedRecord } from '../../pages/partner/records-data';
import { onLinkClick } from '../../router';

/** The state in words (and a colour as well, never alone). */
export function StateBadge({ state }: { state: string }) {
  const { t } = useI18n();
  const cls = state === 'verified' ? 'ok' : state === 'rejected' || state === 'voided' ? 'bad' : 'none';
  return <span class={`status ${cls}`}>{t.partnerRecords.states[state] ?? state}</span>;
}

/** What a row is about, in a few words: service and minutes, people, pieces or the document. */
function about(r: ListedRecord, t: ReturnType<typeof useI18n>['t'], locale: 'lt' | 'en'): string {
  const tr = t.partnerRecords;
  const n = (v: number) => formatNumber(locale, v);
  const parts: string[] = [];
  if (r.service) parts.push(t.partnerForms.options[r.service] ?? r.service);
  if (r.categoryId) parts.push(t.partnerForms.categories[r.categoryId] ?? r.categoryId);
  if (r.documentRef) parts.push(r.documentRef);
  if (r.minutes > 0) parts.push(tr.minutes(n(r.minutes)));
  if (r.people > 0) parts.push(tr.people(n(r.people)));
  if (r.quantity > 0) parts.push(tr.pieces(n(r.quantity)));
  return parts.join(', ');
}

export function RecordsTable(props: { records: readonly ListedRecord[]; caption: string }) {
  const { t, locale } = useI18n();
  const tr = t.partnerRecords;
  const kindName = (r: ListedRecord) => t.partnerForms.kinds[r.kind] ?? r.kind;
  return (
    <table data-table="records">
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">{tr.date}</th>
          <th scope="col">{tr.kind}</th>
          <th scope="col">{tr.about}</th>
          <th scope="col" class="num">
            {tr.amount}
          </th>
          <th scope="col">{tr.state}</th>
          <th scope="col">{tr.recorded}</th>
        </tr>
      </thead>
      <tbody>
        {props.records.map((r) => (
          <tr key={r.id} data-record={r.id}>
            <th scope="row">
              <a href={`/records/${r.id}`} onClick={onLinkClick} aria-label={tr.openRecord(kindName(r), r.occurredOn)}>
                {formatDay(r.occurredOn)}
              </a>
            </th>
            <td>{kindName(r)}</td>
            <td>{about(r, t, locale)}</td>
            <td class="num">{r.amount !== '0.00' ? formatMoney(locale, r.amount) : '—'}</td>
            <td>
              <StateBadge state={r.state} />
            </td>
            <td>{r.recordedAt.slice(0, 16).replace('T', ' ')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
