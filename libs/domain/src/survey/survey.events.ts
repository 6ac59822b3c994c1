import type { IsoDate } from '../shared/iso-date';

/** One stream per survey's results: the recording, its corrections and a void stay in order. */
export const surveyStreamId = (surveyId: string): string => `survey-${surveyId}`;

export const RESPONDENT_GROUPS = ['service-users', 'family-members', 'staff'] as const;
export type RespondentGroup = (typeof RESPONDENT_GROUPS)[number];

/**
 * The answer options every question is counted on: a five-point satisfaction scale and `no-answer`
 * (a respondent who skipped the question), so each question's counts add up to the respondents.
 */
export const ANSWER_OPTIONS = [
  'very-dissatisfied',
  'dissatisfied',
  'neutral',
  'satisfied',
  'very-satisfied',
  'no-answer',
] as const;
export type AnswerOption = (typeof ANSWER_OPTIONS)[number];

/**
 * Fewer respondents than this and the results are refused: in a small group the counts tell who
 * answered what (five family members of one centre's clients are known to its staff by name).
 */
export const MIN_RESPONDENTS = 5;

/** One question and how many respondents chose each option (options nobody chose may be left out). */
export interface SurveyQuestion {
  readonly questionId: string;
  readonly text: string;
  readonly distribution: Readonly<Partial<Record<AnswerOption, number>>>;
}

/** What a survey's results say: aggregated counts only, never an individual's answers. */
export interface SurveyResults {
  readonly respondentGroup: RespondentGroup;
  readonly periodFrom: IsoDate;
  readonly periodTo: IsoDate;
  readonly respondents: number;
  readonly questions: readonly SurveyQuestion[];
}

export interface SurveyResultsRecorded {
  readonly type: 'SurveyResultsRecorded';
  readonly data: SurveyResults & {
    readonly surveyId: string;
    readonly projectCode: string;
    readonly partnerId: string;
  };
}

/** The results as they should have been recorded, and why. */
export interface SurveyResultsCorrected {
  readonly type: 'SurveyResultsCorrected';
  readonly data: SurveyResults & { readonly surveyId: string; readonly reason: string };
}

export interface SurveyResultsVoided {
  readonly type: 'SurveyResultsVoided';
  readonly data: { readonly surveyId: string; readonly reason: string };
}

export type SurveyEvent = SurveyResultsRecorded | SurveyResultsCorrected | SurveyResultsVoided;
