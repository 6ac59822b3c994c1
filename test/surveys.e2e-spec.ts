// Satisfaction surveys (issue #19 item 3): aggregated results only. Anything that looks like one
// person's answers is refused naming the field; a partner reads its own; corrections and a void are
// in the history, and as of a point the results are as they stood.
import request from 'supertest';
import { personalCodeCheckDigit } from '@ihl/privacy';
import { seedProject, startLedgerTestApp, url, type LedgerTestApp } from './support/ledger-test-app';

const PERSON = '4860318174' + String(personalCodeCheckDigit('4860318174'));
const ID = '3d000000-0000-4000-8000-000000000001';
const Q1 = {
  questionId: 'Q1',
  text: 'Ar esate patenkinti paslaugomis?',
  distribution: { satisfied: 7, 'very-satisfied': 3, neutral: 2 },
};
const Q2 = {
  questionId: 'Q2',
  text: 'Ar darbuotojai atvyksta laiku?',
  distribution: { satisfied: 6, dissatisfied: 4, 'no-answer': 2 },
};
const SURVEY = {
  surveyId: ID,
  partnerId: 'visaginas-spc',
  respondentGroup: 'service-users',
  periodFrom: '2024-04-01',
  periodTo: '2024-06-14',
  respondents: 12,
  questions: [Q1, Q2],
};
type Who = 'auditor' | 'partnerA' | 'partnerB' | 'finance';

describe('satisfaction surveys', () => {
  let t: LedgerTestApp;
  let beforeCorrection = 0;
  const post = (path: string, body: object, who: Who = 'auditor') =>
    request(t.base)
      .post(url(`/surveys${path}`))
      .set(t.as(who))
      .send(body);
  const get = (who: Who, path = '') =>
    request(t.base)
      .get(url(`/surveys${path}`))
      .set(t.as(who));

  beforeAll(async () => {
    t = await startLedgerTestApp(new Date('2024-06-15T10:00:00Z'));
    await seedProject(t);
  });
  afterAll(() => t.close());

  it('the auditor records aggregated results (201, the same again 200); partners and finance may not', async () => {
    const res = await post('', SURVEY).expect(201);
    expect(res.headers.location).toBe(url(`/surveys/${ID}`));
    beforeCorrection = res.body.position;
    await post('', SURVEY).expect(200);
    await post('', { ...SURVEY, surveyId: '3d000000-0000-4000-8000-000000000009' }, 'partnerA').expect(403);
    await post('', { ...SURVEY, surveyId: '3d000000-0000-4000-8000-000000000009' }, 'finance').expect(403);
  });

  it('refuses what looks like individual answers, naming the field and the rule; writes nothing', async () => {
    const other = (over: object) => ({ ...SURVEY, surveyId: '3d000000-0000-4000-8000-000000000002', ...over });
    const small = await post('', other({ respondents: 4, questions: [{ ...Q1, distribution: { satisfied: 4 } }] }));
    expect(small.status).toBe(422);
    expect(small.body.issues).toEqual([
      expect.objectContaining({
        field: 'respondents',
        rule: 'minimum-group',
        message: expect.stringContaining('who answered what'),
      }),
    ]);
    const sum = await post('', other({ questions: [{ ...Q1, distribution: { satisfied: 11 } }] }));
    expect(sum.status).toBe(422);
    expect(sum.body.issues[0]).toMatchObject({ field: 'questions[0].distribution', rule: 'adds-up' });
    for (const [body, field] of [
      [other({ respondentIds: ['R-1', 'R-2'] }), 'respondentIds'],
      [other({ questions: [{ ...Q1, answers: [{ respondent: 'R-1', answer: 'satisfied' }] }] }), 'answers'],
      [other({ questions: [{ ...Q1, distribution: { ...Q1.distribution, 'Jonas: labai gerai': 1 } }] }), 'Jonas'],
      [other({ questions: [{ ...Q1, comments: ['Viskas gerai, Jonas'] }] }), 'comments'],
    ] as const) {
      const res = await post('', body);
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).toContain(field);
    }
    const code = await post('', other({ questions: [{ ...Q1, text: `Ar ${PERSON} patenkintas?` }] }));
    expect(code.status).toBeGreaterThanOrEqual(400);
    expect(code.status).toBeLessThan(500);
    expect(JSON.stringify(code.body)).not.toContain(PERSON);
    expect((await get('auditor').expect(200)).body.surveys).toHaveLength(1);
  });

  it('answers the results with satisfaction worked out by hand; partner A reads its own, B gets 404, finance 403', async () => {
    const own = await get('partnerA', `/${ID}`).expect(200);
    // Q1: 7 + 3 satisfied of 12 answered; Q2: 6 of 10 answered (2 skipped): 16 of 22.
    expect(own.body).toMatchObject({
      respondents: 12,
      status: 'recorded',
      satisfaction: { answered: 22, satisfied: 16 },
    });
    await get('partnerB', `/${ID}`).expect(404);
    await get('finance', `/${ID}`).expect(403);
    expect((await get('partnerB').expect(200)).body.surveys).toEqual([]);
    const listed = await get('partnerA', '?respondentGroup=service-users').expect(200);
    expect(listed.body.surveys).toEqual([
      expect.objectContaining({ surveyId: ID, respondents: 12, questions: 2, answered: 22, satisfied: 16 }),
    ]);
    expect((await get('auditor', '?respondentGroup=staff').expect(200)).body.surveys).toEqual([]);
  });

  it('a correction with a reason replaces the counts; as of before it they stand as recorded; a void ends them', async () => {
    const fixed = { ...Q2, distribution: { satisfied: 8, dissatisfied: 2, 'no-answer': 2 } };
    const body = { ...SURVEY, questions: [Q1, fixed], reason: 'Perskaičiuota pagal anketas' };
    const { surveyId: _, partnerId: __, ...correction } = body;
    await post(`/${ID}/corrections`, { ...correction, reason: '' }).expect(400);
    await post(`/${ID}/corrections`, correction).expect(201);
    const now = await get('auditor', `/${ID}`).expect(200);
    // Q2 now 8 of 10: 18 of 22.
    expect(now.body).toMatchObject({
      status: 'corrected',
      corrections: 1,
      satisfaction: { answered: 22, satisfied: 18 },
    });
    const then = await get('auditor', `/${ID}?asOf=${beforeCorrection}`).expect(200);
    expect(then.body).toMatchObject({ status: 'recorded', satisfaction: { answered: 22, satisfied: 16 } });
    await post(`/${ID}/void`, { reason: 'Įrašyta ne to partnerio' }).expect(201);
    const history = (await get('auditor', `/${ID}`).expect(200)).body.history.map((h: { type: string }) => h.type);
    expect(history).toEqual(['SurveyResultsRecorded', 'SurveyResultsCorrected', 'SurveyResultsVoided']);
    expect((await get('auditor').expect(200)).body.surveys[0]).toMatchObject({ status: 'voided' });
    await post(`/${ID}/void`, { reason: 'Dar kartą' }).expect(409);
  });
});
