import { useMemo } from 'preact/hooks';
import type { SessionAnswer } from '../../api';
import { AllocationMatrix } from '../../components/finance/allocation-matrix';
import { BurnChart, BurnTable } from '../../components/finance/burn-chart';
import { loadCharts } from '../../components/use-echart';
import { LoadState, NotAvailable } from '../../components/finance/finance-shell';
import { ReconciliationTable } from '../../components/finance/reconciliation-table';
import { useI18n } from '../../i18n';
import { formatDay, formatMoney, formatMonth } from '../../i18n/format';
import { burnSeries } from './burn-series';
import { loadFinanceHome, partnerList, type FinanceBudget, type FinanceProject } from './finance-data';
import { useLoad } from './use-load';

/** /finance: the budget summary, the allocation matrix, the verification status and the burn. */
export function FinanceHomePage(props: { session: SessionAnswer }) {
  const code = props.session.project ?? '';
  // The chart's script chunk loads beside the figures, not after them.
  const loaded = useLoad(() => {
    void loadCharts();
    return loadFinanceHome(code);
  }, [code]);
  if (loaded.notAvailable) return <NotAvailable heading={false} />;
  if (!loaded.data) return <LoadState failed={loaded.failed} onRetry={loaded.reload} />;
  return <FinanceHomeView project={loaded.data.project} budget={loaded.data.budget} />;
}

function FinanceHomeView({ project, budget }: { project: FinanceProject; budget: FinanceBudget }) {
  const { t } = useI18n();
  const partners = partnerList(project, budget);
  const known = new Set(project.budgetCategories.map((c) => c.id));
  const categories = [
    ...project.budgetCategories,
    ...[...new Set(budget.lines.map((l) => l.categoryId))]
      .filter((id) => !known.has(id))
      .map((id) => ({ id, name: id })),
  ];
  return (
    <>
      <div class="grid">
        <div>
          <Summary budget={budget} />
        </div>
        <div>
          <Burn budget={budget} end={project.period.end} />
        </div>
      </div>
      <section class="card wide">
        <AllocationMatrix budget={budget} partners={partners} categories={categories} />
        <p class="note">{t.finance.matrixNote}</p>
      </section>
      <section class="card wide">
        <ReconciliationTable budget={budget} partners={partners} />
      </section>
      <p class="note">
        {t.overview.asOf} {budget.position}
      </p>
    </>
  );
}

function Summary({ budget }: { budget: FinanceBudget }) {
  const { t, locale } = useI18n();
  const rows = [
    ['envelope', t.finance.envelope, budget.envelope],
    ['allocated', t.finance.allocated, budget.total.allocated],
    ['unallocated', t.finance.unallocated, budget.total.unallocated],
    ['declared', t.finance.declared, budget.total.declared],
    ['eligible', t.finance.eligible, budget.total.eligible],
    ['ineligible', t.finance.ineligible, budget.total.ineligible],
    ['pending', t.finance.pending, budget.total.pending],
    ['remaining', t.finance.remaining, budget.total.remaining],
  ] as const;
  return (
    <section class="card" aria-labelledby="summary-title">
      <h2 id="summary-title">{t.finance.summaryTitle}</h2>
      <dl class="facts">
        {rows.map(([key, label, amount]) => [
          <dt key={`${key}-t`}>{label}</dt>,
          <dd key={`${key}-d`} data-figure={key}>
            {formatMoney(locale, amount)}
          </dd>,
        ])}
      </dl>
    </section>
  );
}

function Burn({ budget, end }: { budget: FinanceBudget; end: string }) {
  const { t, locale } = useI18n();
  const spending = budget.spending;
  const series = useMemo(
    () => (spending ? burnSeries(spending.burn, end, spending.forecastAtEnd) : null),
    [spending, end],
  );
  if (!spending || !series) return null;
  return (
    <section class="card" aria-labelledby="burn-title">
      <h2 id="burn-title">{t.finance.burnTitle}</h2>
      <BurnChart
        series={series}
        summary={t.finance.burnSummary(
          formatMoney(locale, budget.total.declared),
          formatMoney(locale, spending.forecastAtEnd),
          formatDay(end),
        )}
      />
      <p class="note">{t.finance.burnHow(spending.paceMonths)}</p>
      <dl class="facts">
        <dt>{t.finance.pace}</dt>
        <dd data-figure="pace">{formatMoney(locale, spending.monthlyPace)}</dd>
        <dt>{t.finance.forecastAtEnd}</dt>
        <dd data-figure="forecast-at-end">{formatMoney(locale, spending.forecastAtEnd)}</dd>
        <dt>{t.finance.forecastUnspent}</dt>
        <dd data-figure="forecast-unspent">{formatMoney(locale, spending.forecastUnspent)}</dd>
        <dt>{t.finance.exhausted}</dt>
        <dd>
          {spending.envelopeExhaustedMonth
            ? formatMonth(locale, spending.envelopeExhaustedMonth)
            : t.finance.notExhausted}
        </dd>
      </dl>
      <BurnTable burn={spending.burn} />
    </section>
  );
}
