import { Router } from 'express';
import type { Metadata } from '@grpc/grpc-js';
import { householdJson, householdV1, type identificationV1 } from '@shouwang/contracts';
import { AppError, auditActorOf, type AuditTrail, type Identity, type PromiseClient } from '@shouwang/kit';
import { can, maskIdNumber, validateHousehold, type Role } from '@shouwang/domain';
import { authorize, currentUser, requireWriteScope } from '../auth/middleware';
import { pageJson, pageQuery, queryText } from './workflow-input';

/** Household JSON as the API returns it: ID numbers masked (first 6, last 4) unless the role may read them. */
export function householdResponse(h: householdV1.Household, role: Role): Record<string, unknown> {
  const json = householdJson(h) as { members?: { idNumber?: string }[] };
  if (!can(role, 'households.read_id_numbers')) {
    for (const m of json.members ?? []) if (m.idNumber) m.idNumber = maskIdNumber(m.idNumber);
  }
  return json;
}

export function householdsRouter(
  identification: PromiseClient<identificationV1.IdentificationServiceClient>,
  callAs: (who: Identity) => Promise<Metadata>,
  audit: AuditTrail,
): Router {
  const router = Router();

  /** 一户一表 registration. Validated here for a fast answer and again by the registry that owns the data. */
  router.post('/', authorize('households.write'), async (req, res) => {
    const user = currentUser(res.locals);
    const result = validateHousehold(req.body);
    if (!result.ok) throw AppError.invalid(result.issues);
    requireWriteScope(user, result.value.areaCode);
    const idempotencyKey = req.get('idempotency-key') ?? '';
    if (idempotencyKey.length > 200) {
      throw AppError.invalid([
        { field: 'Idempotency-Key', code: 'too_long', message: 'at most 200 characters', messageZh: '不超过200个字符' },
      ]);
    }
    const { household } = await identification.registerHousehold(
      { household: householdV1.Household.fromJSON(result.value), idempotencyKey },
      { metadata: await callAs(user) },
    );
    res
      .status(201)
      .location(`/api/v1/households/${household!.id}`)
      .json({ household: householdResponse(household!, user.role) });
  });

  /** 一户一表 list of an area: filters, keyset pages, the total. */
  router.get('/', authorize('households.read'), async (req, res) => {
    const user = currentUser(res.locals);
    const page = await identification.listHouseholds(
      {
        areaCode: queryText(req.query, 'areaCode'),
        query: queryText(req.query, 'q'),
        povertyStatus: queryText(req.query, 'povertyStatus'),
        ...pageQuery(req.query),
      },
      { metadata: await callAs(user) },
    );
    res.json(
      pageJson(
        'households',
        page.households.map((h) => householdResponse(h, user.role)),
        page,
      ),
    );
  });

  /**
   * An edit: the whole household as it should be, over the version read (If-Match: "<version>" as the
   * ETag of GET gave it, or `version` in the body). 412 when someone changed it meanwhile.
   */
  router.put('/:id', authorize('households.write'), async (req, res) => {
    const user = currentUser(res.locals);
    const id = householdIdOf(req.params.id);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const { version, createdAt, updatedAt, id: bodyId, ...fields } = body;
    void createdAt;
    void updatedAt;
    if (bodyId !== undefined && bodyId !== id) {
      throw AppError.invalid([
        {
          field: 'id',
          code: 'id_mismatch',
          message: 'differs from the id in the path',
          messageZh: '与路径中的户编号不一致',
        },
      ]);
    }
    const expectedVersion = versionOf(req.get('if-match'), version);
    const result = validateHousehold(fields);
    if (!result.ok) throw AppError.invalid(result.issues);
    requireWriteScope(user, result.value.areaCode);
    const { household, changed } = await identification.updateHousehold(
      { household: householdV1.Household.fromJSON({ ...result.value, id }), expectedVersion },
      { metadata: await callAs(user) },
    );
    res.set('ETag', `"${household!.version}"`).json({ household: householdResponse(household!, user.role), changed });
  });

  router.get('/:id/history', authorize('households.read'), async (req, res) => {
    const user = currentUser(res.locals);
    const { changes } = await identification.getHouseholdHistory(
      { id: householdIdOf(req.params.id) },
      { metadata: await callAs(user) },
    );
    res.json({ changes });
  });

  router.get('/:id', authorize('households.read'), async (req, res) => {
    const user = currentUser(res.locals);
    const { household } = await identification.getHousehold(
      { id: householdIdOf(req.params.id) },
      { metadata: await callAs(user) },
    );
    const withIds = household!.members.filter((m) => m.idNumber).length;
    if (withIds && can(user.role, 'households.read_id_numbers')) {
      // Reading ID numbers in clear is itself on the record (who, when, whose).
      await audit.append({
        aggregateType: 'household',
        aggregateId: household!.id,
        actor: auditActorOf(user),
        action: 'household.id_numbers_read',
        areaCode: household!.areaCode,
        after: { revealed: withIds },
      });
    }
    res.set('ETag', `"${household!.version}"`).json({ household: householdResponse(household!, user.role) });
  });

  return router;
}

function householdIdOf(raw: unknown): string {
  const id = String(raw);
  if (!/^[\w-]{1,64}$/.test(id)) {
    throw new AppError('not_found', 'household not found', { code: 'household_not_found', messageZh: '未找到该农户' });
  }
  return id;
}

/** The version the caller read: If-Match ("3", W/"3" or 3) or, failing that, the body's version. */
export function versionOf(
  ifMatch: string | undefined,
  bodyVersion: unknown,
  what: { en: string; zh: string } = { en: 'household', zh: '农户' },
): number {
  if (ifMatch !== undefined) {
    const m = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(ifMatch);
    if (!m) {
      throw AppError.invalid([
        {
          field: 'If-Match',
          code: 'invalid_version',
          message: `must be the ETag of the ${what.en}, e.g. "3"`,
          messageZh: `须为${what.zh}的ETag，例如"3"`,
        },
      ]);
    }
    return Number(m[1]);
  }
  if (bodyVersion === undefined) {
    throw new AppError('precondition_required', 'send the version you read in If-Match (or as version in the body)', {
      code: 'precondition_required',
      field: 'If-Match',
      messageZh: '请在If-Match（或请求体的version）中提供所修改的版本号',
    });
  }
  if (!Number.isInteger(bodyVersion) || (bodyVersion as number) < 1) {
    throw AppError.invalid([
      { field: 'version', code: 'invalid_version', message: 'must be a positive integer', messageZh: '须为正整数' },
    ]);
  }
  return bodyVersion as number;
}
