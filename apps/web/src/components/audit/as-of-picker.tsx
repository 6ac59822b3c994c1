import { useEffect, useState } from 'preact/hooks';
import { hrefAt, useAsOf } from '../../as-of';
import { useI18n } from '../../i18n';
import { formatDay } from '../../i18n/format';
import { navigate } from '../../router';
import { DayInput, DayLabel } from '../day-input';

/** The banner's day control: every page then shows the ledger as it stood at the end of that day. */
export function AsOfPicker() {
  const { t } = useI18n();
  const day = useAsOf();
  const [value, setValue] = useState(day ?? '');
  useEffect(() => setValue(day ?? ''), [day]);
  const [refused, setRefused] = useState(false);
  const onSubmit = (e: Event) => {
    e.preventDefault();
    const ok = /^\d{4}-\d{2}-\d{2}$/.test(value);
    setRefused(!ok);
    if (ok) navigate(hrefAt(value));
  };
  return (
    <form class="as-of-picker" onSubmit={onSubmit}>
      <DayLabel id="as-of-day">{t.audit.asOfLabel}</DayLabel>
      <DayInput id="as-of-day" value={value} onValue={setValue} refused={refused} />
      <button type="submit">{t.audit.asOfShow}</button>
      {day && (
        <button type="button" onClick={() => navigate(hrefAt(null))}>
          {t.audit.asOfNow}
        </button>
      )}
    </form>
  );
}

/** Above every page while a day is picked: what is shown (the lists too, with no writes), and the way back to now. */
export function AsOfBanner() {
  const { t } = useI18n();
  const day = useAsOf();
  if (!day) return null;
  return (
    <div class="as-of-banner" role="status">
      <strong>{t.audit.asOfShowing(formatDay(day))}</strong> {t.audit.asOfReadOnly}{' '}
      <a
        href={hrefAt(null)}
        onClick={(e) => {
          e.preventDefault();
          navigate(hrefAt(null));
        }}
      >
        {t.audit.asOfBack}
      </a>
    </div>
  );
}

/** In place of a form while a past day is shown: writes are made now, never "as of" a day. */
export function NoWritesAsOf(props: { day: string }) {
  const { t } = useI18n();
  return (
    <p class="note" data-state="as-of-read-only">
      {t.audit.asOfNoWrites(formatDay(props.day))}
    </p>
  );
}
