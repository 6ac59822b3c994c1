import type { BudgetAnswer } from '../overview-data';
import { useI18n } from '../i18n';
import { formatMoney } from '../i18n/format';
import { FigureLink } from './audit/figure-link';

/** Envelope, allocated, declared and verified eligible, in the locale's money format. */
export function BudgetSummary(props: { budget: BudgetAnswer | null }) {
  const { t, locale } = useI18n();
  const b = props.budget;
  return (
    <section class="card" aria-labelledby="budget-title">
      <h2 id="budget-title">{t.overview.budgetTitle}</h2>
      {b ? (
        <dl class="facts">
          <dt>{t.overview.envelope}</dt>
          <dd data-figure="envelope">{formatMoney(locale, b.envelope)}</dd>
          <dt>{t.overview.allocated}</dt>
          <dd data-figure="allocated">
            <FigureLink figure="budget">{formatMoney(locale, b.total.allocated)}</FigureLink>
          </dd>
          <dt>{t.overview.declared}</dt>
          <dd data-figure="declared">
            <FigureLink figure="budget">{formatMoney(locale, b.total.declared)}</FigureLink>
          </dd>
          <dt>{t.overview.eligible}</dt>
          <dd data-figure="eligible">
            <FigureLink figure="budget">{formatMoney(locale, b.total.eligible)}</FigureLink>
          </dd>
          <dt>{t.overview.pending}</dt>
          <dd data-figure="pending">
            <FigureLink figure="budget">{formatMoney(locale, b.total.pending)}</FigureLink>
          </dd>
        </dl>
      ) : (
        <p class="note">{t.overview.budgetHidden}</p>
      )}
    </section>
  );
}
