import { useI18n } from '../../i18n';
import { formatMoney } from '../../i18n/format';
import type { FinanceBudget, MoneySums } from '../../pages/finance/finance-data';
import { sumMoney } from '../../pages/finance/money';

type Sums = Pick<MoneySums, 'allocated' | 'declared' | 'eligible'>;

/**
 * Partners × budget categories: allocated in each cell, declared and verified eligible under it.
 * Row and grand totals are the API's own; a column's total is the sum of its cells in cents.
 */
export function AllocationMatrix(props: {
  budget: FinanceBudget;
  partners: readonly { id: string; name: string }[];
  categories: readonly { id: string; name: string }[];
}) {
  const { t } = useI18n();
  const { budget, partners, categories } = props;
  const line = new Map(budget.lines.map((l) => [`${l.partnerId}|${l.categoryId}`, l]));
  const column = (categoryId: string): Sums => {
    const ls = budget.lines.filter((l) => l.categoryId === categoryId);
    return {
      allocated: sumMoney(ls.map((l) => l.allocated)),
      declared: sumMoney(ls.map((l) => l.declared)),
      eligible: sumMoney(ls.map((l) => l.eligible)),
    };
  };
  return (
    <div class="scroll">
      <table data-table="allocation" class="matrix">
        <caption>{t.finance.matrixTitle}</caption>
        <thead>
          <tr>
            <th scope="col">{t.finance.partner}</th>
            {categories.map((c) => (
              <th scope="col" class="num" key={c.id}>
                {t.finance.categories[c.id] ?? c.name}
              </th>
            ))}
            <th scope="col" class="num">
              {t.finance.total}
            </th>
          </tr>
        </thead>
        <tbody>
          {partners.map((p) => (
            <tr key={p.id}>
              <th scope="row">{p.name}</th>
              {categories.map((c) => (
                <Cell key={c.id} sums={line.get(`${p.id}|${c.id}`)} data={`cell-${p.id}-${c.id}`} />
              ))}
              <Cell sums={budget.byPartner[p.id]} data={`row-${p.id}`} strong />
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t.finance.total}</th>
            {categories.map((c) => (
              <Cell key={c.id} sums={column(c.id)} data={`column-${c.id}`} strong />
            ))}
            <Cell sums={budget.total} data="grand" strong />
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

function Cell(props: { sums: Sums | undefined; data: string; strong?: boolean }) {
  const { t, locale } = useI18n();
  const s = props.sums;
  if (!s || (s.allocated === '0.00' && s.declared === '0.00'))
    return (
      <td class="num" data-cell={props.data} data-allocated="0.00">
        —
      </td>
    );
  return (
    <td class={props.strong ? 'num strong' : 'num'} data-cell={props.data} data-allocated={s.allocated}>
      <span class="main">{formatMoney(locale, s.allocated)}</span>
      {s.declared !== '0.00' && (
        <span class="sub">
          {t.finance.cellDeclared} {formatMoney(locale, s.declared)}
          <br />
          {t.finance.cellEligible} {formatMoney(locale, s.eligible)}
        </span>
      )}
    </td>
  );
}
