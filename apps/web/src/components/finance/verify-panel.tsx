import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../../api';
import { useI18n } from '../../i18n';
import { formatDay, formatMoney } from '../../i18n/format';
import type { ExpenditureRow } from '../../pages/finance/finance-data';
import { loadExpenditure, verifyExpenditure, type ExpenditureDetail } from '../../pages/finance/queue-data';
import { verdictOf, type VerdictChoice } from '../../pages/finance/verdict';
import { ReasonField } from './reason-field';

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
}) {
  const { t, locale } = useI18n();
  const { row } = props;
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
      {props.canVerify ? (
        <VerdictFormView code={props.code} row={row} doc={doc} onVerified={props.onVerified} />
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

function VerdictFormView(props: { code: string; row: ExpenditureRow; doc: string; onVerified: (p: number) => void }) {
  const { t } = useI18n();
  const [choice, setChoice] = useState<VerdictChoice>('full');
  const [eligibleTyped, setEligibleTyped] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<'amount' | 'reason' | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = (e: Event) => {
    e.preventDefault();
    const result = verdictOf(props.row.amount, { choice, eligibleTyped, reason });
    if ('error' in result) return setError(result.error);
    setError(null);
    setBusy(true);
    verifyExpenditure(props.code, props.row.id, result.verdict)
      .then(props.onVerified)
      .catch((err: unknown) => setFailed(err instanceof ApiError ? err.message : String(err)))
      .finally(() => setBusy(false));
  };
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
      <ReasonField value={reason} onInput={setReason} required={choice !== 'full'} invalid={error === 'reason'} />
      {error && (
        <p class="error" role="alert">
          {error === 'amount' ? t.financeQueue.badAmount : t.financeQueue.reasonRequired}
        </p>
      )}
      {failed && (
        <p class="error" role="alert">
          {t.financeQueue.failed} {failed}
        </p>
      )}
      <p>
        <button type="submit" disabled={busy}>
          {t.financeQueue.submit}
        </button>
      </p>
    </form>
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
