import type { monitoringV1 } from '@shouwang/contracts';
import {
  AppError,
  auditActorOf,
  identityFrom,
  requireInScope,
  requirePermission,
  type AuditTrail,
  type Identity,
  type UnaryHandlers,
} from '@shouwang/kit';
import { areaLevel, isWithin } from '@shouwang/domain';
import type { Feeds } from './feeds/feeds';
import type { HouseholdProjection, StoredAssessment } from './households/household-projection';
import type { PolicyStore } from './policy/policy-store';
import { jobToWire, type RescreeningJobs, type RescreeningRunner } from './rescreening/rescreening-jobs';
import { WARNING_CAUSES, WARNING_STATUSES } from './warnings/reconcile';
import { warningToWire, type WarningDoc, type WarningStore } from './warnings/warning-store';

export interface MonitoringDeps {
  households: HouseholdProjection;
  warnings: WarningStore;
  policies: PolicyStore;
  jobs: RescreeningJobs;
  runner: RescreeningRunner;
  feeds: Feeds;
  audit: AuditTrail;
  /** Called after a write that added events. */
  onEventsWritten: () => void;
}

const CITY = '3607';
const MAX_REASON = 500;

const invalid = (field: string, code: string, message: string, messageZh: string) =>
  AppError.invalid([{ field, code, message, messageZh }]);

function assessmentToWire(id: string, a: StoredAssessment): monitoringV1.Assessment {
  const base = {
    householdId: id,
    assessedAt: a.assessedAt.toISOString(),
    policyVersion: a.policyVersion,
    householdVersion: a.householdVersion,
    appliedFacts: a.appliedFacts.map((f) => ({ ...f })),
  };
  const r = a.result;
  if (!r)
    return {
      ...emptyAssessment(),
      ...base,
      errorCode: a.error?.code ?? 'not_assessable',
      errorField: a.error?.field ?? '',
      errorMessage: a.error?.message ?? '',
      errorMessageZh: a.error?.messageZh ?? '',
    };
  const items = [...r.explanation.features, ...r.explanation.warnings];
  return {
    ...emptyAssessment(),
    ...base,
    year: r.year,
    asOf: r.asOf,
    monitoringLine: r.monitoringLine,
    tolerance: r.tolerance,
    perCapitaIncome: r.perCapitaIncome,
    incomeBelowLine: r.incomeBelowLine,
    features: r.features,
    monitoringObject: r.monitoringObject,
    category: r.category ?? '',
    warnings: r.warnings,
    explanationZh: [r.explanation.zh, ...items.map((i) => `${i.code} ${i.zh}`)],
    explanationEn: [r.explanation.en, ...items.map((i) => `${i.code}: ${i.en}`)],
    items: items.map((i) => ({ code: i.code, zh: i.zh, en: i.en, inputsJson: JSON.stringify(i.inputs) })),
  };
}

function emptyAssessment(): monitoringV1.Assessment {
  return {
    householdId: '',
    year: 0,
    asOf: '',
    monitoringLine: 0,
    tolerance: 0,
    perCapitaIncome: 0,
    incomeBelowLine: false,
    features: [],
    monitoringObject: false,
    category: '',
    warnings: [],
    explanationZh: [],
    explanationEn: [],
    items: [],
    assessedAt: '',
    policyVersion: 0,
    householdVersion: 0,
    appliedFacts: [],
    errorCode: '',
    errorField: '',
    errorMessage: '',
    errorMessageZh: '',
  };
}

/** The gRPC MonitoringService: every call checks who is calling, what they may do and where. */
export function monitoringHandlers(
  deps: MonitoringDeps,
  identitySecret: string,
): UnaryHandlers<monitoringV1.MonitoringServiceServer> {
  const who = (ctx: { metadata: import('@grpc/grpc-js').Metadata }) => identityFrom(identitySecret, ctx.metadata);

  /** An officer's lifecycle step on a warning in their area, with its audit entry. */
  const transition = async (
    caller: Identity,
    id: string,
    to: 'acknowledged' | 'dismissed' | 'converted',
    extra: { dismissReason?: string; applicationId?: string },
  ): Promise<{ warning: monitoringV1.Warning }> => {
    requirePermission(caller, 'warnings.manage');
    if (!/^[\w-]{1,64}$/.test(id))
      throw new AppError('not_found', 'warning not found', { code: 'warning_not_found', messageZh: '未找到该预警' });
    const { before, after } = await deps.warnings.transition(id, to, caller.username, extra, (w) =>
      requireInScope(caller, w.areaCode, 'warning'),
    );
    deps.onEventsWritten();
    const view = (w: WarningDoc) => ({
      status: w.status,
      cause: w.cause,
      householdId: w.householdId,
      dismissReason: w.dismissReason ?? null,
      applicationId: w.applicationId ?? null,
      version: w.version,
    });
    await deps.audit.append({
      aggregateType: 'warning',
      aggregateId: id,
      actor: auditActorOf(caller),
      action: `warning.${to}`,
      areaCode: after.areaCode,
      before: view(before),
      after: view(after),
    });
    return { warning: warningToWire(after) };
  };

  return {
    getAssessment: async (req, ctx) => {
      const caller = await who(ctx);
      requirePermission(caller, 'warnings.read');
      const missing = () =>
        new AppError('not_found', 'no assessment of this household yet', {
          code: 'assessment_not_found',
          messageZh: '该农户尚无评估结果',
        });
      if (!/^[\w-]{1,64}$/.test(req.householdId)) throw missing();
      const doc = await deps.households.get(req.householdId);
      if (!doc) throw missing();
      requireInScope(caller, doc.areaCode, 'household');
      const assessment = await deps.households.assessmentOf(doc._id);
      if (!assessment) throw missing();
      return { assessment: assessmentToWire(doc._id, assessment) };
    },

    listWarnings: async (req, ctx) => {
      const caller = await who(ctx);
      requirePermission(caller, 'warnings.read');
      const areaCode = req.areaCode || caller.areaCode;
      if (areaLevel(areaCode) === null)
        throw invalid(
          'areaCode',
          'invalid_area_code',
          'must be a 4, 6, 9 or 12-digit area code',
          '区划代码应为4、6、9或12位数字',
        );
      if (req.cause && !(WARNING_CAUSES as readonly string[]).includes(req.cause))
        throw invalid('cause', 'invalid_enum', `must be one of ${WARNING_CAUSES.join(', ')}`, '预警原因不在允许范围内');
      if (req.status && !(WARNING_STATUSES as readonly string[]).includes(req.status))
        throw invalid('status', 'invalid_enum', `must be one of ${WARNING_STATUSES.join(', ')}`, '状态不在允许范围内');
      const pageSize = req.pageSize || 20;
      if (pageSize < 1 || pageSize > 200)
        throw invalid('pageSize', 'out_of_range', 'must be from 1 to 200', '每页条数应为1至200');
      if (!isWithin(caller.areaCode, areaCode)) return { warnings: [], nextPageToken: '', total: 0 };
      const page = await deps.warnings.list(
        {
          areaCode,
          cause: req.cause || undefined,
          source: req.source || undefined,
          status: req.status || undefined,
          householdId: req.householdId || undefined,
        },
        pageSize,
        req.pageToken,
      );
      return { warnings: page.warnings.map(warningToWire), nextPageToken: page.nextPageToken, total: page.total };
    },

    acknowledgeWarning: async (req, ctx) => transition(await who(ctx), req.id, 'acknowledged', {}),

    dismissWarning: async (req, ctx) => {
      const caller = await who(ctx);
      const reason = req.reason.trim();
      if (!reason)
        throw invalid('reason', 'required', 'a reason is required to dismiss a warning', '撤销预警须填写理由');
      if (reason.length > MAX_REASON)
        throw invalid('reason', 'too_long', `must be at most ${MAX_REASON} characters`, `不超过${MAX_REASON}个字符`);
      return transition(caller, req.id, 'dismissed', { dismissReason: reason });
    },

    convertWarning: async (req, ctx) => {
      const caller = await who(ctx);
      if (req.applicationId && !/^[\w-]{1,64}$/.test(req.applicationId))
        throw invalid('applicationId', 'invalid_id', 'must be 1–64 letters, digits, _ or -', '申请编号格式不正确');
      return transition(caller, req.id, 'converted', req.applicationId ? { applicationId: req.applicationId } : {});
    },

    publishFeedRecords: async (req, ctx) => ({
      accepted: await deps.feeds.publish(await who(ctx), req.department, req.recordsJson),
    }),

    getPolicy: async (_req, ctx) => {
      requirePermission(await who(ctx), 'warnings.read');
      const p = await deps.policies.current();
      return {
        policyJson: JSON.stringify(p.policy),
        version: p._id,
        updatedAt: p.createdAt.toISOString(),
        updatedBy: p.createdBy,
      };
    },

    updatePolicy: async (req, ctx) => {
      const caller = await who(ctx);
      requirePermission(caller, 'policy.manage');
      let policy: unknown;
      try {
        policy = JSON.parse(req.policyJson);
      } catch {
        throw invalid('policy', 'malformed_json', 'is not JSON', '不是合法的JSON');
      }
      const before = await deps.policies.current();
      const next = await deps.policies.update(policy, req.expectedVersion, caller.username);
      await deps.audit.append({
        aggregateType: 'policy',
        aggregateId: 'assessment-policy',
        actor: auditActorOf(caller),
        action: 'policy.updated',
        areaCode: CITY,
        before: { version: before._id, policy: before.policy },
        after: { version: next._id, policy: next.policy },
      });
      // A new policy changes every household's assessment: re-screen the whole city under it.
      const { job } = await deps.jobs.start({
        areaCode: CITY,
        year: 0,
        trigger: 'policy',
        startedBy: caller.username,
        policyVersion: next._id,
      });
      deps.runner.wake();
      return {
        policyJson: JSON.stringify(next.policy),
        version: next._id,
        updatedAt: next.createdAt.toISOString(),
        updatedBy: next.createdBy,
        rescreeningJob: jobToWire(job),
      };
    },

    startRescreening: async (req, ctx) => {
      const caller = await who(ctx);
      requirePermission(caller, 'rescreening.run');
      const level = areaLevel(req.areaCode);
      if (level !== 'city' && level !== 'county')
        throw invalid(
          'areaCode',
          'not_a_city_or_county',
          'must be the 4-digit city or a 6-digit county code',
          '须为市（4位）或县（6位）区划代码',
        );
      if (req.year !== 0 && (req.year < 2000 || req.year > 2100))
        throw invalid('year', 'out_of_range', 'must be a year from 2000 to 2100', '年份应在2000至2100之间');
      requireInScope(caller, req.areaCode, 'area');
      const policy = await deps.policies.current();
      const { job, created } = await deps.jobs.start({
        areaCode: req.areaCode,
        year: req.year,
        trigger: 'manual',
        startedBy: caller.username,
        policyVersion: policy._id,
      });
      if (created)
        await deps.audit.append({
          aggregateType: 'rescreening_job',
          aggregateId: job._id,
          actor: auditActorOf(caller),
          action: 'rescreening.started',
          areaCode: req.areaCode,
          after: { areaCode: req.areaCode, year: req.year, total: job.total },
        });
      deps.runner.wake();
      return { job: jobToWire(job), created };
    },

    getRescreeningJob: async (req, ctx) => {
      const caller = await who(ctx);
      requirePermission(caller, 'rescreening.run');
      const missing = () =>
        new AppError('not_found', 're-screening job not found', {
          code: 'job_not_found',
          messageZh: '未找到该复核任务',
        });
      if (!/^[\w-]{1,64}$/.test(req.id)) throw missing();
      const job = await deps.jobs.get(req.id);
      if (!job || !isWithin(caller.areaCode, job.areaCode)) throw missing();
      return { job: jobToWire(job) };
    },
  };
}
