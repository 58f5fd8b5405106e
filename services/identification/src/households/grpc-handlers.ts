import { identificationV1 } from '@shouwang/contracts';
import { AppError, identityFrom, type UnaryHandlers } from '@shouwang/kit';
import { getHousehold, registerHousehold, type RegistryDeps } from './register-household';

/** gRPC surface of the registry; every call carries the caller's identity signed by the gateway. */
export function identificationHandlers(
  deps: RegistryDeps,
  identitySecret: string,
): UnaryHandlers<identificationV1.IdentificationServiceServer> {
  return {
    registerHousehold: async (req, ctx) => {
      const who = await identityFrom(identitySecret, ctx.metadata);
      if (!req.household) {
        throw AppError.invalid([
          { field: 'household', code: 'required', message: 'household is required', messageZh: '缺少农户信息' },
        ]);
      }
      return { household: await registerHousehold(deps, who, req.household, req.idempotencyKey || undefined) };
    },
    getHousehold: async (req, ctx) => ({
      household: await getHousehold(deps, await identityFrom(identitySecret, ctx.metadata), req.id),
    }),
  };
}
