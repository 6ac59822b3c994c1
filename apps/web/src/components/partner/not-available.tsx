import { useI18n } from '../../i18n';
import { onLinkClick } from '../../router';

/** What a page says instead of another partner's data: the same words for "none" and "not yours". */
export function NotAvailable() {
  const { t } = useI18n();
  return (
    <>
      <h1>{t.partner.notAvailable}</h1>
      <p data-state="not-available">{t.partner.notAvailableText}</p>
      <p>
        <a href="/" onClick={onLinkClick}>
          {t.backHome}
        </a>
      </p>
    </>
  );
}

/** A failure other than "not available": the message and a way to try again. */
export function LoadFailed(props: { title: string; message: string; onRetry: () => void }) {
  const { t } = useI18n();
  return (
    <>
      <h1>{props.title}</h1>
      <div role="alert">
        <h2>{t.errorTitle}</h2>
        <p>{props.message}</p>
        <button type="button" onClick={props.onRetry}>
          {t.retry}
        </button>
      </div>
    </>
  );
}
