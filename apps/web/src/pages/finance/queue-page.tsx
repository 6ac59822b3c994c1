import { useState } from 'preact/hooks';
import type { SessionAnswer } from '../../api';
import { LoadState, NotAvailable } from '../../components/finance/finance-shell';
import { PartnerFilter } from '../../components/finance/partner-filter';
import { QueueTable } from '../../components/finance/queue-table';
import { VerifyPanel } from '../../components/finance/verify-panel';
import { useI18n } from '../../i18n';
import { formatMoney } from '../../i18n/format';
import { categoryName, mayVerify } from './finance-data';
import { loadQueue, loadQueuePage, type QueueData, type QueuedExpenditure } from './queue-data';
import { useLoad } from './use-load';
import { useSearchParam } from './use-search-param';

/** /finance/queue: the expenditures awaiting verification, a partner filter, the verdict panel. */
export function QueuePage(props: { session: SessionAnswer }) {
  const { t } = useI18n();
  const code = props.session.project ?? '';
  const [partnerId, setPartnerId] = useSearchParam('partnerId');
  const [position, setPosition] = useState<number | undefined>(undefined);
  const [more, setMore] = useState<{ records: QueuedExpenditure[]; next: string | null } | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const loaded = useLoad(() => loadQueue(code, partnerId, position), [code, partnerId, position]);
  if (loaded.notAvailable) return <NotAvailable heading={false} />;
  if (!loaded.data) return <LoadState failed={loaded.failed} onRetry={loaded.reload} />;
  const data = loaded.data;
  const rows = [...data.page.records, ...(more?.records ?? [])];
  const next = more ? more.next : data.page.nextCursor;
  const openRow = rows.find((r) => r.id === open);
  const showMore = () =>
    void loadQueuePage(code, partnerId, next ?? undefined, position).then((p) =>
      setMore({ records: [...(more?.records ?? []), ...p.records], next: p.nextCursor }),
    );
  // After a verdict (read including it) or a refused stale one (read again): the panel closed.
  const refresh = (message: string | null, at?: number) => {
    setSaved(message);
    setOpen(null);
    setMore(null);
    if (at === undefined) loaded.reload();
    else setPosition(at);
  };
  return (
    <>
      <p>{t.financeQueue.intro}</p>
      <div class="toolbar">
        <PartnerFilter
          partners={data.partners}
          value={partnerId}
          onChange={(id) => {
            setMore(null);
            setOpen(null);
            setPartnerId(id);
          }}
        />
        <QueueTotals data={data} />
      </div>
      <p role="status" class="saved">
        {saved ?? ''}
      </p>
      <div class={openRow ? 'grid queue' : ''}>
        <div>
          <QueueTable data={data} rows={rows} onOpen={setOpen} />
          {next && (
            <button type="button" class="secondary" onClick={showMore}>
              {t.financeQueue.more}
            </button>
          )}
        </div>
        {openRow && (
          <VerifyPanel
            code={code}
            row={openRow}
            partnerName={data.partners.find((p) => p.id === openRow.partnerId)?.name ?? openRow.partnerId}
            categoryName={categoryName(t.finance.categories, data, openRow.categoryId)}
            canVerify={mayVerify(props.session.actor!)}
            onClose={() => setOpen(null)}
            onVerified={(at) => refresh(t.financeQueue.saved(openRow.documentRef ?? openRow.id), at)}
            onReload={() => refresh(null)}
          />
        )}
      </div>
    </>
  );
}

/** What the verdicts move: the verified eligible total and what still waits (from GET /budget). */
function QueueTotals({ data }: { data: QueueData }) {
  const { t, locale } = useI18n();
  const sums = data.budget.total;
  return (
    <dl class="facts inline" aria-label={t.financeQueue.totalsTitle}>
      <dt>{t.finance.eligible}</dt>
      <dd data-figure="eligible">{formatMoney(locale, sums.eligible)}</dd>
      <dt>{t.finance.pending}</dt>
      <dd data-figure="pending">{formatMoney(locale, sums.pending)}</dd>
    </dl>
  );
}
