import { conflict, deciderSpec, forbidden, invalid } from '@ihl/testing';
import type { ActivityActor } from '../activity/activity.state';
import { decideSurvey, type SurveyCommand, type SurveyContext } from './survey.decider';
import type { SurveyEvent } from './survey.events';
import { evolveSurvey, foldSurvey, satisfactionCounts } from './survey.state';

const auditor: ActivityActor = { role: 'agency-auditor' };
const visaginas: ActivityActor = { role: 'partner-submitter', partnerId: 'visaginas-spc' };
const ctx: SurveyContext = {
  projectStart: '2022-12-08',
  projectEnd: '2026-12-31',
  today: '2024-07-10',
  partners: new Map([['visaginas-spc', '2023-01-02']]),
};

type Record = Extract<SurveyCommand, { type: 'RecordSurveyResults' }>;
const record = (over: Partial<Record> = {}): SurveyCommand => ({
  type: 'RecordSurveyResults',
  surveyId: 's-1',
  projectCode: 'IHL-2023',
  partnerId: 'visaginas-spc',
  respondentGroup: 'service-users',
  periodFrom: '2024-04-01',
  periodTo: '2024-06-30',
  respondents: 12,
  questions: [
    {
      questionId: 'Q1',
      text: 'Ar esate patenkinti paslaugomis?',
      distribution: { satisfied: 7, 'very-satisfied': 3, neutral: 2 },
    },
    {
      questionId: 'Q2',
      text: 'Ar darbuotojai atvyksta laiku?',
      distribution: { satisfied: 6, dissatisfied: 4, 'no-answer': 2 },
    },
  ],
  ...over,
});
const { type: _r, ...recordedData } = record() as Record;
const recorded: SurveyEvent = { type: 'SurveyResultsRecorded', data: recordedData };
const q1 = recordedData.questions[0]!;

const { given } = deciderSpec({
  decide: (state, command: SurveyCommand, actor: ActivityActor = auditor) => decideSurvey(state, command, actor, ctx),
  evolve: evolveSurvey,
  initialState: null,
});

describe('survey decider', () => {
  it('given none, when the auditor records aggregated results, then SurveyResultsRecorded; again changes nothing; other values conflict', () => {
    given([]).when(record()).then([recorded]);
    given([recorded]).when(record()).then([]);
    given([recorded])
      .when(record({ respondents: 13 }))
      .thenThrows(conflict('survey-exists'));
    given([]).when(record(), visaginas).thenThrows(forbidden('agency-only'));
  });

  it('refuses what looks like individual answers: a group under 5, counts that do not add up, options off the scale', () => {
    given([])
      .when(record({ respondents: 4, questions: [{ ...q1, distribution: { satisfied: 4 } }] }))
      .thenThrows(invalid('respondents', 'minimum-group'));
    given([])
      .when(record({ questions: [{ ...q1, distribution: { satisfied: 1 } }] }))
      .thenThrows(invalid('questions[0].distribution', 'adds-up'));
    given([])
      .when(record({ questions: [{ ...q1, distribution: { 'Jonas: labai gerai': 12 } as never }] }))
      .thenThrows(invalid('questions[0].distribution.Jonas: labai gerai', 'answer-option'));
    given([])
      .when(record({ questions: [{ ...q1, distribution: { satisfied: 12.5 } }] }))
      .thenThrows(invalid('questions[0].distribution.satisfied', 'count'));
  });

  it('refuses an unknown partner or group, a period outside the project or in disorder, repeated question ids', () => {
    given([])
      .when(record({ partnerId: 'nowhere' }))
      .thenThrows(invalid('partnerId', 'registered-partner'));
    given([])
      .when(record({ respondentGroup: 'neighbours' as 'staff' }))
      .thenThrows(invalid('respondentGroup', 'one-of'));
    given([])
      .when(record({ periodTo: '2024-07-11' }))
      .thenThrows(invalid('periodTo', 'within-project-period'));
    given([])
      .when(record({ periodFrom: '2023-01-01' }))
      .thenThrows(invalid('periodFrom', 'after-partner-joined'));
    given([])
      .when(record({ periodTo: '2024-03-31' }))
      .thenThrows(invalid('periodTo', 'in-order'));
    given([])
      .when(record({ questions: [q1, q1] }))
      .thenThrows(invalid('questions[1].questionId', 'distinct-code'));
  });

  it('given results, a correction with a reason replaces them; a void ends them; a voided survey takes nothing more', () => {
    const fixed = { ...q1, distribution: { satisfied: 8, 'very-satisfied': 2, neutral: 2 } };
    const correct: SurveyCommand = {
      type: 'CorrectSurveyResults',
      reason: 'Perskaičiuota pagal anketas',
      respondentGroup: 'service-users',
      periodFrom: '2024-04-01',
      periodTo: '2024-06-30',
      respondents: 12,
      questions: [fixed],
    };
    const corrected: SurveyEvent = {
      type: 'SurveyResultsCorrected',
      data: {
        surveyId: 's-1',
        respondentGroup: 'service-users',
        periodFrom: '2024-04-01',
        periodTo: '2024-06-30',
        respondents: 12,
        questions: [fixed],
        reason: 'Perskaičiuota pagal anketas',
      },
    };
    given([recorded]).when(correct).then([corrected]);
    given([recorded])
      .when({ ...correct, reason: '' })
      .thenThrows(invalid('reason', 'reason'));
    given([recorded])
      .when({ ...correct, respondents: 3, questions: [{ ...fixed, distribution: { satisfied: 3 } }] })
      .thenThrows(invalid('respondents', 'minimum-group'));
    const voided: SurveyEvent = {
      type: 'SurveyResultsVoided',
      data: { surveyId: 's-1', reason: 'Įrašyta per klaidą' },
    };
    given([recorded]).when({ type: 'VoidSurveyResults', reason: 'Įrašyta per klaidą' }).then([voided]);
    given([recorded, voided]).when(correct).thenThrows(conflict('voided'));
    expect(foldSurvey([recorded, corrected])).toMatchObject({
      status: 'corrected',
      corrections: 1,
      questions: [fixed],
    });
  });

  it('satisfaction: satisfied and very satisfied over every answer but no-answer, over all questions', () => {
    // Q1: 7 + 3 satisfied of 12 answered; Q2: 6 of 10 answered (2 no-answer) -> 16 of 22.
    expect(satisfactionCounts(recordedData.questions)).toEqual({ answered: 22, satisfied: 16 });
  });
});
