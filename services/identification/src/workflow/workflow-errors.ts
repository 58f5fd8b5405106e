import { AppError, type FieldIssue } from '@shouwang/kit';
import { ROLE_NAMES, type CaseAction, type CaseState, type Role } from '@shouwang/domain';

/** The errors the workflows answer with, each in English and Chinese for officers. */

export function caseNotFound(): AppError {
  return new AppError('not_found', 'case not found', { code: 'case_not_found', messageZh: '未找到该案件' });
}

export function householdNotFound(): AppError {
  return new AppError('not_found', 'household not found', { code: 'household_not_found', messageZh: '未找到该农户' });
}

/** Someone else moved the case since the caller read it (HTTP 412). */
export function caseVersionConflict(current: number): AppError {
  return new AppError('precondition_failed', `the case was changed by someone else (now version ${current})`, {
    code: 'version_conflict',
    field: 'version',
    messageZh: '该案件已被他人处理，请刷新后重试',
    details: { currentVersion: String(current) },
  });
}

/** A write on a case must name the version the caller read (HTTP 428). */
export function versionRequired(): AppError {
  return new AppError('precondition_required', 'the version you read is required (If-Match or version)', {
    code: 'precondition_required',
    field: 'version',
    messageZh: '请提供所处理的案件版本号',
  });
}

export function illegalTransition(state: CaseState, action: string, allowed: readonly CaseAction[]): AppError {
  return new AppError(
    'conflict',
    `${action} is not allowed while the case is ${state}; allowed: ${allowed.join(', ') || 'none'}`,
    {
      code: 'illegal_transition',
      field: 'action',
      messageZh: `案件当前状态（${state}）不允许此操作`,
      details: { state, allowedActions: allowed.join(',') },
    },
  );
}

export function wrongRole(action: string, by: Role): AppError {
  return new AppError('permission_denied', `${action} at this step is taken by the ${by.replace(/_/g, ' ')}`, {
    code: 'wrong_role',
    messageZh: `此步骤应由${ROLE_NAMES[by].zh}办理`,
    details: { role: by },
  });
}

export function invalid(field: string, code: string, message: string, messageZh: string): AppError {
  return AppError.invalid([{ field, code, message, messageZh }]);
}

export function required(field: string, zh: string): FieldIssue {
  return { field, code: 'required', message: `${field} is required`, messageZh: `请填写${zh}` };
}

export function conflict(code: string, message: string, messageZh: string, details?: Record<string, string>): AppError {
  return new AppError('conflict', message, { code, messageZh, details });
}
