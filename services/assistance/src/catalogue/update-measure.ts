import type { assistanceV1 } from '@shouwang/contracts';
import { AppError, auditActorOf, requirePermission, type Identity } from '@shouwang/kit';
import { MEASURE_CODES, measureSchema, type Measure, type MeasureCode } from '@shouwang/domain';
import type { AssistanceDeps } from '../assistance-deps';
import { invalid, notFound, versionConflict, versionRequired } from '../errors';
import type { MeasureDoc } from './catalogue-store';
import { measureFromWire, WIRE_FIELD } from './measure-wire';

export async function listMeasures(deps: Pick<AssistanceDeps, 'measures'>, who: Identity): Promise<MeasureDoc[]> {
  requirePermission(who, 'assistance.read');
  return deps.measures.all();
}

const view = (m: MeasureDoc) => {
  const { _id: _ignored, updatedAt: _u, updatedBy: _b, ...rest } = m;
  return rest;
};

/**
 * The city administrator changes one measure of the catalogue (names, departments, causes, conditions,
 * kind, limit, due days, active), at the version they read. Plans made from now on use it; existing
 * plans keep what they took.
 */
export async function updateMeasure(
  deps: Pick<AssistanceDeps, 'measures' | 'audit'>,
  who: Identity,
  req: assistanceV1.UpdateMeasureRequest,
): Promise<MeasureDoc> {
  requirePermission(who, 'assistance.catalogue.manage');
  if (!req.measure) throw invalid('measure', 'required', 'measure is required', '请提供措施内容');
  if (!(MEASURE_CODES as readonly string[]).includes(req.measure.code))
    throw invalid('code', 'invalid_enum', `must be one of ${MEASURE_CODES.join(', ')}`, '措施编号不在允许范围内');
  const code = req.measure.code as MeasureCode;
  const parsed = measureSchema.safeParse(measureFromWire(req.measure));
  if (!parsed.success)
    throw AppError.invalid(
      parsed.error.issues.map((i) => ({
        field: WIRE_FIELD[i.path[0] as keyof Measure] ?? String(i.path[0] ?? 'measure'),
        code: i.code,
        message: i.message,
        messageZh: '措施内容不符合要求',
      })),
    );
  const before = await deps.measures.get(code);
  if (!before) throw notFound('measure');
  if (!req.expectedVersion) throw versionRequired();
  if (before.version !== req.expectedVersion) throw versionConflict(before.version);
  const after = await deps.measures.update(code, before.version, parsed.data as Measure, who.username);
  if (!after) throw versionConflict((await deps.measures.get(code))?.version ?? before.version);
  await deps.audit.append({
    aggregateType: 'measure',
    aggregateId: code,
    actor: auditActorOf(who),
    action: 'measure.updated',
    areaCode: '3607',
    before: view(before),
    after: view(after),
  });
  return after;
}
