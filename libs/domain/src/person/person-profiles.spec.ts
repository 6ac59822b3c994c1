import { profileSender, profilesAfter } from './person-profiles';
import type { PersonProfile } from './person.events';

describe('profiles kept per partner', () => {
  it('the sender is the event’s partnerId; an older event’s is its recording actor’s partner', () => {
    const actor = () => ({ subject: 'u', role: 'partner-submitter', partnerId: 'b' });
    expect(profileSender({ partnerId: 'a' }, actor)).toEqual({ partnerId: 'a', mergedAcrossPartners: false });
    expect(profileSender({}, actor)).toEqual({ partnerId: 'b', mergedAcrossPartners: true });
    expect(profileSender({}, () => undefined)).toEqual({ partnerId: '', mergedAcrossPartners: true });
    expect(profileSender({}, () => ({ partnerId: 7 }))).toEqual({ partnerId: '', mergedAcrossPartners: true });
  });

  it("a partner's event is its own profile; project-wide, what was sent last wins", () => {
    const before: { merged: PersonProfile; own: PersonProfile } = {
      merged: { sex: 'male', disability: true },
      own: { sex: 'female' },
    };
    expect(profilesAfter(before, { sex: 'female', birthYear: 1961 }, { mergedAcrossPartners: false })).toEqual({
      merged: { sex: 'female', disability: true, birthYear: 1961 },
      own: { sex: 'female', birthYear: 1961 },
    });
  });

  it('an older event credits its sender only with what it changed, over what it sent before', () => {
    // B had sent sex and disability; A's older event holds them and the birth year A sent.
    const before: { merged: PersonProfile; own: PersonProfile } = {
      merged: { sex: 'male', disability: true },
      own: { disability: false },
    };
    const recorded: PersonProfile = { sex: 'male', disability: true, birthYear: 1961 };
    expect(profilesAfter(before, recorded, { mergedAcrossPartners: true })).toEqual({
      merged: recorded,
      own: { disability: false, birthYear: 1961 },
    });
    // The first event of all: everything in it is the sender's.
    expect(profilesAfter({ merged: null, own: null }, recorded, { mergedAcrossPartners: true })).toEqual({
      merged: recorded,
      own: recorded,
    });
  });
});
