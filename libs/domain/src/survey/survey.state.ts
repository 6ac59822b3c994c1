import type { AnswerOption, SurveyEvent, SurveyQuestion, SurveyResultsRecorded } from './survey.events';

export type Survey = SurveyResultsRecorded['data'] & {
  readonly status: 'recorded' | 'corrected' | 'voided';
  readonly corrections: number;
};

export type SurveyState = Survey | null;

export function evolveSurvey(state: SurveyState, e: SurveyEvent): SurveyState {
  if (e.type === 'SurveyResultsRecorded') return { ...e.data, status: 'recorded', corrections: 0 };
  if (!state) return state;
  if (e.type === 'SurveyResultsVoided') return { ...state, status: 'voided' };
  const { reason: _, ...results } = e.data;
  return { ...state, ...results, status: 'corrected', corrections: state.corrections + 1 };
}

export const foldSurvey = (events: readonly SurveyEvent[]): SurveyState =>
  events.reduce(evolveSurvey, null as SurveyState);

const SATISFIED: readonly AnswerOption[] = ['satisfied', 'very-satisfied'];

/**
 * The answers a satisfaction share is taken over (every option but `no-answer`), and how many of
 * them were satisfied or very satisfied, summed over the questions.
 */
export function satisfactionCounts(questions: readonly SurveyQuestion[]): { answered: number; satisfied: number } {
  let answered = 0;
  let satisfied = 0;
  for (const q of questions)
    for (const [option, count] of Object.entries(q.distribution) as [AnswerOption, number][]) {
      if (option !== 'no-answer') answered += count;
      if (SATISFIED.includes(option)) satisfied += count;
    }
  return { answered, satisfied };
}
