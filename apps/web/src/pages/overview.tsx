import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import type { SessionAnswer } from '../api';
import { chartSeries } from '../chart-series';
import { BudgetSummary } from '../components/budget-summary';
import { PartnerTable } from '../components/partner-table';
import { ProgressChart, ProgressTable } from '../components/progress-chart';
import { loadCharts } from '../components/use-echart';
import { useI18n } from '../i18n';
import { formatDay, formatMonth, formatNumber, formatShare } from '../i18n/format';
import { loadLastRecords, loadOverview, type Overview } from '../overview-data';
import { FigureLink } from '../components/audit/figure-link';
import { AlertsPanel } from '../components/audit/alerts-panel';

/** The agency's overview: persons reached against the target, the curve, the partners, the budget. */
export function OverviewPage(props: { session: SessionAnswer }) {
  const { t } = useI18n();
  const code = props.session.project;
  const actor = props.session.actor!;
  const [data, setData] = useState<Overview | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const [lastRecords, setLastRecords] = useState<Record<string, string | null> | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [chartSettled, setChartSettled] = useState(false);
  useEffect(() => {
    if (!code) return;
    // The chart's script chunk loads beside the figures, not after them.
    void loadCharts();
    setFailed(null);
    loadOverview(code, actor)
      .then(setData)
      .catch((e: unknown) => setFailed(e instanceof Error ? e.message : String(e)));
  }, [code, attempt]);
  // "Last record" is read once the chart is drawn (or when there is none): its reads would otherwise
  // share the server and the page's thread with the chart's.
  useEffect(() => {
    if (!code || !data || lastRecords) return;
    if (data.progress.targets.length > 0 && !chartSettled) return;
    let gone = false;
    loadLastRecords(
      code,
      data.progress.partners.map((p) => p.partnerId),
    )
      .then((r) => gone || setLastRecords(r))
      .catch((e: unknown) => gone || setFailed(e instanceof Error ? e.message : String(e)));
    return () => {
      gone = true;
    };
  }, [code, data, chartSettled]);
  // The rest of the page waits for the frame that shows the chart, so as not to hold its paint back.
  const onChartSettled = useCallback(() => requestAnimationFrame(() => setTimeout(() => setChartSettled(true))), []);
  if (!code) return <h1>{t.overview.title}</h1>;
  if (failed)
    return (
      <>
        <h1>{t.overview.title}</h1>
        <div role="alert">
          <h2>{t.errorTitle}</h2>
          <p>{failed}</p>
          <button type="button" onClick={() => setAttempt(attempt + 1)}>
            {t.retry}
          </button>
        </div>
      </>
    );
  if (!data)
    return (
      <>
        <h1>{t.overview.title}</h1>
        <p aria-busy="true">{t.loading}</p>
      </>
    );
  return (
    <OverviewView data={data} lastRecords={lastRecords} chartSettled={chartSettled} onChartSettled={onChartSettled} />
  );
}

function OverviewView(props: {
  data: Overview;
  lastRecords: Record<string, string | null> | null;
  chartSettled: boolean;
  onChartSettled: () => void;
}) {
  const { data, lastRecords } = props;
  const { t, locale } = useI18n();
  const { progress, project, budget } = data;
  const target = progress.targets[0];
  const series = useMemo(
    () => (target ? chartSeries(progress.curve, target.deadline, target.value, target.forecastAtDeadline) : null),
    [progress, target],
  );
  const lastMonth = progress.curve[progress.curve.length - 1]?.month;
  const title = locale === 'en' && project.titleEn ? project.titleEn : project.title;
  // The chart is drawn first; the month table, the partners and the alerts (which reads the API)
  // follow once it is, rather than sharing the page's thread with it on the way.
  const rest = props.chartSettled || !series || !target;
  return (
    <>
      <h1>{t.overview.title}</h1>
      <p class="muted">
        {project.code} · {title}
      </p>
      <div class="grid">
        <div>
          <ReachedCard progress={progress} />
          <BudgetSummary budget={budget} />
        </div>
        <div>
          {series && target && (
            <section class="card" aria-labelledby="chart-title">
              <h2 id="chart-title">{t.overview.chartTitle}</h2>
              <ProgressChart
                series={series}
                onSettled={props.onChartSettled}
                summary={t.overview.chartSummary(
                  formatNumber(locale, progress.personsReached),
                  formatNumber(locale, target.value),
                  lastMonth ? formatMonth(locale, lastMonth) : '—',
                )}
              />
              <p class="note">{t.overview.forecastHow}</p>
              {rest && <ProgressTable curve={progress.curve} />}
            </section>
          )}
        </div>
      </div>
      {rest && (
        <>
          <section class="card wide">
            <PartnerTable progress={progress} project={project} lastRecords={lastRecords} />
          </section>
          <AlertsPanel code={project.code} partners={project.partners} />
        </>
      )}
      <p class="note">
        {t.overview.asOf} {progress.position}
      </p>
    </>
  );
}

function ReachedCard({ progress }: { progress: Overview['progress'] }) {
  const { t, locale } = useI18n();
  const target = progress.targets[0];
  return (
    <section class="card" aria-labelledby="reached-title">
      <h2 id="reached-title">{t.overview.reachedTitle}</h2>
      <p class="big" data-figure="persons-reached">
        <FigureLink figure="persons-reached">{formatNumber(locale, progress.personsReached)}</FigureLink>
      </p>
      {target && (
        <>
          <p>
            {t.overview.reachedOf} <strong data-figure="target">{formatNumber(locale, target.value)}</strong> ·{' '}
            <strong data-figure="share">{formatShare(locale, target.share)}</strong> {t.overview.reachedShare}
          </p>
          <p>
            <span class={`status ${target.onTrack ? 'ok' : 'bad'}`}>
              {target.onTrack ? t.overview.onTrack : t.overview.offTrack}
            </span>
          </p>
          <dl class="facts">
            <dt>{t.overview.deadline}</dt>
            <dd>{formatDay(target.deadline)}</dd>
            <dt>{t.overview.forecast}</dt>
            <dd data-figure="forecast">{formatNumber(locale, target.forecastAtDeadline)}</dd>
            <dt>{t.overview.pace}</dt>
            <dd>{formatNumber(locale, Math.round(target.pacePerMonth))}</dd>
          </dl>
        </>
      )}
    </section>
  );
}
