import { Metadata, status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';

/** One problem with one input field, in English and Chinese (for officers). */
export interface FieldIssue {
  field: string;
  code: string;
  message: string;
  messageZh?: string;
}

/**
 * A value not among the allowed ones (code invalid_enum): the English message lists them, the Chinese
 * names what the field is ("部门" → "部门不在允许范围内").
 */
export function notOneOf(field: string, allowed: readonly string[], nameZh?: string): FieldIssue {
  return {
    field,
    code: 'invalid_enum',
    message: `must be one of ${allowed.join(', ')}`,
    messageZh: nameZh ? `${nameZh}不在允许范围内` : '不是允许的取值',
  };
}

/**
 * The platform's error kinds. Each maps to exactly one gRPC status and one HTTP status, so a
 * rule broken deep in a service reaches the caller with the same meaning on every hop.
 */
export const errorKinds = {
  invalid_argument: { grpc: GrpcStatus.INVALID_ARGUMENT, http: 400 },
  unauthenticated: { grpc: GrpcStatus.UNAUTHENTICATED, http: 401 },
  permission_denied: { grpc: GrpcStatus.PERMISSION_DENIED, http: 403 },
  not_found: { grpc: GrpcStatus.NOT_FOUND, http: 404 },
  already_exists: { grpc: GrpcStatus.ALREADY_EXISTS, http: 409 },
  conflict: { grpc: GrpcStatus.ABORTED, http: 409 },
  /** A conditional write whose condition (e.g. the version read, If-Match) no longer holds. */
  precondition_failed: { grpc: GrpcStatus.ABORTED, http: 412 },
  /** A write that must be conditional arrived without its condition. */
  precondition_required: { grpc: GrpcStatus.FAILED_PRECONDITION, http: 428 },
  payload_too_large: { grpc: GrpcStatus.RESOURCE_EXHAUSTED, http: 413 },
  unsupported_media_type: { grpc: GrpcStatus.INVALID_ARGUMENT, http: 415 },
  unprocessable: { grpc: GrpcStatus.FAILED_PRECONDITION, http: 422 },
  rate_limited: { grpc: GrpcStatus.RESOURCE_EXHAUSTED, http: 429 },
  internal: { grpc: GrpcStatus.INTERNAL, http: 500 },
  unavailable: { grpc: GrpcStatus.UNAVAILABLE, http: 503 },
  deadline_exceeded: { grpc: GrpcStatus.DEADLINE_EXCEEDED, http: 504 },
} as const;
export type ErrorKind = keyof typeof errorKinds;

export interface AppErrorOptions {
  /** Stable machine-readable code, more specific than the kind (e.g. "unknown_area"). */
  code?: string;
  field?: string;
  messageZh?: string;
  issues?: FieldIssue[];
  /** Non-personal facts that help the caller act, e.g. { householdId } of a conflicting record. */
  details?: Record<string, string>;
  cause?: unknown;
}

/** The one error type services throw on purpose; anything else is reported as internal. */
export class AppError extends Error {
  readonly code: string;
  readonly field?: string;
  readonly messageZh?: string;
  readonly issues: FieldIssue[];
  readonly details?: Record<string, string>;

  constructor(
    readonly kind: ErrorKind,
    message: string,
    opts: AppErrorOptions = {},
  ) {
    super(message, { cause: opts.cause });
    this.name = 'AppError';
    this.code = opts.code ?? kind;
    this.field = opts.field ?? opts.issues?.[0]?.field;
    this.messageZh = opts.messageZh;
    this.issues = opts.issues ?? [];
    this.details = opts.details;
  }

  get httpStatus(): number {
    return errorKinds[this.kind].http;
  }
  get grpcStatus(): GrpcStatus {
    return errorKinds[this.kind].grpc;
  }

  static invalid(issues: FieldIssue[], message = 'the request has invalid fields'): AppError {
    return new AppError('invalid_argument', message, {
      code: 'validation_failed',
      issues,
      messageZh: '请求中有字段不符合要求',
    });
  }

  /** The JSON body every HTTP error response carries. */
  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      kind: this.kind,
      message: this.message,
      ...(this.messageZh ? { messageZh: this.messageZh } : {}),
      ...(this.field ? { field: this.field } : {}),
      ...(this.issues.length ? { issues: this.issues } : {}),
      ...(this.details ? { details: this.details } : {}),
    };
  }
}

/** Errors whose cause is our own infrastructure being down: retry later, never dead-letter. */
export function isTransient(err: unknown): boolean {
  if (err instanceof AppError) return err.kind === 'unavailable' || err.kind === 'deadline_exceeded';
  const name = (err as { name?: string } | null)?.name ?? '';
  return /^Mongo(Network|ServerSelection|NotConnected|Topology)|KafkaJSConnectionError|KafkaJSNumberOfRetriesExceeded|ECONNREFUSED/.test(
    name + ' ' + String((err as Error)?.message ?? ''),
  );
}

const DETAILS_KEY = 'shouwang-error-bin';

function grpcKindOf(code: GrpcStatus): ErrorKind {
  const kinds = Object.entries(errorKinds) as [ErrorKind, { grpc: GrpcStatus }][];
  return kinds.find(([, v]) => v.grpc === code)?.[0] ?? 'internal';
}

/** Turns any thrown value into the gRPC error a handler returns, details in trailing metadata. */
export function toGrpcError(err: unknown): Partial<ServiceError> {
  const app = err instanceof AppError ? err : new AppError('internal', 'internal error');
  const metadata = new Metadata();
  metadata.set(DETAILS_KEY, Buffer.from(JSON.stringify({ ...app.toJSON(), kind: app.kind })));
  return { code: app.grpcStatus, details: app.message, metadata };
}

/** Turns a gRPC client error back into the AppError the service threw. */
export function fromGrpcError(err: ServiceError): AppError {
  const raw = err.metadata?.get(DETAILS_KEY)?.[0];
  if (raw) {
    try {
      const d = JSON.parse(Buffer.isBuffer(raw) ? raw.toString('utf8') : raw) as {
        kind: ErrorKind;
        code: string;
        message: string;
        messageZh?: string;
        field?: string;
        issues?: FieldIssue[];
        details?: Record<string, string>;
      };
      if (d.kind in errorKinds) return new AppError(d.kind, d.message, { ...d, cause: err });
    } catch {
      /* fall through to the status code */
    }
  }
  const kind = grpcKindOf(err.code);
  const message =
    kind === 'unavailable'
      ? 'a backend service is unavailable'
      : kind === 'deadline_exceeded'
        ? 'a backend service did not answer in time'
        : (err.details ?? 'backend error');
  return new AppError(kind, message, { cause: err });
}
