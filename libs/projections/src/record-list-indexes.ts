/**
 * The indexes the record lists add (record-lists.query.ts). An index's last, implicit column is the
 * row's seq (creation order): `records_list_partner_dated` gives one partner's activities (cls 0) or
 * expenditures (cls 1) by date then seq, from a cursor on; `records_queue_partner` is partial, holding
 * only the records awaiting review, in seq order per partner. Creation order per partner comes from
 * `records_scope`, across partners from the table itself. Only two: each index is one more page a
 * live commit writes to the WAL.
 */
export const RECORD_LIST_INDEXES = `
  create index if not exists records_list_partner_dated on records (project_code, cls, partner_id, occurred_on);
  create index if not exists records_queue_partner on records (project_code, partner_id) where review = 0 and voided = 0;
`;
