import { useState } from 'react';
import { Alert, Button, Card, Flex, Form, Input, Typography } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { ApiError } from '../api/client';
import { useAuth } from '../auth/AuthContext';
import { FullPageSpin } from '../auth/guards';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { currentLanguage } from '../i18n';

interface Credentials {
  username: string;
  password: string;
}

/** Where RequireAuth sent the user from, and why. */
interface SignInState {
  from?: string;
  reason?: 'expired' | 'signedOut';
}

export function SignInPage() {
  const { t } = useTranslation();
  const { state: auth, signIn } = useAuth();
  const location = useLocation();
  const navigate = useNavigate();
  const [submitting, setSubmitting] = useState(false);
  // Kept as the error itself, so switching the language re-renders its message.
  const [error, setError] = useState<ApiError | 'network' | null>(null);
  const from = (location.state as SignInState | null)?.from;
  const reason = (location.state as SignInState | null)?.reason;

  if (auth.status === 'restoring') return <FullPageSpin />;
  if (auth.status === 'signedIn' && !submitting) return <Navigate to={from ?? '/'} replace />;

  const onFinish = async ({ username, password }: Credentials) => {
    setSubmitting(true);
    setError(null);
    try {
      await signIn(username.trim(), password);
      navigate(from ?? '/', { replace: true });
    } catch (e) {
      setSubmitting(false);
      setError(e instanceof ApiError ? e : 'network');
    }
  };

  return (
    <Flex vertical align="center" justify="center" gap={24} style={{ minHeight: '100vh', padding: 16 }}>
      <div style={{ textAlign: 'center' }}>
        <Typography.Title level={2} style={{ marginBottom: 4 }}>
          {t('app.name')}
        </Typography.Title>
        <Typography.Text type="secondary">{t('app.subtitle')}</Typography.Text>
      </div>
      <Card
        title={t('signIn.title')}
        extra={<LanguageSwitch />}
        style={{ width: '100%', maxWidth: 380 }}
        data-testid="sign-in"
      >
        {!error && reason && (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 16 }}
            message={reason === 'expired' ? t('signIn.expired') : t('signIn.signedOut')}
            data-testid="sign-in-notice"
          />
        )}
        {error && (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 16 }}
            message={error === 'network' ? t('errors.network') : error.messageIn(currentLanguage())}
            description={
              error !== 'network' && error.body.requestId
                ? `${t('errors.requestId')}: ${error.body.requestId}`
                : undefined
            }
            data-testid="sign-in-error"
          />
        )}
        <Form<Credentials> layout="vertical" requiredMark={false} onFinish={onFinish} disabled={submitting}>
          <Form.Item
            name="username"
            label={t('signIn.username')}
            rules={[{ required: true, whitespace: true, message: t('signIn.usernameRequired') }]}
          >
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus data-testid="username" />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('signIn.password')}
            rules={[{ required: true, message: t('signIn.passwordRequired') }]}
          >
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" data-testid="password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={submitting} data-testid="sign-in-submit">
            {t('signIn.submit')}
          </Button>
        </Form>
      </Card>
    </Flex>
  );
}
