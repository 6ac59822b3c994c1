import { BadRequestException, UnprocessableEntityException, type HttpException } from '@nestjs/common';
import { personalCodeCheckDigit } from '@ihl/privacy';
import { FigureQueryDto, NoQueryDto, PartnerFigureQueryDto, RecordQueryDto } from './position-query';
import { parameterNames, parseQuery } from './valid-query.decorator';

const CODE = '3400101123' + String(personalCodeCheckDigit('3400101123'));

/** A query as Express parses it: a null-prototype object, arrays for repeated names. */
const query = (entries: Record<string, string | string[]>) => Object.assign(Object.create(null), entries);

function refusal(dto: new () => object, q: Record<string, string | string[]>): HttpException {
  try {
    parseQuery(dto, query(q));
  } catch (e) {
    return e as HttpException;
  }
  throw new Error('expected the query to be refused');
}
const issuesOf = (e: HttpException) => (e.getResponse() as { issues: unknown[] }).issues;

describe('parseQuery', () => {
  it('accepts the parameters a DTO declares, its parent’s included', () => {
    expect(parameterNames(PartnerFigureQueryDto)).toEqual(['asOf', 'dialect', 'format', 'partnerId', 'position']);
    const q = parseQuery(PartnerFigureQueryDto, query({ position: '12', asOf: '2024-05-31', partnerId: 'utena-spc' }));
    expect(q).toEqual({ position: '12', asOf: '2024-05-31', partnerId: 'utena-spc' });
    expect(q).toBeInstanceOf(PartnerFigureQueryDto);
    expect(parseQuery(NoQueryDto, query({}))).toBeInstanceOf(NoQueryDto);
  });

  it('refuses an unknown parameter with 400, naming it and what the endpoint takes', () => {
    const e = refusal(RecordQueryDto, { asOf: '2024-05-31', partnerId: 'utena-spc' });
    expect(e).toBeInstanceOf(BadRequestException);
    expect(issuesOf(e)).toEqual([
      {
        field: 'partnerId',
        rule: 'unknown-parameter',
        message: 'is not a parameter of this endpoint (it takes asOf, dialect, format)',
      },
    ]);
    expect(issuesOf(refusal(NoQueryDto, { format: 'csv' }))).toEqual([
      { field: 'format', rule: 'unknown-parameter', message: 'is not a parameter of this endpoint (it takes none)' },
    ]);
  });

  it('refuses names that would reach an object’s prototype like any other unknown name', () => {
    const e = refusal(FigureQueryDto, { ['__proto__']: 'x', constructor: 'y', toString: 'z' });
    expect(issuesOf(e)).toEqual(
      ['__proto__', 'constructor', 'toString'].map((field) =>
        expect.objectContaining({ field, rule: 'unknown-parameter' }),
      ),
    );
  });

  it('refuses a repeated parameter once, as repeated (not also as malformed or missing)', () => {
    const e = refusal(FigureQueryDto, { format: ['json', 'csv'], position: 'x' });
    expect(issuesOf(e)).toEqual([
      { field: 'format', rule: 'repeated-parameter', message: 'must be given at most once' },
      expect.objectContaining({ field: 'position', rule: 'integer', value: 'x' }),
    ]);
  });

  it('names each malformed value with its rule', () => {
    const e = refusal(PartnerFigureQueryDto, { position: '1.5', asOf: '2024-02-30', format: 'xml', partnerId: 'A B' });
    const byField = (issues: unknown[]) =>
      [...(issues as { field: string }[])].sort((a, b) => a.field.localeCompare(b.field));
    expect(byField(issuesOf(e))).toEqual([
      {
        field: 'asOf',
        rule: 'date-or-position',
        message: 'must be a date YYYY-MM-DD or a position',
        value: '2024-02-30',
      },
      { field: 'format', rule: 'enum', message: 'must be json or csv', value: 'xml' },
      { field: 'partnerId', rule: 'slug', message: expect.any(String), value: 'A B' },
      { field: 'position', rule: 'integer', message: expect.any(String), value: '1.5' },
    ]);
  });

  it('never quotes a personal code: in a name, in an unknown value, in a value that breaks a rule (422 there)', () => {
    const named = refusal(FigureQueryDto, { [CODE]: '1', note: CODE });
    expect(JSON.stringify(named.getResponse())).not.toContain(CODE);
    expect(issuesOf(named)).toHaveLength(2);
    const partner = refusal(PartnerFigureQueryDto, { partnerId: CODE });
    expect(partner).toBeInstanceOf(UnprocessableEntityException);
    expect(issuesOf(partner)).toEqual([expect.objectContaining({ field: 'partnerId', rule: 'no-personal-code' })]);
    expect(JSON.stringify(partner.getResponse())).not.toContain(CODE);
  });
});
