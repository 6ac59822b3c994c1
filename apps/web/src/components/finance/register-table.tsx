import { useI18n } from '../../i18n';
import { formatDay, formatMoney } from '../../i18n/format';
import { categoryName } from '../../pages/finance/finance-data';
import type { RegisterData } from '../../pages/finance/register-data';
import { useReasonWords } from './reason-field';

/**
 * Every expenditure of the period with its amounts, state in words, the reason of a cut (in words)
 * and the verdict note; the API's totals.
 */
export function RegisterTable({ data }: { data: RegisterData }) {
  const { t, locale } = useI18n();
  const reasonWords = useReasonWords();
  const { expenditures, totals } = data.register;
  const name = (id: string) => data.partners.find((p) => p.id === id)?.name ?? id;
  const categories = { categories: data.project.budgetCategories };
  // A verified expenditure says in words whether all, a part or none of it is eligible.
  const state = (e: RegisterData['register']['expenditures'][number]) =>
    e.state === 'pending'
      ? ['none', t.financeRegister.statePending]
      : e.state !== 'verified'
        ? ['bad', e.state === 'rejected' ? t.financeRegister.stateRejected : e.state]
        : e.eligible === '0.00'
          ? ['bad', t.financeRegister.stateIneligible]
          : e.ineligible && e.ineligible !== '0.00'
            ? ['ok', t.financeRegister.stateVerifiedPart]
            : ['ok', t.financeRegister.stateVerified];
  const money = (amount: string | null) => (amount === null ? '—' : formatMoney(locale, amount));
  if (expenditures.length === 0) return <p data-state="empty">{t.financeRegister.empty}</p>;
  return (
    // Wider than a narrow screen: the scrolling region takes focus, so a keyboard can scroll it.
    <div class="scroll" tabIndex={0} role="region" aria-label={t.financeRegister.title}>
      <table data-table="register">
        <caption>{t.financeRegister.caption(totals.count)}</caption>
        <RegisterHead />
        <tbody>
          {expenditures.map((e) => {
            const [cls, label] = state(e);
            return (
              <tr key={e.id} data-row={e.id}>
                <th scope="row">{e.documentRef ?? '—'}</th>
                <td class="day">{formatDay(e.occurredOn)}</td>
                <td>{name(e.partnerId)}</td>
                <td>{categoryName(t.finance.categories, categories, e.categoryId)}</td>
                <td class="num">{money(e.amount)}</td>
                <td class="num">{money(e.eligible)}</td>
                <td class="num">{money(e.ineligible)}</td>
                <td>
                  <span class={`status ${cls}`}>{label}</span>
                </td>
                <td data-reason={e.ineligibleReason ?? ''}>
                  {e.ineligibleReason ? reasonWords(e.ineligibleReason) : ''}
                </td>
                <td>{e.verdictNote ?? ''}</td>
              </tr>
            );
          })}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={4}>
              {t.finance.total}
            </th>
            <td class="num" data-figure="register-declared">
              {money(totals.declared)}
            </td>
            <td class="num" data-figure="register-eligible">
              {money(totals.eligible)}
            </td>
            <td class="num" data-figure="register-ineligible">
              {money(totals.ineligible)}
            </td>
            <td colSpan={3}>
              {t.finance.pending}: <span data-figure="register-pending">{money(totals.pending)}</span>
            </td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

function RegisterHead() {
  const { t } = useI18n();
  return (
    <thead>
      <tr>
        <th scope="col">{t.financeQueue.document}</th>
        <th scope="col">{t.financeQueue.documentDate}</th>
        <th scope="col">{t.finance.partner}</th>
        <th scope="col">{t.financeQueue.category}</th>
        <th scope="col" class="num">
          {t.finance.declared}
        </th>
        <th scope="col" class="num">
          {t.finance.eligible}
        </th>
        <th scope="col" class="num">
          {t.finance.ineligible}
        </th>
        <th scope="col">{t.financeRegister.state}</th>
        <th scope="col">{t.financeRegister.ineligibleReason}</th>
        <th scope="col">{t.financeRegister.verdictNote}</th>
      </tr>
    </thead>
  );
}
