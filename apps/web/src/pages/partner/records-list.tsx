import { useEffect, useState } from 'preact/hooks';
import { ApiError, type SessionAnswer } from '../../api';
import { useAsOf } from '../../as-of';
import { NotAvailable } from '../../components/partner/not-available';
import { RecordsTable } from '../../components/partner/records-table';
import { ExportLinks, PersonSearch, RecordFilters } from '../../components/partner/record-filters';
import { useI18n } from '../../i18n';
import { onLinkClick } from '../../router';
import { isUnavailable } from './partner-api';
import { usePartnerName } from './use-load';
import {
  listUrl,
  loadPage,
  NO_FILTERS,
  searchPerson,
  type ListFilters,
  type PageAt,
  type RecordPage,
} from './records-data';

type Shown =
  | { readonly state: 'loading' }
  | { readonly state: 'unavailable' }
  | { readonly state: 'failed'; readonly message: string }
  | { readonly state: 'ready'; readonly page: RecordPage; readonly person: boolean };

/** `/partners/:id/records`: the partner's records, filtered and paged, exported, or one person's. */
export function RecordsListPage(props: { session: SessionAnswer; partnerId: string }) {
  const { t } = useI18n();
  const tr = t.partnerRecords;
  const code = props.session.project ?? '';
  const name = usePartnerName(code, props.partnerId);
  const [filters, setFilters] = useState<ListFilters>(NO_FILTERS);
  const [after, setAfter] = useState<PageAt>(null);
  const [shown, setShown] = useState<Shown>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const asOf = useAsOf();
  const show = (p: Promise<RecordPage>, person: boolean) =>
    p
      .then((page) => setShown({ state: 'ready', page, person }))
      .catch((e: unknown) =>
        setShown(
          isUnavailable(e) && !person
            ? { state: 'unavailable' }
            : { state: 'failed', message: failureText(e, t.partnerForms.rules.personalCode) },
        ),
      );
  useEffect(() => {
    void show(loadPage(code, props.partnerId, filters, after), false);
  }, [code, props.partnerId, filters, after, attempt]);
  if (shown.state === 'unavailable') return <NotAvailable />;
  const role = props.session.actor?.role;
  // The person search answers the current state only: not offered while a past day is shown.
  const maySearch = (role === 'partner-submitter' || role === 'agency-auditor') && !asOf;
  const search = (personalCode: string) => void show(searchPerson(code, props.partnerId, personalCode, null), true);
  return (
    <>
      <h1>{tr.title(name)}</h1>
      <p>
        <a href={`/partners/${encodeURIComponent(props.partnerId)}`} onClick={onLinkClick}>
          {t.partner.backToPartner}
        </a>
      </p>
      <div class="grid-2">
        <RecordFilters
          filters={filters}
          onApply={(f) => {
            setFilters(f);
            setAfter(null);
            setAttempt(attempt + 1);
          }}
        />
        <div>
          <ExportLinks
            csv={listUrl(code, props.partnerId, filters, { format: 'csv' })}
            xlsx={listUrl(code, props.partnerId, filters, { format: 'xlsx' })}
          />
          {maySearch && <PersonSearch onSearch={search} />}
        </div>
      </div>
      <section class="card wide" aria-live="polite">
        {shown.state === 'loading' && <p aria-busy="true">{t.loading}</p>}
        {shown.state === 'failed' && <ListFailure message={shown.message} onRetry={() => setAttempt(attempt + 1)} />}
        {shown.state === 'ready' && (
          <RecordsResult
            page={shown.page}
            person={shown.person}
            onNext={() => setAfter(shown.page.nextCursor ? { after: shown.page.nextCursor } : null)}
            onPrevious={(before) => setAfter({ before })}
            onFirst={after ? () => setAfter(null) : null}
            onShowAll={() => setAttempt(attempt + 1)}
          />
        )}
      </section>
    </>
  );
}

function RecordsResult(props: {
  page: RecordPage;
  person: boolean;
  onNext: () => void;
  onPrevious: (before: string) => void;
  onFirst: (() => void) | null;
  onShowAll: () => void;
}) {
  const { t } = useI18n();
  const tr = t.partnerRecords;
  const { page } = props;
  return (
    <>
      {page.records.length > 0 ? (
        <RecordsTable records={page.records} caption={props.person ? tr.searchCaption : tr.caption} />
      ) : (
        <p data-state="no-records">{tr.none}</p>
      )}
      <p class="actions-row">
        {props.person && (
          <button type="button" class="secondary" onClick={props.onShowAll}>
            {tr.showAll}
          </button>
        )}
        {!props.person && props.onFirst && (
          <button type="button" class="secondary" onClick={props.onFirst}>
            {tr.first}
          </button>
        )}
        {!props.person && page.prevCursor && (
          <button type="button" class="secondary" onClick={() => props.onPrevious(page.prevCursor!)}>
            {tr.previous}
          </button>
        )}
        {!props.person && page.nextCursor && (
          <button type="button" onClick={props.onNext}>
            {tr.next}
          </button>
        )}
      </p>
    </>
  );
}

/** A refused search names the personal code without quoting it: say what a code looks like. */
function failureText(e: unknown, badCode: string): string {
  if (e instanceof ApiError && e.issues.some((i) => i.field === 'personalCode')) return badCode;
  return e instanceof Error ? e.message : String(e);
}

function ListFailure(props: { message: string; onRetry: () => void }) {
  const { t } = useI18n();
  return (
    <div role="alert">
      <p class="error">{props.message}</p>
      <button type="button" onClick={props.onRetry}>
        {t.partnerRecords.showAll}
      </button>
    </div>
  );
}
