import { partnerFormsEn } from './partner-forms.en';
import { partnerImportEn } from './partner-import.en';
import { partnerRecordsEn } from './partner-records.en';
import type { partnerLt } from './partner.lt';

/** The partner pages' English texts: the same keys as the Lithuanian ones. */
export const partnerEn: typeof partnerLt = {
  partnerForms: partnerFormsEn,
  partnerRecords: partnerRecordsEn,
  partnerImport: partnerImportEn,
  partner: {
    navHome: 'My organisation',
    open: (name: string) => `Open: ${name}`,
    notAvailable: 'This page is not available to you',
    notAvailableText: 'There is no such partner or record, or its data are not shown to you.',
    homeTitle: (name: string) => `Partner: ${name}`,
    progressTitle: 'Persons reached',
    reached: 'Persons reached by the partner',
    target: "The partner's part of the project target",
    share: "Share of the partner's part reached",
    forecast: 'Forecast at the deadline',
    budgetTitle: "The partner's budget",
    budgetUnavailable: 'Budget figures are not available to you at present.',
    allocated: 'Allocated',
    declared: 'Expenditure declared',
    eligible: 'Eligible expenditure verified',
    pending: 'Awaiting verification',
    remaining: 'Remaining',
    actionsTitle: 'What you can do',
    newRecord: 'Submit a new record',
    records: 'See the records',
    importFile: 'Upload records from a file',
    backToPartner: "Back to the partner's page",
  },
};
