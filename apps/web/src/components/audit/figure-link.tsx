import type { ComponentChildren } from 'preact';
import { pageHref } from '../../as-of';
import { useI18n } from '../../i18n';
import { onLinkClick } from '../../router';

/** A figure on the overview as a link to the events behind it (the audit explorer). */
export function FigureLink(props: { figure: string; partnerId?: string; children: ComponentChildren }) {
  const { t } = useI18n();
  const partner = props.partnerId ? `&partnerId=${encodeURIComponent(props.partnerId)}` : '';
  return (
    <a
      class="figure-link"
      href={pageHref(`/audit?figure=${props.figure}${partner}`)}
      onClick={onLinkClick}
      title={t.audit.openAudit(t.audit.figures[props.figure] ?? props.figure)}
    >
      {props.children}
    </a>
  );
}
