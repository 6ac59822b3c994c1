import { useI18n } from '../../i18n';
import { formatNumber } from '../../i18n/format';
import { pageHref } from '../../as-of';
import { onLinkClick } from '../../router';
import { actorOf, historyHref, recordOf, type AuditEvent } from '../../pages/audit/audit-data';

/** "2024-06-10 13:00" in the user's time zone: when the ledger recorded the event. */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Who recorded an event: the user and role, or the file import that wrote it. */
export function WhoCell(props: { actor: unknown; importId?: string | undefined }) {
  const { t } = useI18n();
  const actor = actorOf(props.actor);
  const role = actor && actor.role in t.roles ? t.roles[actor.role as keyof typeof t.roles] : actor?.role;
  return (
    <td>
      {actor ? `${actor.subject} (${role})` : '—'}
      {props.importId && <span class="note"> · {t.audit.byImport}</span>}
    </td>
  );
}

function partnerCell(id: string | null | undefined, names: ReadonlyMap<string, string>): string {
  return id ? (names.get(id) ?? id) : '—';
}

/** The events behind a figure: time, partner, what happened, the record (to its history), who. */
export function AuditEventsTable(props: {
  caption: string;
  events: readonly AuditEvent[];
  partnerId: string | null;
  /** Names for the partner column (an id the project does not name is shown as it is). */
  partners: readonly { readonly id: string; readonly name: string }[];
}) {
  const { t, locale } = useI18n();
  const names = new Map(props.partners.map((p) => [p.id, p.name]));
  return (
    <table data-table="audit-events">
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t.audit.time}</th>
          <th scope="col">{t.audit.partner}</th>
          <th scope="col">{t.audit.kind}</th>
          <th scope="col">{t.audit.record}</th>
          <th scope="col">{t.audit.who}</th>
          <th scope="col" class="num">
            {t.audit.position}
          </th>
        </tr>
      </thead>
      <tbody>
        {props.events.map((e) => {
          const record = recordOf(e.streamId);
          const actor = actorOf(e.actor);
          return (
            <tr key={e.position}>
              <td class="day">{formatTime(e.recordedAt)}</td>
              <td>{partnerCell(actor?.partnerId ?? props.partnerId, names)}</td>
              <td>{t.audit.eventTypes[e.type] ?? e.type}</td>
              <td>
                {record ? (
                  <a href={pageHref(historyHref(record))} onClick={onLinkClick}>
                    {t.audit.recordKind[record.kind]} <code>{record.id.slice(0, 8)}</code>
                  </a>
                ) : (
                  t.audit.projectRecord
                )}
              </td>
              <WhoCell actor={e.actor} importId={e.importId} />
              <td class="num">{formatNumber(locale, e.position)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
