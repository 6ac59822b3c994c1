import { useI18n } from '../../i18n';
import { onLinkClick } from '../../router';

/** The main menu's link to the coordinator report (for the roles that may read it). */
export function CoordinatorNavItem(props: { path: string }) {
  const { t } = useI18n();
  return (
    <li>
      <a href="/coordinator" onClick={onLinkClick} aria-current={props.path === '/coordinator' ? 'page' : undefined}>
        {t.coordinator.nav}
      </a>
    </li>
  );
}
