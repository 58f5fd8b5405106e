import { Router } from 'express';
import type { Metadata } from '@grpc/grpc-js';
import { householdV1, type identificationV1 } from '@shouwang/contracts';
import { AppError, auditActorOf, type AuditTrail, type Identity, type PromiseClient } from '@shouwang/kit';
import { can, maskIdNumber, validateHousehold, type Role } from '@shouwang/domain';
import { authorize, currentUser, requireWriteScope } from '../auth/middleware';

/** Household JSON as the API returns it: ID numbers masked (first 6, last 4) unless the role may read them. */
export function householdResponse(h: householdV1.Household, role: Role): Record<string, unknown> {
  const json = householdV1.Household.toJSON(h) as { members?: { idNumber?: string }[] };
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

  router.get('/:id', authorize('households.read'), async (req, res) => {
    const user = currentUser(res.locals);
    if (!/^[\w-]{1,64}$/.test(String(req.params.id))) {
      throw new AppError('not_found', 'household not found', {
        code: 'household_not_found',
        messageZh: '未找到该农户',
      });
    }
    const { household } = await identification.getHousehold(
      { id: String(req.params.id) },
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
    res.json({ household: householdResponse(household!, user.role) });
  });

  return router;
}
