import { useEffect, useState } from 'preact/hooks';
import type { SessionAnswer } from '../../api';
import { useAsOf } from '../../as-of';
import { NoWritesAsOf } from '../../components/audit/as-of-picker';
import { ImportForm } from '../../components/partner/import-form';
import { ImportResult } from '../../components/partner/import-result';
import { NotAvailable } from '../../components/partner/not-available';
import { useI18n } from '../../i18n';
import { formatNumber } from '../../i18n/format';
import { onLinkClick } from '../../router';
import { FINISHED, readImport, startImport, templateUrl, type ImportStatus } from './import-data';

const POLL_MS = 700;

/** `/partners/:id/import`: upload a file (a dry run first if wished), follow it, then its result and refused rows. */
export function ImportPage(props: { session: SessionAnswer; partnerId: string }) {
  const { t, locale } = useI18n();
  const ti = t.partnerImport;
  const code = props.session.project ?? '';
  const [location, setLocation] = useState<string | null>(null);
  const { status, setStatus, failed, setFailed } = useImportStatus(location);
  const asOf = useAsOf();
  // Imports are the partner's own staff's: the API refuses anyone else, so the page is not offered.
  if (props.session.actor?.partnerId !== props.partnerId) return <NotAvailable />;
  if (asOf)
    return (
      <>
        <h1>{ti.title}</h1>
        <NoWritesAsOf day={asOf} />
      </>
    );
  const start = async (file: File, dryRun: boolean, kind: string) => {
    setStatus(null);
    setFailed(null);
    setLocation(await startImport(code, file, dryRun, kind));
  };
  const progress = status && typeof status.progress === 'object' ? status.progress : null;
  return (
    <>
      <h1>{ti.title}</h1>
      <p>
        <a href={`/partners/${encodeURIComponent(props.partnerId)}`} onClick={onLinkClick}>
          {t.partner.backToPartner}
        </a>
      </p>
      <p>{ti.intro}</p>
      <p>
        <a href={templateUrl(code)} download>
          {ti.template}
        </a>
      </p>
      <ImportForm onStart={start} />
      <section class="card wide" aria-labelledby="import-progress-title" aria-live="polite">
        <h2 id="import-progress-title">{ti.progressTitle}</h2>
        {failed && (
          <p class="error" role="alert">
            {ti.failed} {failed}
          </p>
        )}
        {status && (
          <p data-import-state={status.state}>
            <strong>{ti.states[status.state] ?? status.state}</strong>
            {progress && progress.total > 0 && (
              <>
                {' · '}
                {ti.rowsDone(formatNumber(locale, progress.done), formatNumber(locale, progress.total))}{' '}
                <progress value={progress.done} max={progress.total} aria-label={ti.progressTitle} />
              </>
            )}
          </p>
        )}
        {status?.state === 'completed' && status.summary && <ImportResult status={status} />}
        {status?.state === 'failed' && <p class="error">{status.failedReason}</p>}
      </section>
    </>
  );
}

/** Polls `GET …/imports/:id` until the job is finished. */
function useImportStatus(location: string | null) {
  const [status, setStatus] = useState<ImportStatus | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  useEffect(() => {
    if (!location) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = () =>
      readImport(location)
        .then((s) => {
          if (!live) return;
          setStatus(s);
          if (!FINISHED.includes(s.state)) timer = setTimeout(poll, POLL_MS);
        })
        .catch((e: unknown) => live && setFailed(e instanceof Error ? e.message : String(e)));
    void poll();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [location]);
  return { status, setStatus, failed, setFailed };
}
