import { useI18n } from '../../i18n';
import { formatMonth } from '../../i18n/format';
import { projectPeriods } from '../../pages/finance/periods';

/** The whole project, a quarter or a month, as the API's `period` takes them. */
export function PeriodPicker(props: { start: string; end: string; value: string; onChange: (period: string) => void }) {
  const { t, locale } = useI18n();
  const { quarters, months } = projectPeriods(props.start, props.end);
  return (
    <div class="field">
      <label for="filter-period">{t.financeRegister.period}</label>
      <select id="filter-period" value={props.value} onChange={(e) => props.onChange(e.currentTarget.value)}>
        <option value="">{t.financeRegister.wholePeriod}</option>
        <optgroup label={t.financeRegister.quarters}>
          {quarters.map((q) => (
            <option key={q} value={q}>
              {t.financeRegister.quarter(q.slice(0, 4), q.slice(6))}
            </option>
          ))}
        </optgroup>
        <optgroup label={t.financeRegister.months}>
          {months.map((m) => (
            <option key={m} value={m}>
              {formatMonth(locale, m)}
            </option>
          ))}
        </optgroup>
      </select>
    </div>
  );
}
