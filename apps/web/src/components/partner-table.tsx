import type { ProgressAnswer, ProjectAnswer } from '../overview-data';
import { useI18n } from '../i18n';
import { formatDay, formatNumber, formatShare } from '../i18n/format';
import { PartnerLink } from './partner/partner-nav';
import { FigureLink } from './audit/figure-link';

/** Each partner against its part of the target; the status is a word as well as a colour. */
export function PartnerTable(props: {
  progress: ProgressAnswer;
  project: ProjectAnswer;
  lastRecords: Record<string, string | null> | null;
}) {
  const { t, locale } = useI18n();
  const names = new Map(props.project.partners.map((p) => [p.id, p.name]));
  return (
    <table data-table="partners">
      <caption>{t.overview.partnersTitle}</caption>
      <thead>
        <tr>
          <th scope="col">{t.overview.partner}</th>
          <th scope="col" class="num">
            {t.overview.reached}
          </th>
          <th scope="col" class="num">
            {t.overview.target}
          </th>
          <th scope="col" class="num">
            {t.overview.share}
          </th>
          <th scope="col">{t.overview.trend}</th>
          <th scope="col">{t.overview.status}</th>
          <th scope="col">{t.overview.lastSubmission}</th>
        </tr>
      </thead>
      <tbody>
        {props.progress.partners.map((p) => {
          const [cls, label] =
            p.target === 0
              ? ['none', t.overview.statusNoTarget]
              : p.behind
                ? ['bad', t.overview.statusBehind]
                : ['ok', t.overview.statusOk];
          return (
            <tr key={p.partnerId}>
              <th scope="row">
                <PartnerLink partnerId={p.partnerId} name={names.get(p.partnerId) ?? p.partnerId} />
              </th>
              <td class="num">
                <FigureLink figure="persons-reached" partnerId={p.partnerId}>
                  {formatNumber(locale, p.actual)}
                </FigureLink>
              </td>
              <td class="num">{formatNumber(locale, p.target)}</td>
              <td class="num">{p.target > 0 ? formatShare(locale, p.actual / p.target) : '—'}</td>
              <td>{t.overview.trendText(formatNumber(locale, p.forecastAtDeadline))}</td>
              <td>
                <span class={`status ${cls}`}>{label}</span>
              </td>
              <td>
                {props.lastRecords ? (
                  <FigureLink figure="volumes" partnerId={p.partnerId}>
                    {formatDay(props.lastRecords[p.partnerId])}
                  </FigureLink>
                ) : (
                  '…'
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
