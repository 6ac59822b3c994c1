import { useState } from 'preact/hooks';
import type { SessionAnswer } from '../../api';
import { useAsOf } from '../../as-of';
import { NoWritesAsOf } from '../../components/audit/as-of-picker';
import { LoadFailed, NotAvailable } from '../../components/partner/not-available';
import { RecordActions } from '../../components/partner/record-actions';
import { StateBadge } from '../../components/partner/records-table';
import { HistoryTable, ValueList } from '../../components/partner/record-values';
import { useI18n } from '../../i18n';
import { onLinkClick } from '../../router';
import { loadRecord, stateOf } from './record-data';
import { useLoad, usePartnerName } from './use-load';

/** `/records/:id`: one record, its current values, its whole history, and (its partner's staff) correct or void. */
export function RecordPage(props: { session: SessionAnswer; id: string }) {
  const { t } = useI18n();
  const tr = t.partnerRecords;
  const code = props.session.project ?? '';
  const [done, setDone] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const asOf = useAsOf();
  const [loaded, retry] = useLoad(() => loadRecord(code, props.id), `${code}/${props.id}/${version}`);
  if (loaded.state === 'unavailable') return <NotAvailable />;
  if (loaded.state === 'failed') return <LoadFailed title={tr.caption} message={loaded.message} onRetry={retry} />;
  if (loaded.state === 'loading')
    return (
      <>
        <h1>{tr.caption}</h1>
        <p aria-busy="true">{t.loading}</p>
      </>
    );
  const record = loaded.data;
  const actor = props.session.actor;
  const mayChange =
    actor?.role === 'partner-submitter' &&
    actor.partnerId === record.state.partnerId &&
    record.state.status !== 'voided';
  const kindName = t.partnerForms.kinds[record.formKind] ?? record.formKind;
  const changed = (message: string) => {
    setDone(message);
    setVersion(version + 1);
  };
  return (
    <>
      <h1>{tr.recordTitle(kindName)}</h1>
      <p>
        <PartnerRecordsLink code={code} partnerId={record.state.partnerId} />
      </p>
      <div role="status" class={done ? 'confirmation' : undefined}>
        {done && <p>{done}</p>}
      </div>
      <div class="grid-2">
        <section class="card" aria-labelledby="current-title">
          <h2 id="current-title">{tr.currentTitle}</h2>
          <dl class="facts values">
            <dt>{tr.state}</dt>
            <dd data-figure="record-state">
              <StateBadge state={stateOf(record)} />
            </dd>
            <dt>{tr.partner}</dt>
            <dd>{record.state.partnerId}</dd>
          </dl>
          <ValueList data={record.state.fields} />
        </section>
        {mayChange && !asOf && <RecordActions code={code} record={record} onChanged={changed} />}
        {mayChange && asOf && <NoWritesAsOf day={asOf} />}
      </div>
      <section class="card wide">
        <HistoryTable history={record.history} />
      </section>
    </>
  );
}

function PartnerRecordsLink(props: { code: string; partnerId: string }) {
  const { t } = useI18n();
  const name = usePartnerName(props.code, props.partnerId);
  return (
    <a href={`/partners/${encodeURIComponent(props.partnerId)}/records`} onClick={onLinkClick}>
      {t.partnerRecords.title(name)}
    </a>
  );
}
