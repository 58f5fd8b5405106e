import { identificationV1 } from '@shouwang/contracts';
import { AppError, type UnaryHandlers } from '@shouwang/kit';
import { getHousehold, registerHousehold, type RegistryDeps } from './register-household';

export function identificationHandlers(
  deps: RegistryDeps,
): UnaryHandlers<identificationV1.IdentificationServiceServer> {
  return {
    registerHousehold: async (req) => {
      if (!req.household)
        throw AppError.invalid([
          { field: 'household', code: 'required', message: 'household is required', messageZh: '缺少农户信息' },
        ]);
      return { household: await registerHousehold(deps, req.household, req.idempotencyKey || undefined) };
    },
    getHousehold: async (req) => ({ household: await getHousehold(deps, req.id) }),
  };
}
