import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { AppError, errorKinds, fromGrpcError, isTransient, notOneOf, toGrpcError, type ErrorKind } from './errors';

function asServiceError(e: Partial<ServiceError>): ServiceError {
  return Object.assign(new Error(e.details), {
    code: e.code!,
    details: e.details ?? '',
    metadata: e.metadata ?? new Metadata(),
  }) as ServiceError;
}

describe('AppError across gRPC', () => {
  it.each(Object.keys(errorKinds) as ErrorKind[])(
    '%s keeps kind, code, field and issues through a gRPC hop',
    (kind) => {
      const original = new AppError(kind, 'msg', {
        code: `${kind}_specific`,
        messageZh: '中文',
        issues: [{ field: 'members[0].name', code: 'required', message: 'required', messageZh: '必填' }],
      });
      const back = fromGrpcError(asServiceError(toGrpcError(original)));
      expect(back.kind).toBe(kind);
      expect(back.code).toBe(`${kind}_specific`);
      expect(back.field).toBe('members[0].name');
      expect(back.messageZh).toBe('中文');
      expect(back.issues).toEqual(original.issues);
      expect(back.httpStatus).toBe(errorKinds[kind].http);
    },
  );

  it('hides the message of an unexpected error', () => {
    const e = toGrpcError(new Error('secret stack detail'));
    expect(e.code).toBe(status.INTERNAL);
    expect(e.details).toBe('internal error');
  });

  it.each([
    [status.UNAVAILABLE, 'unavailable', 503],
    [status.DEADLINE_EXCEEDED, 'deadline_exceeded', 504],
    [status.NOT_FOUND, 'not_found', 404],
    [status.UNKNOWN, 'internal', 500],
  ])('maps a bare gRPC status %i (no details) to %s', (code, kind, http) => {
    const e = fromGrpcError(asServiceError({ code, details: 'x' }));
    expect(e.kind).toBe(kind);
    expect(e.httpStatus).toBe(http);
  });
});

describe('isTransient', () => {
  it.each([
    [new AppError('unavailable', 'down'), true],
    [Object.assign(new Error('x'), { name: 'MongoServerSelectionError' }), true],
    [Object.assign(new Error('x'), { name: 'MongoNetworkError' }), true],
    [new Error('connect ECONNREFUSED 127.0.0.1:1'), true],
    [new AppError('invalid_argument', 'bad'), false],
    [new Error('HouseholdRegistered without a household id'), false],
  ])('%p → %p', (err, expected) => {
    expect(isTransient(err)).toBe(expected);
  });
});

describe('notOneOf', () => {
  it.each([
    ['department', ['health', 'education'], '部门', 'must be one of health, education', '部门不在允许范围内'],
    ['state', ['open'], undefined, 'must be one of open', '不是允许的取值'],
  ])('%s: lists the allowed values and names the field in Chinese', (field, allowed, nameZh, message, messageZh) => {
    expect(notOneOf(field, allowed, nameZh)).toEqual({ field, code: 'invalid_enum', message, messageZh });
  });
});
