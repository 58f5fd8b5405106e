export { GENESIS_HASH, auditEntryHash, canonicalJson } from './canonical';
export { checkAggregateChain, type AuditProblem, type AuditProblemKind, type StoredAuditEntry } from './chain';
export { ENCRYPTED, REDACTED, maskAllButLast4, redact, type AuditValue } from './redact';
export {
  AUDIT_COLLECTION,
  AUDIT_MAX_PAGE,
  AuditTrail,
  areaPathOf,
  auditActorOf,
  type AuditActor,
  type AuditAppendInput,
  type AuditEntry,
  type AuditListFilter,
  type AuditPage,
  type AuditPageRequest,
  type AuditSystemActor,
  type AuditTrailOptions,
  type AuditUserActor,
  type AuditVerifyResult,
} from './trail';
export * from './service';
