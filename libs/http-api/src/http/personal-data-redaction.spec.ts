import { personalCodeCheckDigit } from '@ihl/privacy';
import { isPersonalCodeField, redactIssue } from './personal-data-redaction';

const CODE = '3870318174' + String(personalCodeCheckDigit('3870318174'));

describe('issues as they may be answered', () => {
  it.each(['personalCode', 'recipient.personalCode', 'records[3].recipient.personalCode', 'PersonalCode'])(
    '%s names a personal code',
    (field) => expect(isPersonalCodeField(field)).toBe(true),
  );
  it.each(['personalCodes', 'recipient', 'records[3].workerRef', 'codePersonal'])('%s does not', (field) =>
    expect(isPersonalCodeField(field)).toBe(false),
  );

  it('never quotes the value of a personal-code field, even one that is no valid code', () => {
    const issue = { field: 'records[3].recipient.personalCode', rule: 'isLength', message: 'must be 11 digits' };
    expect(redactIssue({ ...issue, value: `${CODE}1` })).toEqual(issue);
  });

  it('never quotes a value holding a code, whatever the field; other values stay', () => {
    const issue = { field: 'title', rule: 'no-personal-code', message: 'title must not contain a personal code' };
    expect(redactIssue({ ...issue, value: `kodas ${CODE}.` })).toEqual(issue);
    expect(redactIssue({ ...issue, value: Number(CODE) })).toEqual(issue);
    expect(redactIssue({ ...issue, value: 'Open day 2024' })).toEqual({ ...issue, value: 'Open day 2024' });
  });

  it('removes a code from the field name and the message (an unknown property can be named by one)', () => {
    expect(
      redactIssue({ field: `recipient.${CODE}`, rule: 'unknown-field', message: `property ${CODE} should not exist` }),
    ).toEqual({
      field: 'recipient.[personal code removed]',
      rule: 'unknown-field',
      message: 'property [personal code removed] should not exist',
    });
  });
});
