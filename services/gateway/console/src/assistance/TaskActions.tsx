// The buttons a department officer gets on a task of their own department (assistanceModel.taskButtons)
// and what each asks first: a confirmation (accept), the delivery (date, amount within the measure's
// limit, note), or the reason for declining. Field problems show on the dialog's fields; a refusal about
// the task itself (409 moved on, 412 changed meanwhile, 403) goes to the page (TaskFailureAlert).
import { useState } from 'react';
import { Alert, Button, Form, Input, InputNumber, Modal, Popconfirm, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { todayInChina, type TaskAction } from '@shouwang/domain';
import { actOnTask, type Measure, type Task, type TaskActionInput } from '../api/assistance';
import { ApiError } from '../api/client';
import { useUser } from '../auth/AuthContext';
import { classifyFailure } from '../cases/caseModel';
import { DateInput } from '../components/DateInput';
import { ErrorAlert, useErrorText } from '../components/ErrorAlert';
import { currentLanguage, useMessages } from '../i18n';
import { amountProblem, taskActionInput, taskButtons } from './assistanceModel';
import { measureTitle, taskActionLabel, taskActionList, taskStateLabel } from './labels';
import { handOnTo, itemsNamed, rejectIfFailed, useDialogSubmit } from '../components/useDialogSubmit';

/**
 * A refusal about the task as a whole, for the page to show with a reload: it moved on (409), was changed
 * meanwhile (412, naming the field version) or is not the officer's (403). Asked after the dialog's own
 * fields took theirs.
 */
const aboutTheTask = (e: unknown) => e instanceof ApiError && [403, 409, 412].includes(e.status);

export function TaskActions({
  task,
  measure,
  onChanged,
  onFailure,
}: {
  task: Task;
  /** The task's measure from the catalogue (its amount limit), when loaded. */
  measure: Measure | undefined;
  onChanged: (next: Task, action: TaskAction) => void;
  onFailure: (error: unknown) => void;
}) {
  const { t } = useTranslation();
  const m = useMessages();
  const user = useUser();
  const [busy, setBusy] = useState<TaskAction | null>(null);
  const [asking, setAsking] = useState<'deliver' | 'decline' | null>(null);
  const actions = taskButtons(task, user);
  if (actions.length === 0) return null;

  /** Sends the action; resolves to the error when it failed (the caller decides where it shows). */
  const send = async (action: TaskAction, input: TaskActionInput = {}): Promise<unknown> => {
    setBusy(action);
    onFailure(null);
    try {
      onChanged(await actOnTask(task, action, input), action);
      return null;
    } catch (e) {
      return e;
    } finally {
      setBusy(null);
    }
  };

  return (
    <>
      <Space size={4} wrap data-testid="task-actions">
        {actions.map((action) => {
          const label = taskActionLabel(m, action);
          const input = taskActionInput(action);
          const button = (
            <Button
              key={action}
              size="small"
              type={action === 'decline' ? 'default' : 'primary'}
              danger={action === 'decline'}
              loading={busy === action}
              disabled={busy !== null && busy !== action}
              data-testid={`task-action-${action}`}
              onClick={input === 'confirm' ? undefined : () => setAsking(action as 'deliver' | 'decline')}
            >
              {label}
            </Button>
          );
          if (input !== 'confirm') return button;
          return (
            <Popconfirm
              key={action}
              title={t('assistance.tasks.confirm', { action: label })}
              onConfirm={async () => {
                const e = await send(action);
                if (e) onFailure(e);
              }}
              okButtonProps={{ 'data-testid': 'task-action-confirm' }}
            >
              {button}
            </Popconfirm>
          );
        })}
      </Space>
      <DeliverDialog
        task={task}
        measure={measure}
        open={asking === 'deliver'}
        send={send}
        onClose={() => setAsking(null)}
        onFailure={(e) => {
          setAsking(null);
          onFailure(e);
        }}
      />
      <DeclineDialog
        task={task}
        measure={measure}
        open={asking === 'decline'}
        send={send}
        onClose={() => setAsking(null)}
        onFailure={(e) => {
          setAsking(null);
          onFailure(e);
        }}
      />
    </>
  );
}

interface DialogProps {
  task: Task;
  measure: Measure | undefined;
  open: boolean;
  send: (action: TaskAction, input: TaskActionInput) => Promise<unknown>;
  onClose: () => void;
  onFailure: (error: unknown) => void;
}

interface DeliveryValues {
  deliveredOn?: string;
  amountYuan?: number | null;
  note?: string;
}

const DELIVERY_FIELDS = ['deliveredOn', 'amountYuan', 'note'];

function DeliverDialog({ task, measure, open, send, onClose, onFailure }: DialogProps) {
  const { t } = useTranslation();
  const m = useMessages();
  const lang = currentLanguage();
  const [form] = Form.useForm<DeliveryValues>();
  const dialog = useDialogSubmit(form, itemsNamed(...DELIVERY_FIELDS), handOnTo(aboutTheTask, onFailure));
  const limit = measure?.amountLimitYuan ?? null;

  const close = () => {
    dialog.reset();
    onClose();
  };

  const submit = async (v: DeliveryValues) => {
    const delivery = {
      deliveredOn: v.deliveredOn,
      ...(typeof v.amountYuan === 'number' ? { amountYuan: v.amountYuan } : {}),
      ...(v.note?.trim() ? { note: v.note.trim() } : {}),
    };
    if (await dialog.submit(() => rejectIfFailed(send('deliver', delivery)))) onClose();
  };

  return (
    <Modal
      open={open}
      title={t('assistance.tasks.deliverTitle')}
      okText={t('assistance.taskActions.deliver')}
      cancelText={t('common.cancel')}
      confirmLoading={dialog.saving}
      okButtonProps={{ 'data-testid': 'task-deliver-ok' }}
      cancelButtonProps={{ 'data-testid': 'task-deliver-cancel' }}
      onOk={() => form.submit()}
      onCancel={close}
      destroyOnHidden
    >
      <Typography.Paragraph data-testid="task-dialog-subject">
        {task.headName} · {measureTitle(task.measureCode, measure ? [measure] : undefined, lang)}
      </Typography.Paragraph>
      <ErrorAlert error={dialog.error} />
      <Form
        form={form}
        layout="vertical"
        initialValues={{ deliveredOn: todayInChina() }}
        onFinish={(v) => void submit(v)}
        data-testid="task-deliver-form"
      >
        <Form.Item
          name="deliveredOn"
          label={t('assistance.tasks.deliveredOn')}
          rules={[{ required: true, message: t('assistance.tasks.deliveredOnRequired') }]}
        >
          <DateInput data-testid="task-delivered-on" />
        </Form.Item>
        <Form.Item
          name="amountYuan"
          label={t('assistance.tasks.amount')}
          extra={
            <span data-testid="task-amount-limit" data-limit={limit ?? ''}>
              {limit !== null
                ? t('assistance.tasks.amountLimit', { limit: limit.toLocaleString('zh-CN') })
                : t('assistance.tasks.amountNoLimit')}
            </span>
          }
          rules={[
            {
              validator: async (_, value: number | null | undefined) => {
                const problem = amountProblem(value, limit);
                if (problem)
                  throw new Error(
                    t(`assistance.tasks.amountProblems.${problem}`, { limit: limit?.toLocaleString('zh-CN') }),
                  );
              },
            },
          ]}
        >
          <InputNumber<number> style={{ width: '100%' }} min={0} precision={2} data-testid="task-amount" />
        </Form.Item>
        <Form.Item name="note" label={t('assistance.tasks.note')}>
          <Input.TextArea
            rows={2}
            maxLength={500}
            showCount
            placeholder={t('assistance.tasks.notePlaceholder')}
            data-testid="task-note"
          />
        </Form.Item>
      </Form>
      {task.deliveries.length > 0 && (
        <Typography.Text type="secondary">
          {t('assistance.tasks.deliveryCount', { count: task.deliveries.length })} · {taskStateLabel(m, task.state)}
        </Typography.Text>
      )}
    </Modal>
  );
}

function DeclineDialog({ task, measure, open, send, onClose, onFailure }: DialogProps) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const [form] = Form.useForm<{ reason: string }>();
  const dialog = useDialogSubmit(form, itemsNamed('reason'), handOnTo(aboutTheTask, onFailure));

  const close = () => {
    dialog.reset();
    onClose();
  };

  const submit = async ({ reason }: { reason: string }) => {
    if (await dialog.submit(() => rejectIfFailed(send('decline', { reason: reason.trim() })))) onClose();
  };

  return (
    <Modal
      open={open}
      title={t('assistance.tasks.declineTitle')}
      okText={t('assistance.taskActions.decline')}
      cancelText={t('common.cancel')}
      confirmLoading={dialog.saving}
      okButtonProps={{ danger: true, 'data-testid': 'task-decline-ok' }}
      onOk={() => form.submit()}
      onCancel={close}
      destroyOnHidden
    >
      <Typography.Paragraph>
        {task.headName} · {measureTitle(task.measureCode, measure ? [measure] : undefined, lang)}
      </Typography.Paragraph>
      <ErrorAlert error={dialog.error} />
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item
          name="reason"
          label={t('assistance.tasks.reason')}
          rules={[{ required: true, whitespace: true, message: t('assistance.tasks.reasonRequired') }]}
        >
          <Input.TextArea
            rows={3}
            maxLength={500}
            showCount
            placeholder={t('assistance.tasks.reasonPlaceholder')}
            data-testid="task-decline-reason"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/**
 * Why an action on a task did not happen, as the officer must read it: the state the task is in now and
 * what may be done there (409), someone else's action meanwhile (412), another department's task (403);
 * with a reload where that helps.
 */
export function TaskFailureAlert({ error, onReload }: { error: unknown; onReload: () => void }) {
  const { t } = useTranslation();
  const m = useMessages();
  const lang = currentLanguage();
  const errorText = useErrorText();
  if (!error) return null;
  const failure = classifyFailure(error);
  const server = errorText(error);
  let message = server;
  let description: string | undefined;
  let reload = false;
  if (failure.kind === 'illegal_transition') {
    message = failure.state
      ? t('assistance.tasks.failure.illegal', { state: taskStateLabel(m, failure.state) })
      : server;
    description = failure.allowed.length
      ? t('assistance.tasks.failure.allowedNow', { actions: taskActionList(m, failure.allowed, lang) })
      : t('assistance.tasks.failure.noneAllowed');
    reload = true;
  } else if (failure.kind === 'version_conflict') {
    message = t('assistance.tasks.failure.version');
    reload = true;
  } else if (failure.kind === 'forbidden') {
    message = t('assistance.tasks.failure.forbidden');
  }
  const requestId = error instanceof ApiError ? error.body.requestId : undefined;
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
      action={
        reload ? (
          <Button size="small" onClick={onReload} data-testid="task-reload">
            {t('assistance.tasks.failure.reload')}
          </Button>
        ) : undefined
      }
      data-testid="task-action-error"
      data-status={error instanceof ApiError ? error.status : undefined}
      data-code={error instanceof ApiError ? error.code : undefined}
    />
  );
}
