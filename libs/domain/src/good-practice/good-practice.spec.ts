import { deciderSpec, invalid } from '@ihl/testing';
import type { ActivityActor } from '../activity/activity.state';
import { DomainForbiddenError } from '../shared/validation';
import { goodPracticeRow, percent, type GoodPracticeInputs } from './good-practice';
import { decidePlannedPlaces, evolvePlannedPlaces, type SetPlannedPlaces } from './planned-places.decider';

const admin: ActivityActor = { role: 'admin' };
const set = (places: number, partnerId = 'visaginas-spc'): SetPlannedPlaces => ({
  type: 'SetPlannedPlaces',
  projectCode: 'IHL-2023',
  partnerId,
  places,
});

const { given } = deciderSpec({
  decide: (state, command: SetPlannedPlaces, actor: ActivityActor = admin) =>
    decidePlannedPlaces(state, command, actor, ['visaginas-spc']),
  evolve: evolvePlannedPlaces,
  initialState: new Map<string, number>(),
});

describe('planned places', () => {
  it('given none, when the admin sets 40, then PlannedPlacesSet; the same again changes nothing; another number is set', () => {
    const set40 = {
      type: 'PlannedPlacesSet' as const,
      data: { projectCode: 'IHL-2023', partnerId: 'visaginas-spc', places: 40 },
    };
    given([]).when(set(40)).then([set40]);
    given([set40]).when(set(40)).then([]);
    given([set40])
      .when(set(45))
      .then([{ type: 'PlannedPlacesSet', data: { ...set40.data, places: 45 } }]);
  });

  it('refuses an unknown partner, a negative or fractional count, and anyone but the admin', () => {
    given([]).when(set(40, 'nowhere')).thenThrows(invalid('partnerId', 'registered-partner'));
    given([]).when(set(-1)).thenThrows(invalid('places', 'count'));
    given([]).when(set(2.5)).thenThrows(invalid('places', 'count'));
    given([]).when(set(40), { role: 'agency-auditor' }).thenThrows(DomainForbiddenError);
  });
});

describe('a good-practice row', () => {
  const inputs: GoodPracticeInputs = {
    partnerId: 'visaginas-spc',
    today: '2024-06-15',
    expiringWithinDays: 60,
    plannedPlaces: 8,
    personsServed: 6,
    personsByTargetGroup: { elderly: 4, 'disabled-adult': 2 },
    services: [
      { setting: 'home', count: 9 },
      { setting: 'pre-school', count: 3 },
    ],
    surveys: [
      { respondentGroup: 'service-users', answered: 22, satisfied: 16 },
      { respondentGroup: 'staff', answered: 10, satisfied: 2 },
    ],
    findings: { open: 2, overdue: 1 },
    certificates: [
      { validFrom: '2022-03-24', validTo: '2024-03-23', withdrawnOn: null },
      { validFrom: '2024-01-10', validTo: '2024-07-31', withdrawnOn: null },
    ],
  };

  it('works out each indicator: 6 of 8 places, 4 of 6 elderly, 9 of 12 at home, 16 of 22 satisfied, the best certificate', () => {
    expect(goodPracticeRow(inputs)).toEqual({
      partnerId: 'visaginas-spc',
      plannedPlaces: 8,
      personsServed: 6,
      capacityUsePercent: 75,
      targetGroups: [
        { targetGroup: 'disabled-child', persons: 0, percent: 0 },
        { targetGroup: 'disabled-adult', persons: 2, percent: 33.3 },
        { targetGroup: 'elderly', persons: 4, percent: 66.7 },
      ],
      homeServices: 9,
      allServices: 12,
      homeSharePercent: 75,
      satisfactionPercent: 72.7,
      satisfactionAnswers: 22,
      openFindings: 2,
      overdueFindings: 1,
      certificate: 'expiring',
    });
  });

  it('without places, services, surveys or certificates the shares are null and the certificate none', () => {
    const row = goodPracticeRow({ ...inputs, plannedPlaces: null, services: [], surveys: [], certificates: [] });
    expect(row).toMatchObject({
      capacityUsePercent: null,
      homeSharePercent: null,
      satisfactionPercent: null,
      certificate: 'none',
    });
    expect(percent(1, 3)).toBe(33.3);
    expect(percent(2, 3)).toBe(66.7);
  });
});
