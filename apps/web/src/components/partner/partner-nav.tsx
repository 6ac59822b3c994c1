import { useI18n } from '../../i18n';
import { onLinkClick } from '../../router';

/** A partner user's own pages in the main menu. */
export function PartnerNavItem(props: { partnerId: string; path: string }) {
  const { t } = useI18n();
  const href = `/partners/${encodeURIComponent(props.partnerId)}`;
  return (
    <li>
      <a href={href} onClick={onLinkClick} aria-current={props.path.startsWith(href) ? 'page' : undefined}>
        {t.partner.navHome}
      </a>
    </li>
  );
}

/** A partner's name leading to its page (the overview's partner table). */
export function PartnerLink(props: { partnerId: string; name: string }) {
  return (
    <a href={`/partners/${encodeURIComponent(props.partnerId)}`} onClick={onLinkClick}>
      {props.name}
    </a>
  );
}
