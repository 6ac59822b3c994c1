import { useI18n } from '../../i18n';
import { formatDay, formatMoney } from '../../i18n/format';
import { categoryName } from '../../pages/finance/finance-data';
import type { QueueData, QueuedExpenditure } from '../../pages/finance/queue-data';

/** The expenditures awaiting verification, oldest first, how long each has waited, a button to its panel. */
export function QueueTable(props: {
  data: QueueData;
  rows: readonly QueuedExpenditure[];
  onOpen: (id: string) => void;
}) {
  const { t, locale } = useI18n();
  const { data, rows } = props;
  const name = (id: string) => data.partners.find((p) => p.id === id)?.name ?? id;
  if (rows.length === 0) return <p data-state="empty">{t.financeQueue.empty}</p>;
  return (
    <table data-table="queue">
      <caption>{t.financeQueue.caption(rows.length)}</caption>
      <thead>
        <tr>
          <th scope="col">{t.financeQueue.document}</th>
          <th scope="col">{t.finance.partner}</th>
          <th scope="col">{t.financeQueue.category}</th>
          <th scope="col">{t.financeQueue.documentDate}</th>
          <th scope="col" class="num">
            {t.financeQueue.amount}
          </th>
          <th scope="col">{t.financeQueue.waitingSince}</th>
          <th scope="col">
            <span class="visually-hidden">{t.financeQueue.open}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.id} data-row={r.id}>
            <th scope="row">{r.documentRef ?? '—'}</th>
            <td>{name(r.partnerId)}</td>
            <td>{categoryName(t.finance.categories, data, r.categoryId)}</td>
            <td class="day">{formatDay(r.occurredOn)}</td>
            <td class="num">{formatMoney(locale, r.amount)}</td>
            <td class="num" data-age={r.ageDays}>
              {t.financeQueue.waitingDays(r.ageDays)}
            </td>
            <td>
              <button
                type="button"
                class="secondary"
                aria-label={t.financeQueue.openLabel(r.documentRef ?? r.id)}
                onClick={() => props.onOpen(r.id)}
              >
                {t.financeQueue.open}
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
