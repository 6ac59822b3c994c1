import type { SessionAnswer } from '../../api';
import { NewRecordPage } from './new-record';
import { PartnerHomePage } from './partner-home';
import { RecordsListPage } from './records-list';

/** The partner pages by path, or null when the path is not one of them. */
export function partnerPage(path: string, session: SessionAnswer) {
  const m = /^\/partners\/([^/]+)(\/[a-z]+)?$/.exec(path);
  if (m) {
    const partnerId = decodeURIComponent(m[1]!);
    if (!m[2]) return <PartnerHomePage key={partnerId} session={session} partnerId={partnerId} />;
    if (m[2] === '/records') return <RecordsListPage key={partnerId} session={session} partnerId={partnerId} />;
    if (m[2] === '/new') return <NewRecordPage key={partnerId} session={session} partnerId={partnerId} />;
  }
  return null;
}
