import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DomainConflictError, DomainValidationError } from '../shared/validation';
import { parseProjectDefinition } from './project-definition';
import { decideProject, foldProject, initialProjectState } from './project.decider';

const reference = JSON.parse(readFileSync(join(__dirname, '../../../../projects/07-003-P-0001.json'), 'utf8'));

describe('project definition', () => {
  it('parses the reference project with its facts', () => {
    const d = parseProjectDefinition(reference);
    expect(d.code).toBe('07-003-P-0001');
    expect(d.envelopeCents).toBe(4_394_021_200);
    expect(d.period).toEqual({ start: '2022-12-08', end: '2026-12-31' });
    expect(d.targets).toEqual([
      expect.objectContaining({ indicator: 'unique-persons-reached', value: 4018, deadline: '2026-12-31' }),
    ]);
    expect(d.partners).toEqual([
      {
        id: 'visaginas-spc',
        name: 'Visagino socialinių paslaugų centras',
        municipality: 'Visaginas',
        joinedOn: '2023-01-02',
      },
    ]);
  });

  const broken: [string, (r: Record<string, unknown>) => void, string, string][] = [
    ['float envelope', (r) => (r.envelope = 43940212), 'envelope', 'money'],
    ['envelope with one decimal', (r) => (r.envelope = '12.5'), 'envelope', 'money'],
    ['end before start', (r) => (r.period = { start: '2026-01-01', end: '2025-01-01' }), 'period.end', 'after-start'],
    ['impossible date', (r) => (r.period = { start: '2023-02-30', end: '2026-12-31' }), 'period.start', 'iso-date'],
    [
      'rates not 100 %',
      (r) => (r.coFinancing = { esfPlusBp: 8500, nationalBp: 1400 }),
      'coFinancing',
      'sum-100-percent',
    ],
    ['unknown field', (r) => (r.owner = 'x'), 'owner', 'unknown-field'],
    [
      'partner before start',
      (r) => (r.partners = [{ id: 'p', name: 'P', municipality: 'M', joinedOn: '2020-01-01' }]),
      'partners[0].joinedOn',
      'within-period',
    ],
    [
      'duplicate partner',
      (r) => (r.partners = [1, 2].map(() => ({ id: 'p', name: 'P', municipality: 'M', joinedOn: '2023-01-01' }))),
      'partners[1].id',
      'unique',
    ],
    [
      'target value 0',
      (r) =>
        (r.targets = [{ id: 't', title: 'T', indicator: 'unique-persons-reached', value: 0, deadline: '2026-12-31' }]),
      'targets[0].value',
      'positive-integer',
    ],
  ];
  it.each(broken)('refuses %s, naming the field and the rule', (_name, mutate, field, rule) => {
    const r = structuredClone(reference);
    mutate(r);
    try {
      parseProjectDefinition(r);
      throw new Error('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(DomainValidationError);
      expect((e as DomainValidationError).issues).toEqual(
        expect.arrayContaining([expect.objectContaining({ field, rule })]),
      );
    }
  });
});

describe('project decider', () => {
  const definition = parseProjectDefinition(reference);

  it('given no events, when RegisterProject, then ProjectRegistered', () => {
    expect(decideProject(initialProjectState, { type: 'RegisterProject', definition })).toEqual([
      { type: 'ProjectRegistered', data: { definition } },
    ]);
  });

  it('given the same definition registered, when RegisterProject again, then nothing new', () => {
    const state = foldProject([{ type: 'ProjectRegistered', data: { definition } }]);
    const reordered = JSON.parse(JSON.stringify({ ...definition, code: definition.code }));
    expect(decideProject(state, { type: 'RegisterProject', definition: reordered })).toEqual([]);
  });

  it('given a registered project, when a different definition is registered, then a conflict', () => {
    const state = foldProject([{ type: 'ProjectRegistered', data: { definition } }]);
    expect(() =>
      decideProject(state, { type: 'RegisterProject', definition: { ...definition, envelopeCents: 1 } }),
    ).toThrow(DomainConflictError);
  });
});
