import { useState } from 'preact/hooks';
import { ApiError } from '../../api';
import { useI18n } from '../../i18n';
import { valuesOf } from '../../pages/partner/form-values';
import { projectBase, read, write } from '../../pages/partner/partner-api';
import { useLoad } from '../../pages/partner/use-load';
import type { LoadedRecord } from '../../pages/partner/record-data';
import { kindSpec, type FieldSpec } from '../../pages/partner/record-kinds';
import { RecordForm } from './record-form';

interface ProjectCategories {
  readonly budgetCategories: readonly { readonly id: string; readonly name: string }[];
}

const REASON: FieldSpec = { name: 'reason', type: 'textarea' };

/**
 * Correct (a form with the current values) or void (a reason, then a second, explicit yes). Both
 * send the revision the page was read at in If-Match: a record changed meanwhile is refused (412),
 * never overwritten unseen.
 */
export function RecordActions(props: { code: string; record: LoadedRecord; onChanged: (message: string) => void }) {
  const { t } = useI18n();
  const tr = t.partnerRecords;
  const [open, setOpen] = useState<'correct' | 'void' | null>(null);
  const { record } = props;
  const spec = kindSpec(record.formKind);
  const base = projectBase(props.code);
  const send = async (path: string, body: Record<string, unknown>, message: string) => {
    try {
      await write(`${base}/${path}`, body, record.revision);
    } catch (e) {
      if (e instanceof ApiError && (e.status === 412 || e.status === 409) && e.issues.length === 0)
        throw new ApiError(e.status, tr.stale);
      throw e;
    }
    setOpen(null);
    props.onChanged(message);
  };
  return (
    <section class="card" aria-labelledby="actions-title">
      <h2 id="actions-title">{t.partner.actionsTitle}</h2>
      <ul class="actions">
        <li>
          <button
            type="button"
            aria-expanded={open === 'correct'}
            onClick={() => setOpen(open === 'correct' ? null : 'correct')}
          >
            {tr.correct}
          </button>
        </li>
        <li>
          <button
            type="button"
            class="secondary"
            aria-expanded={open === 'void'}
            onClick={() => setOpen(open === 'void' ? null : 'void')}
          >
            {tr.voidAsk}
          </button>
        </li>
      </ul>
      {open === 'correct' && (
        <CorrectPanel
          record={record}
          code={props.code}
          onSubmit={(body) => send(`${spec.path}/${record.id}/corrections`, body, tr.corrected)}
        />
      )}
      {open === 'void' && (
        <VoidPanel
          onSubmit={(body) => send(`${record.which}/${record.id}/void`, body, tr.voided)}
          onCancel={() => setOpen(null)}
        />
      )}
    </section>
  );
}

function CorrectPanel(props: {
  code: string;
  record: LoadedRecord;
  onSubmit: (body: Record<string, unknown>) => Promise<void>;
}) {
  const { t } = useI18n();
  const tr = t.partnerRecords;
  const spec = kindSpec(props.record.formKind);
  const [project] = useLoad(() => read<ProjectCategories>(projectBase(props.code)), props.code);
  return (
    <div class="action-panel">
      <h3>{tr.correctTitle}</h3>
      <p class="help">{tr.correctHelp}</p>
      <RecordForm
        id="correct"
        spec={spec}
        extraFields={[REASON]}
        initial={valuesOf(spec, props.record.state.fields)}
        categories={project.state === 'ready' ? project.data.budgetCategories : []}
        submitLabel={tr.saveCorrection}
        onSubmit={props.onSubmit}
      />
    </div>
  );
}

function VoidPanel(props: { onSubmit: (body: Record<string, unknown>) => Promise<void>; onCancel: () => void }) {
  const { t } = useI18n();
  const tr = t.partnerRecords;
  return (
    <div class="action-panel">
      <h3>{tr.voidTitle}</h3>
      <p>
        <strong>{tr.voidWarning}</strong>
      </p>
      <RecordForm
        id="void"
        spec={{ kind: 'void', fields: [REASON] }}
        initial={{}}
        categories={[]}
        submitLabel={tr.voidConfirm}
        onSubmit={props.onSubmit}
      />
      <button type="button" class="secondary" onClick={props.onCancel}>
        {tr.cancel}
      </button>
    </div>
  );
}
