import { useEffect, useState } from 'preact/hooks';
import { ApiError, type SessionAnswer } from '../../api';
import { pageHref, withAsOf } from '../../as-of';
import { AuditEventsTable } from '../../components/audit/audit-events-table';
import { useI18n } from '../../i18n';
import { formatNumber } from '../../i18n/format';
import { api } from '../../api';
import { navigate } from '../../router';
import type { ProjectAnswer } from '../../overview-data';
import {
  FIGURES,
  PAGE_SIZE,
  auditApiPath,
  loadAuditPage,
  selectionOf,
  type AuditPage,
  type AuditSelection,
} from './audit-data';
import { useSearch } from './use-search';

/** `/audit?figure=…&partnerId=…`: the events behind a figure, a page at a time, with downloads. */
export function AuditExplorerPage(props: { session: SessionAnswer }) {
  const { t } = useI18n();
  const code = props.session.project;
  const selection = selectionOf(useSearch());
  const [partners, setPartners] = useState<ProjectAnswer['partners']>([]);
  useEffect(() => {
    if (code)
      void api
        .get<ProjectAnswer>(`/api/v1/projects/${encodeURIComponent(code)}`)
        .then((p) => setPartners(p.partners))
        .catch(() => setPartners([]));
  }, [code]);
  return (
    <>
      <h1>{t.audit.title}</h1>
      <p class="muted">{t.audit.intro}</p>
      <SelectionForm session={props.session} selection={selection} partners={partners} />
      {code && (
        <EventsSection
          key={`${selection.figure}:${selection.partnerId ?? ''}`}
          code={code}
          selection={selection}
          partnerName={partners.find((p) => p.id === selection.partnerId)?.name ?? selection.partnerId}
          partners={partners}
        />
      )}
    </>
  );
}

function SelectionForm(props: {
  session: SessionAnswer;
  selection: AuditSelection;
  partners: ProjectAnswer['partners'];
}) {
  const { t } = useI18n();
  const isPartner = props.session.actor?.role === 'partner-submitter';
  const [figure, setFigure] = useState(props.selection.figure);
  const [partnerId, setPartnerId] = useState(props.selection.partnerId ?? '');
  const figures = FIGURES.filter((f) => !(isPartner && f === 'budget'));
  const known = props.partners.some((p) => p.id === partnerId);
  const onSubmit = (e: Event) => {
    e.preventDefault();
    const partner = partnerId && !isPartner ? `&partnerId=${encodeURIComponent(partnerId)}` : '';
    navigate(pageHref(`/audit?figure=${figure}${partner}`));
  };
  return (
    <form class="card filters" onSubmit={onSubmit}>
      <label for="audit-figure">{t.audit.figure}</label>
      <select id="audit-figure" value={figure} onChange={(e) => setFigure(e.currentTarget.value)}>
        {figures.map((f) => (
          <option key={f} value={f}>
            {t.audit.figures[f]}
          </option>
        ))}
      </select>
      {!isPartner && (
        <>
          <label for="audit-partner">{t.audit.partner}</label>
          <select id="audit-partner" value={partnerId} onChange={(e) => setPartnerId(e.currentTarget.value)}>
            <option value="">{t.audit.allPartners}</option>
            {props.partners.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
            {partnerId && !known && <option value={partnerId}>{partnerId}</option>}
          </select>
        </>
      )}
      <button type="submit">{t.audit.show}</button>
    </form>
  );
}

function EventsSection(props: {
  code: string;
  selection: AuditSelection;
  partnerName: string | null;
  partners: ProjectAnswer['partners'];
}) {
  const { t, locale } = useI18n();
  // The cursors of the pages before this one, so "previous" needs no page numbers.
  const [afters, setAfters] = useState<number[]>([0]);
  const [page, setPage] = useState<AuditPage | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const after = afters[afters.length - 1]!;
  useEffect(() => {
    setPage(null);
    loadAuditPage(props.code, props.selection, after)
      .then(setPage)
      .catch((e: unknown) =>
        setFailed(e instanceof ApiError && (e.status === 403 || e.status === 404) ? t.forbidden : String(e)),
      );
  }, [after]);
  if (failed) return <p role="alert">{failed}</p>;
  if (!page) return <p aria-busy="true">{t.loading}</p>;
  const from = (afters.length - 1) * PAGE_SIZE + 1;
  const caption = t.audit.eventsCaption(
    t.audit.figures[props.selection.figure] ?? props.selection.figure,
    props.partnerName ?? t.audit.allPartners,
  );
  return (
    <section class="card wide" aria-labelledby="events-title">
      <h2 id="events-title">{t.audit.eventsTitle}</h2>
      <p data-figure="audit-total">{t.audit.total(formatNumber(locale, page.totalEvents))}</p>
      {page.events.length === 0 ? (
        <p>{t.audit.none}</p>
      ) : (
        <>
          <AuditEventsTable
            caption={caption}
            events={page.events}
            partnerId={props.selection.partnerId}
            partners={props.partners}
          />
          <p class="note">
            {t.audit.pageOf(
              formatNumber(locale, from),
              formatNumber(locale, from + page.events.length - 1),
              formatNumber(locale, page.totalEvents),
            )}
          </p>
        </>
      )}
      <div class="pager">
        {afters.length > 1 && (
          <button type="button" class="secondary" onClick={() => setAfters(afters.slice(0, -1))}>
            {t.audit.previous}
          </button>
        )}
        {page.next != null && (
          <button type="button" class="secondary" onClick={() => setAfters([...afters, page.next!])}>
            {t.audit.next}
          </button>
        )}
      </div>
      <Downloads
        path={(format) => withAsOf(auditApiPath(props.code, props.selection, after, `&pageSize=500&format=${format}`))}
      />
    </section>
  );
}

/** The page's events from its start (up to the route's 500) as files; `path` takes the format query. */
function Downloads(props: { path: (format: string) => string }) {
  const { t } = useI18n();
  return (
    <>
      <h3>{t.audit.exportTitle}</h3>
      <p class="downloads">
        <a class="button" href={props.path('xlsx')} download>
          {t.audit.exportXlsx}
        </a>{' '}
        <a class="button" href={props.path('csv')} download>
          {t.audit.exportCsv}
        </a>{' '}
        <a class="button" href={props.path('csv&dialect=excel')} download>
          {t.audit.exportExcel}
        </a>
      </p>
      <p class="note">{t.audit.exportNote}</p>
    </>
  );
}
