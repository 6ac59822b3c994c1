import type { SessionAnswer } from '../../api';
import { useI18n } from '../../i18n';
import { formatNumber } from '../../i18n/format';
import { projectPeriods } from '../finance/periods';
import { useLoad } from '../finance/use-load';
import { useSearchParam } from '../finance/use-search-param';
import {
  defaultQuarter,
  hoursText,
  loadProject,
  loadReport,
  reportFileUrl,
  type CoordinatorProject,
  type CoordinatorReportAnswer,
} from './coordinator-data';

type Texts = ReturnType<typeof useI18n>['t']['coordinator'];

function Loading(props: { failed: string | null; onRetry: () => void }) {
  const { t } = useI18n();
  if (!props.failed) return <p aria-busy="true">{t.loading}</p>;
  return (
    <div role="alert">
      <p>{t.errorTitle}</p>
      <button type="button" onClick={props.onRetry}>
        {t.retry}
      </button>
    </div>
  );
}

/** /coordinator: a partner's coordinator report for a quarter (seed 003), with its files. */
export function CoordinatorPage(props: { session: SessionAnswer }) {
  const { t } = useI18n();
  const c = t.coordinator;
  const actor = props.session.actor!;
  const code = props.session.project ?? '';
  const project = useLoad(() => loadProject(code), [code]);
  if (!['partner-submitter', 'agency-auditor', 'admin'].includes(actor.role))
    return (
      <>
        <h1>{c.title}</h1>
        <p>{c.notAvailable}</p>
      </>
    );
  return (
    <>
      <h1>{c.title}</h1>
      <p>{c.intro}</p>
      {project.data ? (
        <ReportSection code={code} project={project.data} ownPartner={actor.partnerId} />
      ) : (
        <Loading failed={project.failed} onRetry={project.reload} />
      )}
    </>
  );
}

function ReportSection(props: { code: string; project: CoordinatorProject; ownPartner: string | undefined }) {
  const { t } = useI18n();
  const c = t.coordinator;
  const { quarters } = projectPeriods(props.project.period.start, props.project.period.end);
  const [asked, setPeriod] = useSearchParam('period');
  const [chosen, setPartner] = useSearchParam('partnerId');
  const period = quarters.includes(asked) ? asked : defaultQuarter(quarters, new Date().toISOString().slice(0, 10));
  const partnerId = props.ownPartner ?? chosen;
  const report = useLoad(
    () => (partnerId ? loadReport(props.code, partnerId, period) : Promise.resolve(null)),
    [props.code, partnerId, period],
  );
  const file = (format: 'csv' | 'excel' | 'xlsx') => reportFileUrl(props.code, partnerId, period, format);
  return (
    <>
      <div class="toolbar">
        {!props.ownPartner && (
          <div class="field">
            <label for="coordinator-partner">{c.partner}</label>
            <select id="coordinator-partner" value={partnerId} onChange={(e) => setPartner(e.currentTarget.value)}>
              <option value="">{c.pickPartner}</option>
              {props.project.partners.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </div>
        )}
        <div class="field">
          <label for="coordinator-quarter">{c.quarter}</label>
          <select id="coordinator-quarter" value={period} onChange={(e) => setPeriod(e.currentTarget.value)}>
            {quarters.map((q) => (
              <option key={q} value={q}>
                {c.quarterName(q.slice(0, 4), q.slice(6))}
              </option>
            ))}
          </select>
        </div>
      </div>
      {!partnerId && <p>{c.pickPartner}</p>}
      {partnerId && report.notAvailable && <p>{c.notAvailable}</p>}
      {partnerId && !report.notAvailable && !report.data && <Loading failed={report.failed} onRetry={report.reload} />}
      {report.data && <ReportTables report={report.data} />}
      {report.data && (
        <section aria-labelledby="coordinator-export" class="exports">
          <h2 id="coordinator-export">{c.exportTitle}</h2>
          <ul>
            <li>
              <a class="button secondary" href={file('xlsx')} download>
                {c.exportXlsx}
              </a>
            </li>
            <li>
              <a class="button secondary" href={file('excel')} download>
                {c.exportCsvExcel}
              </a>
            </li>
            <li>
              <a class="button secondary" href={file('csv')} download>
                {c.exportCsv}
              </a>
            </li>
          </ul>
        </section>
      )}
    </>
  );
}

function ReportTables(props: { report: CoordinatorReportAnswer }) {
  const { t, locale } = useI18n();
  const c = t.coordinator;
  const r = props.report;
  const n = (x: number) => formatNumber(locale, x);
  const h = (x: number) => hoursText(locale, x);
  return (
    <>
      <section aria-labelledby="coordinator-summary">
        <h2 id="coordinator-summary">{c.summaryTitle}</h2>
        <dl class="figures">
          <Figure name="services" label={c.totalServices} value={n(r.totals.services)} />
          <Figure name="hours" label={c.totalHours} value={h(r.totals.hours)} />
          <Figure name="persons" label={c.totalPersons} value={n(r.totals.persons)} />
          <Figure name="new-persons" label={c.newPersons} value={n(r.newPersons)} />
          <Figure name="vacated" label={c.vacated} value={n(r.positions.vacated)} />
          <Figure name="filled" label={c.filled} value={n(r.positions.filled)} />
          <Figure name="open-at-end" label={c.openAtEnd} value={n(r.positions.openAtEnd)} />
        </dl>
      </section>
      <WorkersTable report={r} c={c} n={n} h={h} />
      <table data-table="endings">
        <caption>{c.endingsCaption}</caption>
        <thead>
          <tr>
            <th scope="col">{c.reason}</th>
            <th scope="col">{c.persons}</th>
          </tr>
        </thead>
        <tbody>
          {r.serviceEndings.map((e) => (
            <tr key={e.reason} data-reason={e.reason}>
              <th scope="row">{c.reasons[e.reason] ?? e.reason}</th>
              <td>{n(e.count)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <PositionsTable report={r} c={c} />
    </>
  );
}

function Figure(props: { name: string; label: string; value: string }) {
  return (
    <div>
      <dt>{props.label}</dt>
      <dd data-figure={props.name}>{props.value}</dd>
    </div>
  );
}

function WorkersTable(props: {
  report: CoordinatorReportAnswer;
  c: Texts;
  n: (x: number) => string;
  h: (x: number) => string;
}) {
  const { c, n, h } = props;
  return (
    <table data-table="workers">
      <caption>{c.workersCaption}</caption>
      <thead>
        <tr>
          {[c.worker, c.team, c.role, c.services, c.hours, c.persons, c.timeRanges].map((h) => (
            <th key={h} scope="col">
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.report.workers.map((w) => (
          <tr key={w.workerRef ?? ''} data-worker={w.workerRef ?? ''}>
            <th scope="row">{w.workerRef ?? c.noWorker}</th>
            <td>{w.teamRef ?? '—'}</td>
            <td>{w.role ? (c.roles[w.role] ?? w.role) : '—'}</td>
            <td>{n(w.services)}</td>
            <td data-cell="hours">{h(w.hours)}</td>
            <td>{n(w.persons)}</td>
            <td>
              {[
                ...w.timeRanges.map((x) => `${x.from}–${x.to} (${x.services})`),
                ...(w.services > w.timedServices ? [c.untimed(w.services - w.timedServices)] : []),
              ].join('; ')}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function PositionsTable(props: { report: CoordinatorReportAnswer; c: Texts }) {
  const { c } = props;
  const entries = props.report.positions.entries;
  if (entries.length === 0) return <p>{c.noPositions}</p>;
  return (
    <table data-table="positions">
      <caption>{c.positionsCaption}</caption>
      <thead>
        <tr>
          {[c.position, c.team, c.role, c.vacatedOn, c.filledOn, c.worker].map((h) => (
            <th key={h} scope="col">
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {entries.map((p) => (
          <tr key={`${p.positionRef}-${p.vacatedOn}`}>
            <th scope="row">{p.positionRef}</th>
            <td>{p.teamRef}</td>
            <td>{c.roles[p.role] ?? p.role}</td>
            <td>{p.vacatedOn}</td>
            <td>{p.filledOn ?? '—'}</td>
            <td>{p.workerRef ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
