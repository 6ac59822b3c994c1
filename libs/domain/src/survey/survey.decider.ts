import type { ActivityActor } from '../activity/activity.state';
import { canonicalJson } from '../shared/canonical-json';
import { isIsoDate, type IsoDate } from '../shared/iso-date';
import { requireRole } from '../shared/record-guards';
import { DomainConflictError, DomainNotFoundError, IssueCollector, requireReason } from '../shared/validation';
import {
  ANSWER_OPTIONS,
  MIN_RESPONDENTS,
  RESPONDENT_GROUPS,
  type AnswerOption,
  type SurveyEvent,
  type SurveyResults,
  type SurveyResultsRecorded,
} from './survey.events';
import type { Survey, SurveyState } from './survey.state';

export type SurveyCommand =
  | ({ readonly type: 'RecordSurveyResults' } & SurveyResultsRecorded['data'])
  | ({ readonly type: 'CorrectSurveyResults'; readonly reason: string } & SurveyResults)
  | { readonly type: 'VoidSurveyResults'; readonly reason: string };

/** What surveys are checked against: the project's dates and partners, and the check's day. */
export interface SurveyContext {
  readonly projectStart: IsoDate;
  readonly projectEnd: IsoDate;
  readonly today: IsoDate;
  /** Each partner of the project and the day it joined. */
  readonly partners: ReadonlyMap<string, IsoDate>;
}

const QUESTION_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;
const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0;

function checkPeriod(c: IssueCollector, r: SurveyResults, ctx: SurveyContext, joinedOn: IsoDate | undefined): void {
  const last = ctx.today < ctx.projectEnd ? ctx.today : ctx.projectEnd;
  if (!isIsoDate(r.periodFrom)) c.add('periodFrom', 'iso-date', 'must be a calendar date YYYY-MM-DD', r.periodFrom);
  else if (r.periodFrom < ctx.projectStart || r.periodFrom > last)
    c.add('periodFrom', 'within-project-period', `must lie from ${ctx.projectStart} to ${last}`, r.periodFrom);
  else if (joinedOn !== undefined && r.periodFrom < joinedOn)
    c.add('periodFrom', 'after-partner-joined', `must not be before the partner joined on ${joinedOn}`, r.periodFrom);
  if (!isIsoDate(r.periodTo)) c.add('periodTo', 'iso-date', 'must be a calendar date YYYY-MM-DD', r.periodTo);
  else if (r.periodTo > last) c.add('periodTo', 'within-project-period', `must not be after ${last}`, r.periodTo);
  else if (isIsoDate(r.periodFrom) && r.periodTo < r.periodFrom)
    c.add('periodTo', 'in-order', 'must not be before periodFrom', r.periodTo);
}

function checkQuestions(c: IssueCollector, r: SurveyResults): void {
  if (r.questions.length < 1 || r.questions.length > 50)
    c.add('questions', 'count', 'must hold 1-50 questions', r.questions.length);
  const ids = new Set<string>();
  r.questions.forEach((q, i) => {
    const at = `questions[${i}]`;
    if (!QUESTION_ID.test(q.questionId) || ids.has(q.questionId))
      c.add(`${at}.questionId`, 'distinct-code', 'must be a code of 1-32 letters, digits, ._- used once', q.questionId);
    ids.add(q.questionId);
    if (typeof q.text !== 'string' || q.text.trim().length < 3 || q.text.length > 300)
      c.add(`${at}.text`, 'text', 'must be the question as asked, 3-300 characters', q.text);
    const entries = Object.entries(q.distribution) as [AnswerOption, unknown][];
    let wellFormed = true;
    for (const [option, count] of entries) {
      if (!ANSWER_OPTIONS.includes(option))
        c.add(`${at}.distribution.${option}`, 'answer-option', `must be one of ${ANSWER_OPTIONS.join(', ')}`, option);
      else if (!isCount(count)) c.add(`${at}.distribution.${option}`, 'count', 'must be a whole number ≥ 0', count);
      else continue;
      wellFormed = false;
    }
    const total = entries.reduce((sum, [, n]) => sum + (isCount(n) ? n : 0), 0);
    // Counts that do not add up are either a typo or answers of single people entered one by one.
    if (wellFormed && total !== r.respondents)
      c.add(
        `${at}.distribution`,
        'adds-up',
        `counts must add up to the ${r.respondents} respondents (they add up to ${total}; use no-answer for skipped)`,
        total,
      );
  });
}

/** Aggregated results only: a known group, a period, at least MIN_RESPONDENTS, counts that add up. */
function checkResults(
  r: SurveyResults,
  ctx: SurveyContext,
  joinedOn: IsoDate | undefined,
  c = new IssueCollector(),
): void {
  if (!RESPONDENT_GROUPS.includes(r.respondentGroup))
    c.add('respondentGroup', 'one-of', `must be one of ${RESPONDENT_GROUPS.join(', ')}`, r.respondentGroup);
  checkPeriod(c, r, ctx, joinedOn);
  if (!isCount(r.respondents) || r.respondents < MIN_RESPONDENTS || r.respondents > 100_000)
    c.add(
      'respondents',
      'minimum-group',
      `must be at least ${MIN_RESPONDENTS}: in a smaller group the counts tell who answered what`,
      r.respondents,
    );
  else checkQuestions(c, r);
  c.throwIfAny();
}

const resultsOf = (s: Survey | SurveyResults): SurveyResults => ({
  respondentGroup: s.respondentGroup,
  periodFrom: s.periodFrom,
  periodTo: s.periodTo,
  respondents: s.respondents,
  questions: s.questions,
});

function decideRecord(
  state: SurveyState,
  cmd: Extract<SurveyCommand, { type: 'RecordSurveyResults' }>,
  ctx: SurveyContext,
): SurveyEvent[] {
  const { type: _, ...data } = cmd;
  if (state) {
    const { status: _s, corrections: _c, ...known } = state;
    if (state.corrections === 0 && canonicalJson(known) === canonicalJson(data)) return [];
    throw new DomainConflictError('survey-exists', `survey ${cmd.surveyId} is already recorded`);
  }
  const c = new IssueCollector();
  if (!ctx.partners.has(cmd.partnerId))
    c.add('partnerId', 'registered-partner', 'must be a partner of the project', cmd.partnerId);
  checkResults(data, ctx, ctx.partners.get(cmd.partnerId), c);
  return [{ type: 'SurveyResultsRecorded', data }];
}

/**
 * The agency records a partner's survey results, corrects them (with a reason) and voids them;
 * the results are counts per answer option, never one person's answers.
 */
export function decideSurvey(
  state: SurveyState,
  command: SurveyCommand,
  actor: ActivityActor,
  ctx: SurveyContext,
): SurveyEvent[] {
  requireRole(actor, 'agency-auditor', 'only the agency records survey results');
  if (command.type === 'RecordSurveyResults') return decideRecord(state, command, ctx);
  if (!state) throw new DomainNotFoundError('no such survey');
  if (state.status === 'voided') throw new DomainConflictError('voided', `survey ${state.surveyId} is voided`);
  const reason = requireReason(command.reason);
  if (command.type === 'VoidSurveyResults')
    return [{ type: 'SurveyResultsVoided', data: { surveyId: state.surveyId, reason } }];
  const results = resultsOf(command);
  if (canonicalJson(results) === canonicalJson(resultsOf(state))) return [];
  checkResults(results, ctx, ctx.partners.get(state.partnerId));
  return [{ type: 'SurveyResultsCorrected', data: { surveyId: state.surveyId, ...results, reason } }];
}
