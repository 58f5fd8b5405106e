// The steps of a case, oldest first: who (user and role), when, from which step to which, and the
// reason or note given.
import { Empty, Space, Timeline, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { Case } from '../api/cases';
import { currentLanguage, useMessages } from '../i18n';
import { stepColor } from './caseModel';
import { actionLabel, roleLabel, stateLabel } from './labels';

export function CaseTimeline({ c }: { c: Case }) {
  const { t } = useTranslation();
  const m = useMessages();
  const lang = currentLanguage();
  const steps = c.steps ?? [];
  if (steps.length === 0) return <Empty description={t('cases.detail.noSteps')} />;
  return (
    <div data-testid="case-timeline">
      <Timeline
        items={steps.map((s, i) => ({
          key: i,
          color: stepColor(s.action),
          children: (
            <Space direction="vertical" size={0} data-testid={`step-${s.action}`} data-actor={s.actorUsername}>
              <Typography.Text strong>
                {actionLabel(m, s.action)}
                {s.toState && s.toState !== s.fromState && (
                  <Typography.Text type="secondary">
                    {' '}
                    {s.fromState ? `${stateLabel(m, c.kind, s.fromState)} → ` : '→ '}
                    {stateLabel(m, c.kind, s.toState)}
                  </Typography.Text>
                )}
              </Typography.Text>
              <Typography.Text type="secondary">
                {s.actorUsername}（{roleLabel(s.actorRole, lang)}）· {dayjs(s.at).format('YYYY-MM-DD HH:mm')}
              </Typography.Text>
              {s.note && <Typography.Text data-testid="step-note">{s.note}</Typography.Text>}
            </Space>
          ),
        }))}
      />
    </div>
  );
}
