import { Router, type Response } from 'express';
import type { Metadata } from '@grpc/grpc-js';
import { z } from 'zod';
import type { assistanceV1 } from '@shouwang/contracts';
import { AppError, type Identity, type PromiseClient } from '@shouwang/kit';
import { MEASURE_CODES, measureSchema } from '@shouwang/domain';
import { authorize, currentUser } from '../auth/middleware';
import { parseBody } from '../http/validate';
import { versionOf } from './households';
import { invalid, notFound } from './workflow-input';

export type Assistance = PromiseClient<assistanceV1.AssistanceServiceClient>;

/** A measure as the API returns it: every field present, null where the catalogue sets no limit or due days. */
export function measureJson(m: assistanceV1.Measure): Record<string, unknown> {
  return { ...m, amountLimitYuan: m.amountLimitYuan ?? null, dueDays: m.dueDays ?? null };
}

function sendMeasure(res: Response, m: assistanceV1.Measure | undefined): void {
  res.set('ETag', `"${m!.version}"`).json({ measure: measureJson(m!) });
}

/**
 * The measure as the administrator wants it, in the API's names. The fields the service keeps (code,
 * version, updatedAt, updatedBy) may come back as read from GET; code must then be the path's.
 */
const wireMeasure = z.strictObject({
  code: z.string().optional(),
  nameZh: z.string(),
  nameEn: z.string(),
  departments: z.array(z.string()),
  causes: z.array(z.string()).default([]),
  answersAll: z.boolean().default(false),
  conditions: z.array(z.string()).default([]),
  kind: z.string(),
  amountLimitYuan: z.number().nullable().default(null),
  dueDays: z.number().nullable().default(null),
  active: z.boolean(),
  version: z.unknown().optional(),
  updatedAt: z.unknown().optional(),
  updatedBy: z.unknown().optional(),
});
const updateBody = z.strictObject({ measure: wireMeasure, version: z.unknown().optional() });

/** The catalogue's names for the API's, so an issue of measureSchema names the field the caller sent. */
const API_FIELD: Record<string, string> = { zh: 'nameZh', en: 'nameEn' };

const MEASURE = { en: 'measure', zh: '帮扶措施' };
const measureNotFound = () => notFound('measure', 'measure_not_found', '未找到该帮扶措施');

/**
 * The measure catalogue (帮扶措施, DOMAIN.md §8): M1–M10 as data. Everyone who works on assistance reads
 * it; the city administrator changes a measure over the version read (new plans use it, existing plans
 * keep what they took).
 */
export function measuresRouter(assistance: Assistance, callAs: (who: Identity) => Promise<Metadata>): Router {
  const router = Router();

  router.get('/measures', authorize('assistance.read'), async (_req, res) => {
    const user = currentUser(res.locals);
    const r = await assistance.listMeasures({}, { metadata: await callAs(user) });
    res.json({ measures: r.measures.map(measureJson) });
  });

  router.put('/measures/:code', authorize('assistance.catalogue.manage'), async (req, res) => {
    const user = currentUser(res.locals);
    const code = String(req.params.code);
    if (!(MEASURE_CODES as readonly string[]).includes(code)) throw measureNotFound();
    const body = parseBody(updateBody, req.body);
    const m = body.measure;
    if (m.code !== undefined && m.code !== code)
      throw invalid('measure.code', 'code_mismatch', 'differs from the code in the path', '与路径中的措施编号不一致');
    if (m.answersAll && m.causes.length)
      throw invalid(
        'measure.causes',
        'not_allowed',
        'must be empty when the measure answers every cause',
        '适用于所有致贫原因的措施不再列出原因',
      );
    // The catalogue's own rules (departments, causes, conditions, kind, limit, due days), judged here
    // for a fast answer naming the field; the assistance service judges them again.
    const parsed = measureSchema.safeParse({
      code,
      zh: m.nameZh,
      en: m.nameEn,
      departments: m.departments,
      causes: m.answersAll ? 'all' : m.causes,
      conditions: m.conditions,
      kind: m.kind,
      amountLimitYuan: m.amountLimitYuan,
      dueDays: m.dueDays,
      active: m.active,
    });
    if (!parsed.success)
      throw AppError.invalid(
        parsed.error.issues.map((i) => {
          const [head, ...rest] = i.path.map(String);
          return {
            field: ['measure', ...(head ? [API_FIELD[head] ?? head] : []), ...rest].join('.'),
            code: i.code,
            message: i.message,
            messageZh: '措施内容不符合要求',
          };
        }),
      );
    const expectedVersion = versionOf(req.get('if-match'), body.version, MEASURE);
    const r = await assistance.updateMeasure(
      {
        measure: {
          code,
          nameZh: m.nameZh,
          nameEn: m.nameEn,
          departments: m.departments,
          causes: m.answersAll ? [] : m.causes,
          answersAll: m.answersAll,
          conditions: m.conditions,
          kind: m.kind,
          amountLimitYuan: m.amountLimitYuan ?? undefined,
          dueDays: m.dueDays ?? undefined,
          active: m.active,
          version: 0,
          updatedAt: '',
          updatedBy: '',
        },
        expectedVersion,
      },
      { metadata: await callAs(user) },
    );
    sendMeasure(res, r.measure);
  });

  return router;
}
