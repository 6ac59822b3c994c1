import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, type SessionAnswer } from '../../api';
import { withAsOf } from '../../as-of';
import { WhoCell, formatTime } from '../../components/audit/audit-events-table';
import { useI18n } from '../../i18n';
import { historyApiPath, historyHasCsv, historyKindOf } from './history-kinds';
import { useSearch } from './use-search';

interface HistoryEntry {
  readonly revision: number;
  readonly position: number;
  readonly type: string;
  readonly recordedAt: string;
  readonly actor: unknown;
  readonly data: unknown;
}

interface RecordAnswer {
  /** An activity's or expenditure's state; the quality and workforce answers carry `partnerId` at the top. */
  readonly state?: {
    readonly status?: string;
    readonly partnerId?: string;
    readonly review?: string;
    readonly verification?: unknown;
  };
  readonly partnerId?: string;
  readonly revision: number;
  readonly history: readonly HistoryEntry[];
}

/** Ids the stream already names: the list of changes leaves them out. */
const SAME_FOR_EVERY_EVENT = new Set(['activityId', 'expenditureId', 'projectCode', 'partnerId']);

/** A value in a line: text as it is, a pseudonym by itself, anything else as compact JSON. */
function valueText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && 'pseudonym' in v) return String(v.pseudonym);
  return JSON.stringify(v);
}

/** An event's data as "field: value" lines, the record's values (`fields`) opened one level. */
export function changedLines(data: unknown, names: Record<string, string>): string[] {
  if (!data || typeof data !== 'object') return [];
  const label = (k: string) => names[k] ?? k;
  return Object.entries(data).flatMap(([key, value]) => {
    if (SAME_FOR_EVERY_EVENT.has(key)) return [];
    if (value && typeof value === 'object' && !Array.isArray(value) && !('pseudonym' in value))
      return Object.entries(value).map(([k, v]) =>
        key === 'fields' ? `${label(k)}: ${valueText(v)}` : `${label(key)} · ${label(k)}: ${valueText(v)}`,
      );
    return [`${label(key)}: ${valueText(value)}`];
  });
}

/** The record's state in one word: voided, or its review (an expenditure: verified once finance has). */
function stateKey(state: NonNullable<RecordAnswer['state']>): string {
  if (state.status === 'voided') return 'voided';
  if (state.review) return state.review;
  return state.verification ? 'verified' : 'pending';
}

/** `/records/:id/history?record=<kind>` (history-kinds.ts): every event of one record, who and what. */
export function RecordHistoryPage(props: { session: SessionAnswer; id: string }) {
  const { t } = useI18n();
  const kind = historyKindOf(new URLSearchParams(useSearch()).get('record'));
  const code = props.session.project ?? '';
  const route = historyApiPath(kind, props.id);
  const path = `/api/v1/projects/${encodeURIComponent(code)}/${route ?? ''}`;
  const [record, setRecord] = useState<RecordAnswer | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  useEffect(() => {
    if (route === null) return setFailed(t.audit.notAvailable);
    api
      .get<RecordAnswer>(path)
      .then(setRecord)
      .catch((e: unknown) =>
        setFailed(e instanceof ApiError && [400, 403, 404].includes(e.status) ? t.audit.notAvailable : String(e)),
      );
  }, [path]);
  return (
    <>
      <h1>{t.audit.historyTitle}</h1>
      {failed ? (
        <p role="alert">{failed}</p>
      ) : !record ? (
        <p aria-busy="true">{t.loading}</p>
      ) : (
        <HistoryView
          kind={kind}
          id={props.id}
          record={record}
          csvHref={historyHasCsv(kind) ? withAsOf(`${path}?format=csv`) : null}
        />
      )}
    </>
  );
}

function HistoryView(props: { kind: string; id: string; record: RecordAnswer; csvHref: string | null }) {
  const { t } = useI18n();
  const { record } = props;
  return (
    <>
      <p class="muted">{t.audit.historyIntro}</p>
      <dl class="facts record-facts">
        <dt>{t.audit.record}</dt>
        <dd>{t.audit.recordKind[props.kind]}</dd>
        <dt>{t.audit.recordId}</dt>
        <dd>
          <code>{props.id}</code>
        </dd>
        <dt>{t.audit.partner}</dt>
        <dd>{record.state?.partnerId ?? record.partnerId ?? '—'}</dd>
        {record.state && (
          <>
            <dt>{t.audit.state}</dt>
            <dd data-figure="record-state">{t.audit.states[stateKey(record.state)] ?? '—'}</dd>
          </>
        )}
      </dl>
      <section class="card wide" aria-labelledby="history-title">
        <table data-table="record-history">
          <caption id="history-title">{t.audit.eventsTitle}</caption>
          <thead>
            <tr>
              <th scope="col" class="num">
                {t.audit.revision}
              </th>
              <th scope="col">{t.audit.time}</th>
              <th scope="col">{t.audit.kind}</th>
              <th scope="col">{t.audit.who}</th>
              <th scope="col">{t.audit.changed}</th>
            </tr>
          </thead>
          <tbody>
            {record.history.map((h) => (
              <tr key={h.position}>
                <td class="num">{h.revision}</td>
                <td>{formatTime(h.recordedAt)}</td>
                <td>{t.audit.eventTypes[h.type] ?? h.type}</td>
                <WhoCell actor={h.actor} />
                <td>
                  <ul class="changes">
                    {changedLines(h.data, t.audit.fieldNames).map((line) => (
                      <li key={line}>{line}</li>
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {props.csvHref && (
          <p class="downloads">
            <a class="button" href={props.csvHref} download>
              {t.audit.historyCsv}
            </a>
          </p>
        )}
      </section>
    </>
  );
}
