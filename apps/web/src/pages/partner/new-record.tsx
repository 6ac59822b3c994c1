import { useState } from 'preact/hooks';
import type { SessionAnswer } from '../../api';
import { useAsOf } from '../../as-of';
import { NoWritesAsOf } from '../../components/audit/as-of-picker';
import { NotAvailable } from '../../components/partner/not-available';
import { RecordForm } from '../../components/partner/record-form';
import { useI18n } from '../../i18n';
import { onLinkClick } from '../../router';
import { projectBase, read, write } from './partner-api';
import { KINDS, kindSpec, type FormKind } from './record-kinds';
import { useLoad } from './use-load';

interface ProjectCategories {
  readonly budgetCategories: readonly { readonly id: string; readonly name: string }[];
}

/** `/partners/:id/new`: the partner's own staff choose a kind and fill in its form. */
export function NewRecordPage(props: { session: SessionAnswer; partnerId: string }) {
  const { t } = useI18n();
  const tf = t.partnerForms;
  const code = props.session.project ?? '';
  const [kind, setKind] = useState<FormKind>('service-delivered');
  const [saved, setSaved] = useState<string | null>(null);
  const [project] = useLoad(() => read<ProjectCategories>(projectBase(code)), code);
  const asOf = useAsOf();
  // Only a partner's own staff submit: the API would refuse anyone else, so the page is not offered.
  if (props.session.actor?.partnerId !== props.partnerId) return <NotAvailable />;
  if (asOf)
    return (
      <>
        <h1>{tf.newTitle}</h1>
        <NoWritesAsOf day={asOf} />
      </>
    );
  const spec = kindSpec(kind);
  const categories = project.state === 'ready' ? project.data.budgetCategories : [];
  const home = `/partners/${encodeURIComponent(props.partnerId)}`;
  const submit = async (body: Record<string, unknown>) => {
    setSaved(null);
    const r = await write<{ activityId?: string; expenditureId?: string }>(`${projectBase(code)}/${spec.path}`, body);
    setSaved(r.activityId ?? r.expenditureId ?? null);
  };
  return (
    <>
      <h1>{tf.newTitle}</h1>
      <p>
        <a href={home} onClick={onLinkClick}>
          {t.partner.backToPartner}
        </a>
      </p>
      <Saved id={saved} />
      <KindChooser
        kind={kind}
        onChange={(k) => {
          setKind(k);
          setSaved(null);
        }}
      />
      <section class="card form-card" aria-labelledby="form-title">
        <h2 id="form-title">{tf.kinds[kind]}</h2>
        <RecordForm
          key={kind}
          id="new"
          spec={spec}
          initial={{}}
          categories={categories}
          submitLabel={tf.submit}
          onSubmit={submit}
        />
      </section>
    </>
  );
}

/** The confirmation after a record was saved: its number and a link to it (a live region, there from the start). */
function Saved({ id }: { id: string | null }) {
  const { t } = useI18n();
  const tf = t.partnerForms;
  return (
    <div role="status" class={id ? 'confirmation' : undefined}>
      {id && (
        <>
          <p>
            <strong>{tf.saved}</strong> {tf.savedId} <code data-saved-id>{id}</code>
          </p>
          <p>
            <a href={`/records/${id}`} onClick={onLinkClick}>
              {tf.openSaved}
            </a>
          </p>
        </>
      )}
    </div>
  );
}

function KindChooser(props: { kind: FormKind; onChange: (kind: FormKind) => void }) {
  const { t } = useI18n();
  const tf = t.partnerForms;
  return (
    <div class="field">
      <label for="record-kind">{tf.kindLabel}</label>
      <p class="help" id="record-kind-help">
        {tf.kindHelp}
      </p>
      <select
        id="record-kind"
        aria-describedby="record-kind-help"
        value={props.kind}
        onChange={(e) => props.onChange((e.currentTarget as HTMLSelectElement).value as FormKind)}
      >
        {KINDS.map((k) => (
          <option key={k.kind} value={k.kind}>
            {tf.kinds[k.kind]}
          </option>
        ))}
      </select>
    </div>
  );
}
