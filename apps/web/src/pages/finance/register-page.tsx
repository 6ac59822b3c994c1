import type { SessionAnswer } from '../../api';
import { LoadState, NotAvailable } from '../../components/finance/finance-shell';
import { PartnerFilter } from '../../components/finance/partner-filter';
import { PeriodPicker } from '../../components/finance/period-picker';
import { RegisterTable } from '../../components/finance/register-table';
import { useI18n } from '../../i18n';
import { loadRegister, registerFileUrl } from './register-data';
import { useLoad } from './use-load';
import { useSearchParam } from './use-search-param';

/** /finance/register: the expenditure register of a period, its totals and its files. */
export function RegisterPage(props: { session: SessionAnswer }) {
  const { t } = useI18n();
  const code = props.session.project ?? '';
  const [period, setPeriod] = useSearchParam('period');
  const [partnerId, setPartnerId] = useSearchParam('partnerId');
  const loaded = useLoad(() => loadRegister(code, period, partnerId), [code, period, partnerId]);
  if (loaded.notAvailable) return <NotAvailable heading={false} />;
  if (!loaded.data) return <LoadState failed={loaded.failed} onRetry={loaded.reload} />;
  const data = loaded.data;
  const file = (format: 'csv' | 'excel' | 'xlsx') => registerFileUrl(code, period, partnerId, format);
  return (
    <>
      <div class="toolbar">
        <PeriodPicker
          start={data.project.period.start}
          end={data.project.period.end}
          value={period}
          onChange={setPeriod}
        />
        <PartnerFilter partners={data.partners} value={partnerId} onChange={setPartnerId} />
      </div>
      <RegisterTable data={data} />
      <section aria-labelledby="export-title" class="exports">
        <h2 id="export-title">{t.financeRegister.exportTitle}</h2>
        <ul>
          <li>
            <a class="button secondary" href={file('xlsx')} download>
              {t.financeRegister.exportXlsx}
            </a>
          </li>
          <li>
            <a class="button secondary" href={file('excel')} download>
              {t.financeRegister.exportCsvExcel}
            </a>
          </li>
          <li>
            <a class="button secondary" href={file('csv')} download>
              {t.financeRegister.exportCsv}
            </a>
          </li>
        </ul>
      </section>
    </>
  );
}
