import { identificationV1 } from '@shouwang/contracts';
import { AppError, identityFrom, type UnaryHandlers } from '@shouwang/kit';
import { getHousehold, registerHousehold, type RegistryDeps } from './register-household';
import { updateHousehold } from './update-household';
import { listHouseholds } from './list-households';
import { householdHistory } from './household-history';
import { importHouseholds } from './import-households';

const householdRequired = () =>
  AppError.invalid([
    { field: 'household', code: 'required', message: 'household is required', messageZh: '缺少农户信息' },
  ]);

/** gRPC surface of the registry; every call carries the caller's identity signed by the gateway. */
export function identificationHandlers(
  deps: RegistryDeps,
  identitySecret: string,
): UnaryHandlers<identificationV1.IdentificationServiceServer> {
  const caller = (ctx: { metadata: Parameters<typeof identityFrom>[1] }) => identityFrom(identitySecret, ctx.metadata);
  return {
    registerHousehold: async (req, ctx) => {
      const who = await caller(ctx);
      if (!req.household) throw householdRequired();
      return { household: await registerHousehold(deps, who, req.household, req.idempotencyKey || undefined) };
    },
    getHousehold: async (req, ctx) => ({ household: await getHousehold(deps, await caller(ctx), req.id) }),
    updateHousehold: async (req, ctx) => {
      const who = await caller(ctx);
      if (!req.household) throw householdRequired();
      return updateHousehold(deps, who, req.household, req.expectedVersion);
    },
    listHouseholds: async (req, ctx) => listHouseholds(deps, await caller(ctx), req),
    getHouseholdHistory: async (req, ctx) => householdHistory(deps, await caller(ctx), req.id),
    importHouseholds: async (req, ctx) => ({
      outcomes: await importHouseholds(deps, await caller(ctx), req.rows, req.dryRun),
    }),
  };
}
