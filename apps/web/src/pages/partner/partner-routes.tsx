import type { SessionAnswer } from '../../api';
import { ImportPage } from './import-page';
import { NewRecordPage } from './new-record';
import { PartnerHomePage } from './partner-home';
import { RecordPage } from './record-page';
import { RecordsListPage } from './records-list';

/** The partner pages by path, or null when the path is not one of them. */
export function partnerPage(path: string, session: SessionAnswer) {
  const m = /^\/partners\/([^/]+)(\/[a-z]+)?$/.exec(path);
  if (m) {
    const partnerId = decodeURIComponent(m[1]!);
    if (!m[2]) return <PartnerHomePage key={partnerId} session={session} partnerId={partnerId} />;
    if (m[2] === '/records') return <RecordsListPage key={partnerId} session={session} partnerId={partnerId} />;
    if (m[2] === '/import') return <ImportPage key={partnerId} session={session} partnerId={partnerId} />;
    if (m[2] === '/new') return <NewRecordPage key={partnerId} session={session} partnerId={partnerId} />;
  }
  const r = /^\/records\/([^/]+)$/.exec(path);
  if (r) return <RecordPage key={r[1]} session={session} id={decodeURIComponent(r[1]!)} />;
  return null;
}
