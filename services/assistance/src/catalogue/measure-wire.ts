import type { assistanceV1 } from '@shouwang/contracts';
import type { Measure } from '@shouwang/domain';
import type { MeasureDoc } from './catalogue-store';

export function measureToWire(m: MeasureDoc): assistanceV1.Measure {
  return {
    code: m.code,
    nameZh: m.zh,
    nameEn: m.en,
    departments: [...m.departments],
    causes: m.causes === 'all' ? [] : [...m.causes],
    answersAll: m.causes === 'all',
    conditions: [...m.conditions],
    kind: m.kind,
    amountLimitYuan: m.amountLimitYuan ?? undefined,
    dueDays: m.dueDays ?? undefined,
    active: m.active,
    version: m.version,
    updatedAt: m.updatedAt,
    updatedBy: m.updatedBy,
  };
}

/** The wire measure as the catalogue's shape, unvalidated (measureSchema judges it). */
export function measureFromWire(w: assistanceV1.Measure): Record<keyof Measure, unknown> {
  return {
    code: w.code,
    zh: w.nameZh,
    en: w.nameEn,
    departments: w.departments,
    causes: w.answersAll ? 'all' : w.causes,
    conditions: w.conditions,
    kind: w.kind,
    amountLimitYuan: w.amountLimitYuan ?? null,
    dueDays: w.dueDays ?? null,
    active: w.active,
  };
}

/** Catalogue field → the wire field an error names. */
export const WIRE_FIELD: Record<keyof Measure, string> = {
  code: 'code',
  zh: 'nameZh',
  en: 'nameEn',
  departments: 'departments',
  causes: 'causes',
  conditions: 'conditions',
  kind: 'kind',
  amountLimitYuan: 'amountLimitYuan',
  dueDays: 'dueDays',
  active: 'active',
};
