import { partnerFormsLt } from './partner-forms.lt';
import { partnerImportLt } from './partner-import.lt';
import { partnerRecordsLt } from './partner-records.lt';

/** The partner pages' Lithuanian texts (merged into the dictionary as `partner`). */
export const partnerLt = {
  partnerForms: partnerFormsLt,
  partnerRecords: partnerRecordsLt,
  partnerImport: partnerImportLt,
  partner: {
    navHome: 'Mano organizacija',
    open: (name: string) => `Atidaryti: ${name}`,
    notAvailable: 'Šis puslapis jums neprieinamas',
    notAvailableText: 'Tokio partnerio ar įrašo nėra arba jo duomenys jums nerodomi.',
    homeTitle: (name: string) => `Partneris: ${name}`,
    progressTitle: 'Pasiekti asmenys',
    reached: 'Partnerio pasiekti asmenys',
    target: 'Partnerio dalis projekto tiksle',
    share: 'Įvykdyta partnerio dalies',
    forecast: 'Prognozė termino dieną',
    budgetTitle: 'Partnerio biudžetas',
    budgetUnavailable: 'Biudžeto duomenys jums šiuo metu neprieinami.',
    allocated: 'Skirta',
    declared: 'Deklaruota išlaidų',
    eligible: 'Patvirtinta tinkamų išlaidų',
    pending: 'Laukia patikrinimo',
    remaining: 'Liko nepanaudota',
    actionsTitle: 'Ką galite daryti',
    newRecord: 'Pateikti naują įrašą',
    records: 'Peržiūrėti įrašus',
    importFile: 'Įkelti įrašus iš failo',
    backToPartner: 'Grįžti į partnerio puslapį',
  },
};
