import { Fragment } from 'preact';
import type { SessionAnswer } from '../../api';
import { LoadFailed, NotAvailable } from '../../components/partner/not-available';
import { useI18n } from '../../i18n';
import { formatMoney, formatNumber, formatShare } from '../../i18n/format';
import type { ProgressAnswer, ProjectAnswer } from '../../overview-data';
import { onLinkClick } from '../../router';
import { isUnavailable, projectBase, read } from './partner-api';
import { useLoad } from './use-load';

interface PartnerBudget {
  readonly total: {
    readonly allocated: string;
    readonly declared: string;
    readonly eligible: string;
    readonly pending: string;
    readonly remaining?: string;
  };
}

interface PartnerHome {
  readonly name: string;
  readonly progress: ProgressAnswer;
  /** Null when the API does not answer this role the partner's budget. */
  readonly budget: PartnerBudget | null;
}

/** The partner's figures; the progress read decides whether the page is open to this user at all. */
async function loadHome(code: string, partnerId: string): Promise<PartnerHome> {
  const base = projectBase(code);
  const q = `partnerId=${encodeURIComponent(partnerId)}`;
  const [project, progress] = await Promise.all([
    read<ProjectAnswer>(base),
    read<ProgressAnswer>(`${base}/progress?${q}`),
  ]);
  const budget = await read<PartnerBudget>(`${base}/budget?${q}`).catch((e: unknown) => {
    if (isUnavailable(e)) return null;
    throw e;
  });
  const name = project.partners.find((p) => p.id === partnerId)?.name ?? partnerId;
  return { name, progress, budget };
}

/** `/partners/:id`: the partner's persons reached against its part of the target, its budget, its actions. */
export function PartnerHomePage(props: { session: SessionAnswer; partnerId: string }) {
  const { t } = useI18n();
  const code = props.session.project ?? '';
  const [loaded, retry] = useLoad(() => loadHome(code, props.partnerId), `${code}/${props.partnerId}`);
  if (loaded.state === 'unavailable') return <NotAvailable />;
  if (loaded.state === 'failed')
    return <LoadFailed title={t.partner.homeTitle(props.partnerId)} message={loaded.message} onRetry={retry} />;
  if (loaded.state === 'loading')
    return (
      <>
        <h1>{t.partner.homeTitle(props.partnerId)}</h1>
        <p aria-busy="true">{t.loading}</p>
      </>
    );
  const { name, progress, budget } = loaded.data;
  const mine = props.session.actor?.role === 'partner-submitter';
  const base = `/partners/${encodeURIComponent(props.partnerId)}`;
  return (
    <>
      <h1>{t.partner.homeTitle(name)}</h1>
      <div class="grid-2">
        <ProgressCard progress={progress} partnerId={props.partnerId} />
        <BudgetCard budget={budget} />
      </div>
      <section class="card wide" aria-labelledby="actions-title">
        <h2 id="actions-title">{t.partner.actionsTitle}</h2>
        <ul class="actions">
          {mine && (
            <li>
              <a class="button" href={`${base}/new`} onClick={onLinkClick}>
                {t.partner.newRecord}
              </a>
            </li>
          )}
          <li>
            <a class="button" href={`${base}/records`} onClick={onLinkClick}>
              {t.partner.records}
            </a>
          </li>
          {mine && (
            <li>
              <a class="button" href={`${base}/import`} onClick={onLinkClick}>
                {t.partner.importFile}
              </a>
            </li>
          )}
        </ul>
      </section>
    </>
  );
}

function ProgressCard({ progress, partnerId }: { progress: ProgressAnswer; partnerId: string }) {
  const { t, locale } = useI18n();
  const own = progress.partners.find((p) => p.partnerId === partnerId);
  return (
    <section class="card" aria-labelledby="partner-progress-title">
      <h2 id="partner-progress-title">{t.partner.progressTitle}</h2>
      <p class="big" data-figure="partner-reached">
        {formatNumber(locale, progress.personsReached)}
      </p>
      {own && (
        <>
          <dl class="facts">
            <dt>{t.partner.target}</dt>
            <dd data-figure="partner-target">{formatNumber(locale, own.target)}</dd>
            <dt>{t.partner.share}</dt>
            <dd>{own.target > 0 ? formatShare(locale, own.actual / own.target) : '—'}</dd>
            <dt>{t.partner.forecast}</dt>
            <dd>{formatNumber(locale, own.forecastAtDeadline)}</dd>
          </dl>
          <p>
            <span class={`status ${own.target === 0 ? 'none' : own.behind ? 'bad' : 'ok'}`}>
              {own.target === 0
                ? t.overview.statusNoTarget
                : own.behind
                  ? t.overview.statusBehind
                  : t.overview.statusOk}
            </span>
          </p>
        </>
      )}
    </section>
  );
}

function BudgetCard({ budget }: { budget: PartnerBudget | null }) {
  const { t, locale } = useI18n();
  const rows: [string, string | undefined][] = budget
    ? [
        [t.partner.allocated, budget.total.allocated],
        [t.partner.declared, budget.total.declared],
        [t.partner.eligible, budget.total.eligible],
        [t.partner.pending, budget.total.pending],
        [t.partner.remaining, budget.total.remaining],
      ]
    : [];
  return (
    <section class="card" aria-labelledby="partner-budget-title">
      <h2 id="partner-budget-title">{t.partner.budgetTitle}</h2>
      {budget ? (
        <dl class="facts" data-figure="partner-budget">
          {rows
            .filter((r): r is [string, string] => r[1] !== undefined)
            .map(([label, amount]) => (
              <Fragment key={label}>
                <dt>{label}</dt>
                <dd>{formatMoney(locale, amount)}</dd>
              </Fragment>
            ))}
        </dl>
      ) : (
        <p class="note" data-state="budget-unavailable">
          {t.partner.budgetUnavailable}
        </p>
      )}
    </section>
  );
}
