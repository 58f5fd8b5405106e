// The name of a warning's cause: a typical feature F1–F10 or a monitoring-content code (DOMAIN.md §4),
// with the domain's own texts.
import { FEATURE_TEXT, WARNING_TEXT, type FeatureCode, type WarningCode } from '@shouwang/domain';

export function causeLabel(cause: string, lang: 'zh' | 'en'): string {
  if (cause in FEATURE_TEXT) return `${cause} ${FEATURE_TEXT[cause as FeatureCode][lang]}`;
  if (cause in WARNING_TEXT) return WARNING_TEXT[cause as WarningCode][lang];
  return cause;
}
