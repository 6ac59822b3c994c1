import { useI18n } from '../../i18n';

/** A select of the partners (or all of them); the page reloads its figures when it changes. */
export function PartnerFilter(props: {
  partners: readonly { id: string; name: string }[];
  value: string;
  onChange: (partnerId: string) => void;
}) {
  const { t } = useI18n();
  return (
    <div class="field">
      <label for="filter-partner">{t.financeQueue.filterPartner}</label>
      <select id="filter-partner" value={props.value} onChange={(e) => props.onChange(e.currentTarget.value)}>
        <option value="">{t.financeQueue.allPartners}</option>
        {props.partners.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
        {props.value && !props.partners.some((p) => p.id === props.value) && (
          <option value={props.value}>{props.value}</option>
        )}
      </select>
    </div>
  );
}
