import { Router } from 'express';
import { householdV1, type identificationV1 } from '@shouwang/contracts';
import { AppError, type PromiseClient } from '@shouwang/kit';
import { maskIdNumber, validateHousehold } from '@shouwang/domain';

/** Household JSON as the API returns it: ID numbers masked (first 6 and last 4). */
export function householdResponse(h: householdV1.Household): Record<string, unknown> {
  const json = householdV1.Household.toJSON(h) as { members?: { idNumber?: string }[] };
  for (const m of json.members ?? []) if (m.idNumber) m.idNumber = maskIdNumber(m.idNumber);
  return json;
}

export function householdsRouter(identification: PromiseClient<identificationV1.IdentificationServiceClient>): Router {
  const router = Router();

  /** 一户一表 registration. Validated here for a fast answer and again by the registry that owns the data. */
  router.post('/', async (req, res) => {
    const result = validateHousehold(req.body);
    if (!result.ok) throw AppError.invalid(result.issues);
    const idempotencyKey = req.get('idempotency-key') ?? '';
    if (idempotencyKey.length > 200) {
      throw AppError.invalid([
        { field: 'Idempotency-Key', code: 'too_long', message: 'at most 200 characters', messageZh: '不超过200个字符' },
      ]);
    }
    const { household } = await identification.registerHousehold({
      household: householdV1.Household.fromJSON(result.value),
      idempotencyKey,
    });
    res
      .status(201)
      .location(`/api/v1/households/${household!.id}`)
      .json({ household: householdResponse(household!) });
  });

  router.get('/:id', async (req, res) => {
    if (!/^[\w-]{1,64}$/.test(req.params.id)) {
      throw new AppError('not_found', 'household not found', {
        code: 'household_not_found',
        messageZh: '未找到该农户',
      });
    }
    const { household } = await identification.getHousehold({ id: req.params.id });
    res.json({ household: householdResponse(household!) });
  });

  return router;
}
