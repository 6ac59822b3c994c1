import { useI18n } from '../../i18n';
import { formatMoney } from '../../i18n/format';
import type { FinanceBudget, MoneySums } from '../../pages/finance/finance-data';

/** Per partner: declared against verified eligible, ineligible and pending, with a status in words. */
export function ReconciliationTable(props: {
  budget: FinanceBudget;
  partners: readonly { id: string; name: string }[];
}) {
  const { t, locale } = useI18n();
  const { budget } = props;
  const row = (name: string, s: MoneySums, key: string, isTotal = false) => {
    const [cls, label] =
      s.declared === '0.00'
        ? ['none', t.finance.statusNone]
        : s.pending === '0.00'
          ? ['ok', t.finance.statusDone]
          : ['bad', t.finance.statusWaiting];
    return (
      <tr key={key} data-partner={key}>
        <th scope="row">{name}</th>
        <td class="num">{formatMoney(locale, s.declared)}</td>
        <td class="num">{formatMoney(locale, s.eligible)}</td>
        <td class="num">{formatMoney(locale, s.ineligible)}</td>
        <td class="num">{formatMoney(locale, s.pending)}</td>
        <td>{isTotal ? '' : <span class={`status ${cls}`}>{label}</span>}</td>
      </tr>
    );
  };
  return (
    <>
      <table data-table="reconciliation">
        <caption>{t.finance.reconciliationTitle}</caption>
        <thead>
          <tr>
            <th scope="col">{t.finance.partner}</th>
            <th scope="col" class="num">
              {t.finance.declared}
            </th>
            <th scope="col" class="num">
              {t.finance.eligible}
            </th>
            <th scope="col" class="num">
              {t.finance.ineligible}
            </th>
            <th scope="col" class="num">
              {t.finance.pending}
            </th>
            <th scope="col">{t.finance.status}</th>
          </tr>
        </thead>
        <tbody>{props.partners.map((p) => budget.byPartner[p.id] && row(p.name, budget.byPartner[p.id], p.id))}</tbody>
        <tfoot>{row(t.finance.total, budget.total, 'total', true)}</tfoot>
      </table>
      <p>
        <span class={`status ${budget.reconciliation.ok ? 'ok' : 'bad'}`} data-figure="reconciliation">
          {budget.reconciliation.ok ? t.finance.sumsAgree : t.finance.sumsDisagree}
        </span>
      </p>
      {budget.flags.overSpentLines > 0 && <p class="error">{t.finance.overSpent(budget.flags.overSpentLines)}</p>}
    </>
  );
}
