/**
 * The village representative assembly's vote on an exit (DOMAIN.md §7, 村民委员会组织法 §26): valid
 * only if at least two thirds of the members are present (3 × present ≥ 2 × members), passed only if
 * the votes for are more than half of those present (2 × for > present).
 */
export interface VoteCount {
  members: number;
  present: number;
  votesFor: number;
  votesAgainst: number;
  abstentions: number;
}

export interface VoteProblem {
  field: keyof VoteCount;
  code: 'not_a_count' | 'members_required' | 'more_present_than_members' | 'more_votes_than_present';
  message: string;
  messageZh: string;
}

/** Problems with the counts themselves (before judging the vote). */
export function voteProblems(v: VoteCount): VoteProblem[] {
  const problems: VoteProblem[] = [];
  for (const field of ['members', 'present', 'votesFor', 'votesAgainst', 'abstentions'] as const) {
    const n = v[field];
    if (!Number.isInteger(n) || n < 0)
      problems.push({
        field,
        code: 'not_a_count',
        message: `${field} must be a whole number ≥ 0`,
        messageZh: '人数须为非负整数',
      });
  }
  if (problems.length) return problems;
  if (v.members < 1)
    problems.push({
      field: 'members',
      code: 'members_required',
      message: 'the assembly has at least one member',
      messageZh: '村民代表人数至少为1',
    });
  if (v.present > v.members)
    problems.push({
      field: 'present',
      code: 'more_present_than_members',
      message: 'more present than members',
      messageZh: '到会人数超过应到人数',
    });
  if (v.votesFor + v.votesAgainst + v.abstentions > v.present)
    problems.push({
      field: 'votesFor',
      code: 'more_votes_than_present',
      message: 'more votes (for + against + abstentions) than members present',
      messageZh: '赞成、反对、弃权票合计超过到会人数',
    });
  return problems;
}

export function judgeVote(v: VoteCount): { quorum: boolean; passed: boolean } {
  const quorum = 3 * v.present >= 2 * v.members;
  return { quorum, passed: quorum && 2 * v.votesFor > v.present };
}
