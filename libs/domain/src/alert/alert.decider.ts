import { type AlertDetails, type AlertEvent, type AlertSubject } from './alert.events';

/** A check's finding: what is wrong now, about which subject. */
export interface Finding {
  readonly check: string;
  readonly subject: AlertSubject;
  readonly details: AlertDetails;
}

/** The project's alerts: the open one per cause, and how often each cause was raised. */
export interface AlertsState {
  readonly open: ReadonlyMap<string, string>;
  readonly raisedCount: ReadonlyMap<string, number>;
}

export const initialAlertsState: AlertsState = { open: new Map(), raisedCount: new Map() };

/**
 * The cause of a finding: its check and its subject's parts in a fixed order, e.g.
 * `over-allocation:visaginas-spc:equipment`. The same finding always has the same cause.
 */
export function causeKey(check: string, subject: AlertSubject): string {
  const { partnerId, categoryId, recordId, periodId } = subject;
  return [check, partnerId, categoryId, recordId, periodId].filter((p) => p !== undefined).join(':');
}

export function evolveAlerts(state: AlertsState, event: AlertEvent): AlertsState {
  const { cause, alertId } = event.data;
  const open = new Map(state.open);
  if (event.type === 'AlertResolved') {
    open.delete(cause);
    return { ...state, open };
  }
  open.set(cause, alertId);
  return { open, raisedCount: new Map(state.raisedCount).set(cause, (state.raisedCount.get(cause) ?? 0) + 1) };
}

export function foldAlerts(events: readonly AlertEvent[]): AlertsState {
  return events.reduce(evolveAlerts, initialAlertsState);
}

/** Raises a finding, unless an alert of the same cause is open: never twice for the same cause. */
export function decideRaiseAlert(state: AlertsState, finding: Finding): AlertEvent[] {
  const cause = causeKey(finding.check, finding.subject);
  if (state.open.has(cause)) return [];
  const alertId = `${cause}#${(state.raisedCount.get(cause) ?? 0) + 1}`;
  return [
    {
      type: 'AlertRaised',
      data: { alertId, check: finding.check, cause, subject: finding.subject, details: finding.details },
    },
  ];
}

/** Resolves the open alert of a cause; nothing when none is open (resolving is then already done). */
export function decideResolveAlert(state: AlertsState, cause: string, why: string): AlertEvent[] {
  const alertId = state.open.get(cause);
  return alertId === undefined ? [] : [{ type: 'AlertResolved', data: { alertId, cause, why } }];
}

/**
 * A run of the checks: raises each finding not open yet and resolves each open alert of a check
 * that ran and no longer finds its cause. Alerts of checks that did not run stay as they are, so a
 * check can be added, or left out of a run, without resolving what it raised. Running it again with
 * the same findings decides nothing.
 */
export function decideRunOfChecks(
  state: AlertsState,
  run: { readonly checks: readonly string[]; readonly findings: readonly Finding[] },
): AlertEvent[] {
  const found = new Set(run.findings.map((f) => causeKey(f.check, f.subject)));
  const ran = new Set(run.checks);
  const events: AlertEvent[] = [];
  let current = state;
  for (const finding of run.findings) {
    const raised = decideRaiseAlert(current, finding);
    current = raised.reduce(evolveAlerts, current);
    events.push(...raised);
  }
  for (const cause of state.open.keys()) {
    if (found.has(cause) || !ran.has(checkOf(cause))) continue;
    events.push(...decideResolveAlert(current, cause, 'no longer found by its check'));
  }
  return events;
}

const checkOf = (cause: string): string => cause.slice(0, cause.includes(':') ? cause.indexOf(':') : cause.length);
