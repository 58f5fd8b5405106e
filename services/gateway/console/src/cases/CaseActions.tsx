// The step buttons a user gets on a case (the procedure table decides which, caseModel.buttonActions),
// with what each asks first: a confirmation, a reason (reject, return), a note (inform), and an
// override reason when the county quota asks for one (409 quota_override_required on approve).
import { useState, type ReactNode } from 'react';
import { Alert, Button, Form, Input, Modal, Popconfirm, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CaseAction } from '@shouwang/domain';
import { ApiError } from '../api/client';
import { actOnCase, type ActionInput, type Case } from '../api/cases';
import { useUser } from '../auth/AuthContext';
import { ErrorAlert, useErrorText } from '../components/ErrorAlert';
import { currentLanguage, useMessages } from '../i18n';
import { actionInput, actionTone, buttonActions, classifyFailure } from './caseModel';
import { actionLabel, actionList, stateLabel } from './labels';
import { handOnTo, rejectIfFailed, useDialogSubmit } from '../components/useDialogSubmit';

/** The dialog open for one action: a reason, a note, or the override reason the quota asked for. */
type Asking = {
  action: CaseAction;
  input: 'reason' | 'note' | 'override';
  limits?: { quota?: number; hardLimit?: number; used?: number };
};

export function CaseActions({
  c,
  onChanged,
  onFailure,
  size = 'middle',
}: {
  c: Case;
  onChanged: (next: Case, action: CaseAction) => void;
  /** A failure the dialogs do not handle themselves (409, 412, 403 …), for the page to show; null clears it. */
  onFailure: (error: unknown) => void;
  size?: 'small' | 'middle';
}) {
  const { t } = useTranslation();
  const user = useUser();
  const m = useMessages();
  const [busy, setBusy] = useState<CaseAction | null>(null);
  const [asking, setAsking] = useState<Asking | null>(null);
  const actions = buttonActions(c.kind, c.state, user.role);
  if (actions.length === 0) return null;

  /** Sends the action; resolves to the error when it failed (the caller decides where it shows). */
  const send = async (action: CaseAction, input: ActionInput = {}): Promise<unknown> => {
    setBusy(action);
    onFailure(null);
    try {
      onChanged(await actOnCase(c, action, input), action);
      return null;
    } catch (e) {
      return e;
    } finally {
      setBusy(null);
    }
  };

  const act = async (action: CaseAction) => {
    const error = await send(action);
    if (!error) return;
    const failure = classifyFailure(error);
    if (failure.kind === 'override_required') setAsking({ action, input: 'override', limits: failure });
    else onFailure(error);
  };

  return (
    <>
      <Space size={4} wrap data-testid="case-actions">
        {actions.map((action) => {
          const label = actionLabel(m, action);
          const tone = actionTone(action);
          const button = (
            <Button
              key={action}
              size={size}
              type={tone === 'primary' ? 'primary' : 'default'}
              danger={tone === 'danger'}
              loading={busy === action}
              disabled={busy !== null && busy !== action}
              data-testid={`case-action-${action}`}
              onClick={
                actionInput(action) === 'none'
                  ? undefined
                  : () => setAsking({ action, input: actionInput(action) as 'reason' | 'note' })
              }
            >
              {label}
            </Button>
          );
          if (actionInput(action) !== 'none') return button;
          return (
            <Popconfirm
              key={action}
              title={t('cases.confirm', { action: label })}
              onConfirm={() => act(action)}
              okButtonProps={{ 'data-testid': 'case-action-confirm' }}
            >
              {button}
            </Popconfirm>
          );
        })}
      </Space>
      <InputDialog
        c={c}
        asking={asking}
        onClose={() => setAsking(null)}
        send={send}
        onDone={() => setAsking(null)}
        onFailure={(e) => {
          setAsking(null);
          onFailure(e);
        }}
      />
    </>
  );
}

/** Reason, note or override reason: required text, sent with the action; its field error shows inline. */
function InputDialog({
  c,
  asking,
  onClose,
  send,
  onDone,
  onFailure,
}: {
  c: Case;
  asking: Asking | null;
  onClose: () => void;
  send: (action: CaseAction, input: ActionInput) => Promise<unknown>;
  onDone: () => void;
  onFailure: (error: unknown) => void;
}) {
  const { t } = useTranslation();
  const m = useMessages();
  const [form] = Form.useForm<{ text: string }>();
  const field = asking?.input === 'override' ? 'overrideReason' : asking?.input === 'note' ? 'note' : 'reason';
  const dialog = useDialogSubmit(
    form,
    (f) => (f === field ? ['text'] : null),
    handOnTo((e) => e instanceof ApiError && (e.status === 409 || e.status === 412 || e.status === 403), onFailure),
  );

  const submit = async ({ text }: { text: string }) => {
    if (asking && (await dialog.submit(() => rejectIfFailed(send(asking.action, { [field]: text.trim() }))))) onDone();
  };

  const label = asking ? actionLabel(m, asking.action) : '';
  const title =
    asking?.input === 'override'
      ? t('cases.overrideTitle')
      : asking?.input === 'note'
        ? t('cases.noteTitle')
        : t('cases.reasonTitle', { action: label });
  const itemLabel =
    asking?.input === 'override'
      ? t('cases.overrideReason')
      : asking?.input === 'note'
        ? t('cases.note')
        : t('cases.reason');
  const required =
    asking?.input === 'override'
      ? t('cases.overrideRequired')
      : asking?.input === 'note'
        ? t('cases.noteRequired')
        : t('cases.reasonRequired');
  const limits = asking?.limits ?? {};

  return (
    <Modal
      open={asking !== null}
      title={title}
      okText={label}
      cancelText={t('common.cancel')}
      confirmLoading={dialog.saving}
      okButtonProps={{ danger: asking?.action === 'reject', 'data-testid': 'case-input-ok' }}
      onOk={() => form.submit()}
      onCancel={() => {
        dialog.reset();
        onClose();
      }}
      destroyOnHidden
    >
      <Typography.Paragraph>
        {c.headName} · {stateLabel(m, c.kind, c.state)}
      </Typography.Paragraph>
      {asking?.input === 'override' && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="override-note"
          message={t('cases.overrideNote', {
            quota: limits.quota ?? '?',
            hardLimit: limits.hardLimit ?? '?',
            used: limits.used ?? '?',
          })}
        />
      )}
      <ErrorAlert error={dialog.error} />
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item name="text" label={itemLabel} rules={[{ required: true, whitespace: true, message: required }]}>
          <Input.TextArea
            rows={3}
            maxLength={500}
            showCount
            placeholder={asking?.input === 'note' ? t('cases.notePlaceholder') : t('cases.reasonPlaceholder')}
            data-testid="case-input-text"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/**
 * Why an action on a case did not happen, as the officer must read it: the step the case is at now and
 * what may be done there (409), someone else's change (412), the quota's hard limit, or the server's
 * own words (403 names the role that acts or the separation of duties). Offers a reload where that helps.
 */
export function ActionFailureAlert({
  error,
  kind,
  onReload,
}: {
  error: unknown;
  kind: Case['kind'];
  onReload: () => void;
}) {
  const { t } = useTranslation();
  const m = useMessages();
  const lang = currentLanguage();
  const errorText = useErrorText();
  if (!error) return null;
  const failure = classifyFailure(error);
  const server = errorText(error);
  const reload = (
    <Button size="small" onClick={onReload} data-testid="case-reload">
      {t('cases.failure.reload')}
    </Button>
  );
  let message = server;
  let description: string | undefined;
  let action: ReactNode;
  if (failure.kind === 'illegal_transition') {
    message = failure.state ? t('cases.failure.illegal', { state: stateLabel(m, kind, failure.state) }) : server;
    description = failure.allowed.length
      ? t('cases.failure.allowedNow', { actions: actionList(m, failure.allowed, lang) })
      : t('cases.failure.noneAllowed');
    action = reload;
  } else if (failure.kind === 'version_conflict') {
    message = t('cases.failure.version');
    action = reload;
  } else if (failure.kind === 'quota_exceeded') {
    message = t('cases.quotaExceeded', {
      quota: failure.quota ?? '?',
      hardLimit: failure.hardLimit ?? '?',
      used: failure.used ?? '?',
    });
  } else if (failure.kind === 'forbidden') {
    message = t('cases.failure.forbidden');
  }
  const requestId = error instanceof ApiError ? error.body.requestId : undefined;
  const status = error instanceof ApiError ? error.status : undefined;
  return (
    <Alert
      type="error"
      showIcon
      style={{ marginBottom: 16 }}
      message={message}
      description={
        [
          description,
          message !== server ? server : undefined,
          requestId ? `${t('errors.requestId')}: ${requestId}` : '',
        ]
          .filter(Boolean)
          .join(' · ') || undefined
      }
      action={action}
      data-testid="case-action-error"
      data-status={status}
      data-code={error instanceof ApiError ? error.code : undefined}
    />
  );
}
