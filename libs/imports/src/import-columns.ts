import {
  ACTIVITY_KINDS,
  AUDIENCES,
  CONSULTATION_TOPICS,
  EQUIPMENT_CATEGORIES,
  PSYCH_RECIPIENTS,
  SERVICES,
  SETTINGS,
  SEXES,
  SUPPORT_FORMATS,
  TARGET_GROUPS,
  TRAINING_KINDS,
  type ActivityKind,
} from '@ihl/domain';

/** What a row records: an activity of one kind, or an expenditure. */
export type ImportKind = ActivityKind | 'expenditure';
export const IMPORT_KINDS: readonly ImportKind[] = [...ACTIVITY_KINDS, 'expenditure'];

export type CellType = 'text' | 'integer' | 'money' | 'date' | 'time' | 'boolean' | 'enum' | 'personal-code';

/** One column of an import sheet: the field it fills (a dotted path in the API's body) and its headers. */
export interface ImportColumn {
  readonly field: string;
  readonly lt: string;
  readonly en: string;
  readonly type: CellType;
  readonly values?: readonly string[];
  readonly required: boolean;
  /** The template's example row. */
  readonly example: string | number | boolean;
}

const col = (
  field: string,
  lt: string,
  en: string,
  type: CellType,
  example: ImportColumn['example'],
  extra: { values?: readonly string[]; optional?: boolean } = {},
): ImportColumn => ({
  field,
  lt,
  en,
  type,
  example,
  required: !extra.optional,
  ...(extra.values ? { values: extra.values } : {}),
});

const DATE = col('occurredOn', 'Data', 'Date', 'date', '2024-03-14');
const DURATION = col('durationMinutes', 'Trukmė (min.)', 'Duration (minutes)', 'integer', 90);
const WORKER = col('workerRef', 'Darbuotojas', 'Worker', 'text', 'nurse-07', { optional: true });

/** The id and partner columns every sheet may carry: a given id makes the row's identity. */
export const RECORD_ID = col('recordId', 'Įrašo ID', 'Record ID', 'text', '', { optional: true });
export const PARTNER_ID = col('partnerId', 'Partneris', 'Partner', 'text', '', { optional: true });
/** A CSV may mix kinds: its `kind` column names each row's. */
export const KIND = col('kind', 'Rūšis', 'Kind', 'enum', 'service-delivered', { values: IMPORT_KINDS });

/** Every kind's columns, in the template's order; the fields are those of the API's submit bodies. */
export const IMPORT_COLUMNS: { readonly [K in ImportKind]: readonly ImportColumn[] } = {
  'service-delivered': [
    DATE,
    col('service', 'Paslauga', 'Service', 'enum', 'nursing', { values: SERVICES }),
    col('targetGroup', 'Tikslinė grupė', 'Target group', 'enum', 'elderly', { values: TARGET_GROUPS }),
    col('setting', 'Vieta', 'Setting', 'enum', 'home', { values: SETTINGS }),
    // With both times given the minutes may be left out: the API takes their span (and checks it).
    col('durationMinutes', 'Trukmė (min.)', 'Duration (minutes)', 'integer', 90, { optional: true }),
    col('startTime', 'Pradžia', 'Start time', 'time', '08:30', { optional: true }),
    col('endTime', 'Pabaiga', 'End time', 'time', '10:00', { optional: true }),
    col('recipient.personalCode', 'Asmens kodas', 'Personal code', 'personal-code', '34001011238'),
    col('recipient.profile.sex', 'Lytis', 'Sex', 'enum', 'male', { values: SEXES, optional: true }),
    col('recipient.profile.birthYear', 'Gimimo metai', 'Birth year', 'integer', 1940, { optional: true }),
    col('recipient.profile.disability', 'Negalia', 'Disability', 'boolean', true, { optional: true }),
    WORKER,
    col('teamRef', 'Komanda', 'Team', 'text', 'team-1', { optional: true }),
  ],
  'caregiver-consultation': [
    DATE,
    col('topic', 'Tema', 'Topic', 'enum', 'preparing-to-care', { values: CONSULTATION_TOPICS }),
    DURATION,
    col('familyMembers', 'Šeimos narių', 'Family members', 'integer', 2),
    WORKER,
  ],
  'psychological-support': [
    DATE,
    col('recipientKind', 'Gavėjas', 'Recipient', 'enum', 'family-caregiver', { values: PSYCH_RECIPIENTS }),
    col('format', 'Forma', 'Format', 'enum', 'individual', { values: SUPPORT_FORMATS }),
    DURATION,
    col('participants', 'Dalyvių', 'Participants', 'integer', 1),
    WORKER,
  ],
  'training-held': [
    DATE,
    col('trainingKind', 'Mokymų rūšis', 'Training kind', 'enum', 'competence', { values: TRAINING_KINDS }),
    col('topic', 'Tema', 'Topic', 'text', 'Slaugos pagrindai'),
    DURATION,
    col('participants', 'Dalyvių', 'Participants', 'integer', 12),
  ],
  'equipment-procured': [
    DATE,
    col('category', 'Kategorija', 'Category', 'enum', 'nursing-aid', { values: EQUIPMENT_CATEGORIES }),
    col('description', 'Aprašymas', 'Description', 'text', 'Keltuvas'),
    col('quantity', 'Kiekis', 'Quantity', 'integer', 2),
    col('unitPrice', 'Vieneto kaina', 'Unit price', 'money', '1499,99'),
    col('total', 'Iš viso', 'Total', 'money', '2999,98'),
    col('supplier', 'Tiekėjas', 'Supplier', 'text', 'UAB Pavyzdys'),
    col('contractRef', 'Sutarties nr.', 'Contract ref', 'text', 'S-2024-01'),
  ],
  'promotion-event': [
    DATE,
    col('audience', 'Auditorija', 'Audience', 'enum', 'community', { values: AUDIENCES }),
    col('title', 'Pavadinimas', 'Title', 'text', 'Bendruomenės diena'),
    col('attendees', 'Lankytojų', 'Attendees', 'integer', 40),
  ],
  expenditure: [
    col('categoryId', 'Biudžeto kategorija', 'Budget category', 'text', 'equipment'),
    col('amount', 'Suma', 'Amount', 'money', '1234,57'),
    DATE,
    col('documentRef', 'Dokumento nr.', 'Document ref', 'text', 'INV-2024-0042'),
    col('description', 'Aprašymas', 'Description', 'text', 'Keltuvo diržai'),
  ],
};

export function isImportKind(value: unknown): value is ImportKind {
  return typeof value === 'string' && (IMPORT_KINDS as readonly string[]).includes(value);
}

/** The template's header: Lithuanian, then English. */
export const headerOf = (c: ImportColumn): string => `${c.lt} / ${c.en}`;

const normal = (s: string): string => s.normalize('NFC').trim().toLowerCase().replace(/\s+/g, ' ');

/**
 * The column a header names: its Lithuanian or English label, both as the template writes them, or
 * the API's field name; null for a column the import does not know.
 */
export function columnOf(kind: ImportKind | null, header: string): ImportColumn | null {
  const h = normal(header);
  const candidates = [RECORD_ID, PARTNER_ID, KIND, ...(kind ? IMPORT_COLUMNS[kind] : allColumns())];
  return (
    candidates.find((c) =>
      [c.lt, c.en, c.field, headerOf(c), c.field.split('.').pop() ?? c.field].some((name) => normal(name) === h),
    ) ?? null
  );
}

function allColumns(): ImportColumn[] {
  const seen = new Map<string, ImportColumn>();
  for (const k of IMPORT_KINDS) for (const c of IMPORT_COLUMNS[k]) if (!seen.has(c.field)) seen.set(c.field, c);
  return [...seen.values()];
}
