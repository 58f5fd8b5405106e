import { changedTopLevelFields, householdChanges } from './household-diff';

describe('householdChanges', () => {
  it.each([
    ['a changed leaf', { income: { wage: 1 } }, { income: { wage: 2 } }, [['income.wage', '1', '2']]],
    ['a new field', {}, { address: 'x' }, [['address', '', '"x"']]],
    ['a removed field', { previousIncome: { year: 2019 } }, {}, [['previousIncome', '{"year":2019}', '']]],
    [
      'a member field',
      { members: [{ name: 'a' }, { name: 'b', health: 'healthy' }] },
      { members: [{ name: 'a' }, { name: 'b', health: 'chronic' }] },
      [['members[1].health', '"healthy"', '"chronic"']],
    ],
    [
      'an added member',
      { members: [{ name: 'a' }] },
      { members: [{ name: 'a' }, { name: 'b' }] },
      [['members[1]', '', '{"name":"b"}']],
    ],
    ['registry fields ignored', { version: 1, updatedAt: 'x', id: 'a' }, { version: 2, updatedAt: 'y', id: 'a' }, []],
    ['nothing changed', { address: 'x', members: [] }, { address: 'x', members: [] }, []],
  ])('%s', (_name, before, after, expected) => {
    expect(householdChanges(before, after).map((c) => [c.path, c.before, c.after])).toEqual(expected);
  });

  it('orders members numerically (members[2] before members[10])', () => {
    const before = { members: Array.from({ length: 11 }, () => ({ labour: 'none' })) };
    const after = { members: before.members.map((m, i) => (i === 2 || i === 10 ? { labour: 'lost' } : m)) };
    expect(householdChanges(before, after).map((c) => c.path)).toEqual(['members[2].labour', 'members[10].labour']);
  });

  it('names the top-level fields that changed', () => {
    const changes = householdChanges(
      { income: { wage: 1 }, members: [{ name: 'a' }], address: 'x' },
      { income: { wage: 2 }, members: [{ name: 'b' }], address: 'x' },
    );
    expect(changedTopLevelFields(changes)).toEqual(['income', 'members']);
  });
});
