import type { identificationV1 } from '@shouwang/contracts';
import { notOneOf, type FieldIssue, type Identity } from '@shouwang/kit';
import type { HouseholdDoc } from '../households/household-store';

export const DOCUMENT_KINDS = ['commitment', 'asset_check_authorisation', 'vote_minutes', 'other'] as const;
const MAX_DOCUMENTS = 20;
const MAX_REFERENCE = 100;

/** Papers recorded by reference: the kind and the archive reference; who and when are the server's. */
export function documentsFrom(
  wire: readonly identificationV1.CaseDocument[],
  who: Identity,
  at: string,
): { documents: identificationV1.CaseDocument[]; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  if (wire.length > MAX_DOCUMENTS)
    issues.push({
      field: 'documents',
      code: 'too_many',
      message: `at most ${MAX_DOCUMENTS} documents`,
      messageZh: `最多${MAX_DOCUMENTS}份材料`,
    });
  wire.slice(0, MAX_DOCUMENTS).forEach((d, i) => {
    if (!(DOCUMENT_KINDS as readonly string[]).includes(d.kind))
      issues.push(notOneOf(`documents[${i}].kind`, DOCUMENT_KINDS, '材料类型'));
    const ref = d.reference.trim();
    if (!ref || ref.length > MAX_REFERENCE)
      issues.push({
        field: `documents[${i}].reference`,
        code: ref ? 'too_long' : 'required',
        message: ref ? `at most ${MAX_REFERENCE} characters` : 'the archive reference is required',
        messageZh: ref ? `不超过${MAX_REFERENCE}个字符` : '请填写材料档案编号',
      });
  });
  return {
    documents: wire.map((d) => ({
      kind: d.kind,
      reference: d.reference.trim(),
      recordedBy: who.username,
      recordedAt: at,
    })),
    issues,
  };
}

/** What a case shows of its household: the head's name and the address as on the notice, and the persons. */
export function householdFacts(h: HouseholdDoc): {
  headName: string;
  address: string;
  persons: number;
  countyCode: string;
} {
  const head = h.members.find((m) => m.relation === 'head') ?? h.members[0];
  return {
    headName: head?.name ?? '',
    address: h.address,
    persons: h.members.length,
    countyCode: h.areaCode.slice(0, 6),
  };
}

/** Free text given with a step (reason, note, summary): trimmed, bounded. */
export const MAX_NOTE = 500;

export function noteIssue(field: string, value: string, requiredZh?: string): FieldIssue | undefined {
  const v = value.trim();
  if (!v && requiredZh !== undefined)
    return { field, code: 'required', message: `${field} is required`, messageZh: `请填写${requiredZh}` };
  if (v.length > MAX_NOTE)
    return { field, code: 'too_long', message: `at most ${MAX_NOTE} characters`, messageZh: `不超过${MAX_NOTE}个字符` };
  return undefined;
}
