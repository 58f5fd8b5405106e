import { AppError, type FieldIssue } from '@shouwang/kit';

/** The errors the assistance service answers with, each in English and Chinese for officers. */

const MAX_TEXT = 500;

export function notFound(what: 'plan' | 'task' | 'household' | 'measure' | 'proposal'): AppError {
  const zh = { plan: '帮扶计划', task: '帮扶任务', household: '农户', measure: '帮扶措施', proposal: '计划调整建议' }[
    what
  ];
  return new AppError('not_found', `${what} not found`, { code: `${what}_not_found`, messageZh: `未找到该${zh}` });
}

/** A write must name the version the caller read (HTTP 428). */
export function versionRequired(): AppError {
  return new AppError('precondition_required', 'the version you read is required (If-Match or version)', {
    code: 'precondition_required',
    field: 'version',
    messageZh: '请提供所处理记录的版本号',
  });
}

/** Someone else changed the record since the caller read it (HTTP 412). */
export function versionConflict(current: number): AppError {
  return new AppError('precondition_failed', `the record was changed by someone else (now version ${current})`, {
    code: 'version_conflict',
    field: 'version',
    messageZh: '该记录已被他人修改，请刷新后重试',
    details: { currentVersion: String(current) },
  });
}

export function conflict(code: string, message: string, messageZh: string, details?: Record<string, string>): AppError {
  return new AppError('conflict', message, { code, messageZh, details });
}

export function invalid(field: string, code: string, message: string, messageZh: string): AppError {
  return AppError.invalid([{ field, code, message, messageZh }]);
}

/**
 * A free-text field: trimmed, at most 500 characters; `requiredZh` names it (in Chinese) when it must
 * be given. Returns the issue, if any.
 */
export function textIssue(field: string, value: string, requiredZh?: string): FieldIssue | undefined {
  const v = value.trim();
  if (requiredZh && !v)
    return { field, code: 'required', message: `${field} is required`, messageZh: `请填写${requiredZh}` };
  if (v.length > MAX_TEXT)
    return {
      field,
      code: 'too_long',
      message: `must be at most ${MAX_TEXT} characters`,
      messageZh: `不超过${MAX_TEXT}个字符`,
    };
  return undefined;
}

/** Throws the field issues, if there are any. */
export function throwIssues(issues: (FieldIssue | undefined)[]): void {
  const found = issues.filter((i): i is FieldIssue => i !== undefined);
  if (found.length) throw AppError.invalid(found);
}

/**
 * A move that keeps losing to other writers. Transient: a consumer's partition waits and the event
 * comes again; a caller may retry.
 */
export function busy(): AppError {
  return new AppError('unavailable', 'the record is being changed by someone else; try again', {
    code: 'busy',
    messageZh: '该记录正在被他人修改，请稍后重试',
  });
}

export function planClosed(): AppError {
  return conflict('plan_closed', 'the plan is closed (the household exited)', '该帮扶计划已关闭（农户已退出）');
}
