import type { identificationV1 } from '@shouwang/contracts';
import {
  AppError,
  keysetToken,
  pageRequest,
  requirePermission,
  type FieldIssue,
  type Identity,
  type PiiCipher,
  notOneOf,
} from '@shouwang/kit';
import { areaLevel, isValidIdNumber, isWithin, POVERTY_STATUSES } from '@shouwang/domain';
import type { HouseholdStore } from './household-store';
import type { IdNumberClaims } from './id-number-claims';
import { reveal } from './household-protection';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 200;
const MAX_QUERY = 50;

/** Households of an area and below, filtered, one keyset page at a time (stable under concurrent inserts). */
export async function listHouseholds(
  deps: { households: HouseholdStore; claims: IdNumberClaims; pii: PiiCipher },
  who: Identity,
  req: identificationV1.ListHouseholdsRequest,
): Promise<identificationV1.ListHouseholdsResponse> {
  requirePermission(who, 'households.read');
  const issues: FieldIssue[] = [];
  const areaCode = req.areaCode || who.areaCode;
  if (!areaLevel(areaCode)) {
    issues.push({
      field: 'areaCode',
      code: 'invalid_area',
      message: 'not an area code',
      messageZh: '不是有效的区划代码',
    });
  }
  const page = pageRequest(req, { defaultSize: DEFAULT_PAGE_SIZE, maxSize: MAX_PAGE_SIZE }, ({ key, id }) => ({
    areaCode: key,
    id,
  }));
  const { size, after } = page;
  if (req.povertyStatus && !(POVERTY_STATUSES as readonly string[]).includes(req.povertyStatus)) {
    issues.push(notOneOf('povertyStatus', POVERTY_STATUSES));
  }
  const query = req.query.trim();
  if (query.length > MAX_QUERY) {
    issues.push({
      field: 'q',
      code: 'too_long',
      message: `at most ${MAX_QUERY} characters`,
      messageZh: `不超过${MAX_QUERY}个字符`,
    });
  }
  issues.push(...page.issues);
  if (issues.length) throw AppError.invalid(issues);
  // Outside the caller's area there is nothing to list (and nothing to tell about).
  if (!isWithin(who.areaCode, areaCode)) return { households: [], nextPageToken: '', total: 0 };

  // An 18-character query that is a valid ID number is looked up by its blind index, exactly.
  const asId = query.toUpperCase();
  const byId = query.length === 18 && isValidIdNumber(asId);
  const holder = byId ? (await deps.claims.holders([deps.pii.blindIndex(asId)])).values().next().value : undefined;
  const { docs, total } = await deps.households.list(
    {
      areaPrefix: areaCode,
      povertyStatus: req.povertyStatus || undefined,
      id: byId ? (holder?._id ?? '') : undefined,
      nameOrAddress: !byId && query ? query : undefined,
    },
    { size, after },
  );
  const last = docs.at(-1);
  return {
    households: docs.map((d) => reveal(deps.pii, d)),
    nextPageToken: last && docs.length === size ? keysetToken(last.areaCode, last._id) : '',
    total,
  };
}
