import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../../api';
import { useAsOf } from '../../as-of';
import { useI18n } from '../../i18n';
import { formatDay, formatMoney } from '../../i18n/format';
import type { ExpenditureRow } from '../../pages/finance/finance-data';
import { loadExpenditure, verifyExpenditure, type ExpenditureDetail } from '../../pages/finance/queue-data';
import { verdictOf, type VerdictChoice, type VerdictError } from '../../pages/finance/verdict';
import { ReasonFields } from './reason-field';
import { NoWritesAsOf } from '../audit/as-of-picker';

/**
 * One expenditure of the queue: its details and, for a finance officer, the verdict form. Focus
 * comes to the panel's heading when it opens, so keyboard and screen-reader users land on it.
 */
export function VerifyPanel(props: {
  code: string;
  row: ExpenditureRow;
  partnerName: string;
  categoryName: string;
  canVerify: boolean;
  onClose: () => void;
  onVerified: (position: number) => void;
  onReload: () => void;
}) {
  const { t, locale } = useI18n();
  const { row } = props;
  // A past day shown: the panel only shows (a verdict is given now, never as of a day).
  const asOf = useAsOf();
  const doc = row.documentRef ?? row.id;
  const [detail, setDetail] = useState<ExpenditureDetail | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
    setDetail(null);
    void loadExpenditure(props.code, row.id)
      .then(setDetail)
      .catch(() => setDetail(null));
  }, [row.id]);
  return (
    <section class="card panel" aria-labelledby="panel-title" data-panel={row.id}>
      <h2 id="panel-title" tabIndex={-1} ref={heading}>
        {t.financeQueue.panelTitle(doc)}
      </h2>
      <dl class="facts">
        <dt>{t.finance.partner}</dt>
        <dd>{props.partnerName}</dd>
        <dt>{t.financeQueue.category}</dt>
        <dd>{props.categoryName}</dd>
        <dt>{t.financeQueue.documentDate}</dt>
        <dd>{formatDay(row.occurredOn)}</dd>
        <dt>{t.financeQueue.amount}</dt>
        <dd data-figure="panel-amount">{formatMoney(locale, row.amount)}</dd>
        <dt>{t.financeQueue.description}</dt>
        <dd>{detail?.fields.description ?? '…'}</dd>
      </dl>
      {props.canVerify && !asOf ? (
        <VerdictFormView
          code={props.code}
          row={row}
          revision={detail?.revision}
          onVerified={props.onVerified}
          onReload={props.onReload}
        />
      ) : asOf ? (
        <NoWritesAsOf day={asOf} />
      ) : (
        <p class="note">{t.financeQueue.readOnly}</p>
      )}
      <p>
        <button type="button" class="secondary" onClick={props.onClose}>
          {t.financeQueue.close}
        </button>
      </p>
    </section>
  );
}

const ERROR_TEXT = { amount: 'badAmount', reason: 'reasonRequired', note: 'noteRequired' } as const;

/**
 * The verdict form. It is sent with the revision the panel read (submit waits for it), so a
 * verdict on an expenditure changed meanwhile is refused (412) and says so instead of overwriting.
 */
function VerdictFormView(props: {
  code: string;
  row: ExpenditureRow;
  revision: number | undefined;
  onVerified: (p: number) => void;
  onReload: () => void;
}) {
  const { t } = useI18n();
  const [choice, setChoice] = useState<VerdictChoice>('full');
  const [eligibleTyped, setEligibleTyped] = useState('');
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<VerdictError | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const [stale, setStale] = useState(false);
  const [busy, setBusy] = useState(false);
  const submit = (e: Event) => {
    e.preventDefault();
    if (props.revision === undefined) return;
    const result = verdictOf(props.row.amount, { choice, eligibleTyped, reason, note });
    if ('error' in result) return setError(result.error);
    setError(null);
    setFailed(null);
    setBusy(true);
    verifyExpenditure(props.code, props.row.id, result.verdict, props.revision)
      .then(props.onVerified)
      .catch((err: unknown) => {
        if (err instanceof ApiError && err.status === 412) setStale(true);
        else setFailed(err instanceof ApiError ? err.message : String(err));
      })
      .finally(() => setBusy(false));
  };
  if (stale) return <StaleNotice onReload={props.onReload} />;
  return (
    <form onSubmit={submit} noValidate aria-labelledby="decision-title">
      <h3 id="decision-title">{t.financeQueue.decisionTitle}</h3>
      <ChoiceFields
        amount={props.row.amount}
        choice={choice}
        onChoice={setChoice}
        eligibleTyped={eligibleTyped}
        onEligible={setEligibleTyped}
        invalid={error === 'amount'}
      />
      <ReasonFields
        reason={reason}
        onReason={setReason}
        note={note}
        onNote={setNote}
        cut={choice !== 'full'}
        error={error}
      />
      {error && (
        <p class="error" role="alert">
          {t.financeQueue[ERROR_TEXT[error]]}
        </p>
      )}
      {failed && (
        <p class="error" role="alert">
          {t.financeQueue.failed} {failed}
        </p>
      )}
      <p>
        <button type="submit" disabled={busy || props.revision === undefined}>
          {t.financeQueue.submit}
        </button>
      </p>
    </form>
  );
}

/** A verdict refused because the expenditure changed meanwhile: nothing was written; reload. */
function StaleNotice(props: { onReload: () => void }) {
  const { t } = useI18n();
  return (
    <div class="error" role="alert" data-state="stale">
      <p>{t.financeQueue.stale}</p>
      <p>
        <button type="button" onClick={props.onReload}>
          {t.financeQueue.reload}
        </button>
      </p>
    </div>
  );
}

/** Eligible in full, a part (with the eligible amount) or not at all. */
function ChoiceFields(props: {
  amount: string;
  choice: VerdictChoice;
  onChoice: (c: VerdictChoice) => void;
  eligibleTyped: string;
  onEligible: (typed: string) => void;
  invalid: boolean;
}) {
  const { t, locale } = useI18n();
  const options: [VerdictChoice, string][] = [
    ['full', t.financeQueue.full],
    ['part', t.financeQueue.part],
    ['none', t.financeQueue.none],
  ];
  return (
    <>
      <fieldset>
        <legend>{t.financeQueue.decision}</legend>
        {options.map(([value, label]) => (
          <label key={value} class="choice">
            <input
              type="radio"
              name="verdict"
              value={value}
              checked={props.choice === value}
              onChange={() => props.onChoice(value)}
            />{' '}
            {label}
          </label>
        ))}
      </fieldset>
      {props.choice === 'part' && (
        <div class="field">
          <label for="verdict-eligible">{t.financeQueue.eligiblePart}</label>
          <input
            id="verdict-eligible"
            inputMode="decimal"
            value={props.eligibleTyped}
            aria-invalid={props.invalid ? 'true' : undefined}
            aria-describedby="verdict-eligible-hint"
            onInput={(e) => props.onEligible(e.currentTarget.value)}
          />
          <span id="verdict-eligible-hint" class="hint">
            {t.financeQueue.eligibleHint(formatMoney(locale, props.amount))}
          </span>
        </div>
      )}
    </>
  );
}
