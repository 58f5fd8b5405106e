import fc from 'fast-check';
import { judgeVote, voteProblems, type VoteCount } from './vote';

const vote = (members: number, present: number, votesFor: number, votesAgainst = 0, abstentions = 0): VoteCount => ({
  members,
  present,
  votesFor,
  votesAgainst,
  abstentions,
});

describe('judgeVote: quorum is two thirds of the members, inclusive', () => {
  it.each([
    [9, 6, true], // 18 ≥ 18
    [9, 5, false], // 15 < 18
    [10, 7, true], // 21 ≥ 20
    [10, 6, false], // 18 < 20
    [3, 2, true],
    [3, 1, false],
    [1, 1, true],
    [1, 0, false],
    [30, 20, true],
    [30, 19, false],
  ])('members %i, present %i → quorum %s', (members, present, quorum) => {
    expect(judgeVote(vote(members, present, present)).quorum).toBe(quorum);
  });
});

describe('judgeVote: passes only with more than half of those present', () => {
  it.each([
    [9, 6, 3, false], // 3 is not more than half of 6
    [9, 6, 4, true],
    [10, 7, 3, false],
    [10, 7, 4, true], // 4 > 3.5
    [9, 9, 5, true],
    [9, 9, 4, false],
    [10, 6, 6, false], // no quorum: unanimous but invalid
    [9, 5, 5, false],
  ])('members %i, present %i, for %i → passed %s', (members, present, votesFor, passed) => {
    expect(judgeVote(vote(members, present, votesFor, present - votesFor)).passed).toBe(passed);
  });

  it('abstentions count as present, not as votes for', () => {
    expect(judgeVote(vote(9, 8, 4, 0, 4))).toEqual({ quorum: true, passed: false });
    expect(judgeVote(vote(9, 8, 5, 0, 3))).toEqual({ quorum: true, passed: true });
  });
});

describe('voteProblems', () => {
  it('accepts a consistent count, also one where not everyone present voted', () => {
    expect(voteProblems(vote(9, 6, 4, 1, 1))).toEqual([]);
    expect(voteProblems(vote(9, 6, 4, 0, 0))).toEqual([]);
  });

  it.each([
    ['members', vote(-1, 0, 0), 'not_a_count'],
    ['present', vote(9, 6.5, 4), 'not_a_count'],
    ['votesFor', vote(9, 6, NaN), 'not_a_count'],
    ['votesAgainst', vote(9, 6, 4, -2), 'not_a_count'],
    ['abstentions', vote(9, 6, 4, 0, 0.5), 'not_a_count'],
    ['members', vote(0, 0, 0), 'members_required'],
    ['present', vote(9, 10, 4), 'more_present_than_members'],
    ['votesFor', vote(9, 6, 4, 2, 1), 'more_votes_than_present'],
  ] as const)('names %s (%j) as %s', (field, v, code) => {
    const problems = voteProblems(v);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ field, code });
    expect(problems[0]!.messageZh).toBeTruthy();
  });

  it('reports every problem at once', () => {
    expect(voteProblems(vote(5, 7, 6, 2)).map((p) => p.code)).toEqual([
      'more_present_than_members',
      'more_votes_than_present',
    ]);
  });
});

describe('judgeVote properties', () => {
  const arbVote = fc
    .integer({ min: 1, max: 200 })
    .chain((members) => fc.tuple(fc.constant(members), fc.integer({ min: 0, max: members })))
    .chain(([members, present]) =>
      fc
        .tuple(fc.constant(members), fc.constant(present), fc.integer({ min: 0, max: present }))
        .chain(([m, p, f]) =>
          fc.integer({ min: 0, max: p - f }).map((against) => vote(m, p, f, against, p - f - against)),
        ),
    );

  it('generated counts are consistent', () => {
    fc.assert(fc.property(arbVote, (v) => expect(voteProblems(v)).toEqual([])));
  });

  it('passed ⇒ quorum, and passed ⇒ more than half of those present voted for', () => {
    fc.assert(
      fc.property(arbVote, (v) => {
        const { quorum, passed } = judgeVote(v);
        if (passed) {
          expect(quorum).toBe(true);
          expect(2 * v.votesFor).toBeGreaterThan(v.present);
        }
      }),
    );
  });

  it('quorum ⇔ 3 × present ≥ 2 × members, decided on integers', () => {
    fc.assert(fc.property(arbVote, (v) => expect(judgeVote(v).quorum).toBe(v.present * 3 >= v.members * 2)));
  });

  it('turning a vote against into a vote for never makes a passed vote fail', () => {
    fc.assert(
      fc.property(arbVote, (v) => {
        fc.pre(v.votesAgainst > 0);
        const more = { ...v, votesFor: v.votesFor + 1, votesAgainst: v.votesAgainst - 1 };
        if (judgeVote(v).passed) expect(judgeVote(more).passed).toBe(true);
      }),
    );
  });
});
