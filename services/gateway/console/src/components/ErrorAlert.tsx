import { Alert } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, NetworkError } from '../api/client';
import { currentLanguage } from '../i18n';

/** An error of an API call in the officer's language (the server's own message when it sent one). */
export function useErrorText(): (error: unknown) => string {
  const { t } = useTranslation();
  return (error) => {
    if (error instanceof ApiError) return error.messageIn(currentLanguage());
    if (error instanceof NetworkError) return t('errors.network');
    return error instanceof Error ? error.message : String(error);
  };
}

/** An API call's failure, with the request id to quote to support; nothing when there is no error. */
export function ErrorAlert({ error, action, testId }: { error: unknown; action?: ReactNode; testId?: string }) {
  const { t } = useTranslation();
  const text = useErrorText();
  if (!error) return null;
  const requestId = error instanceof ApiError ? error.body.requestId : undefined;
  return (
    <Alert
      type="error"
      showIcon
      style={{ marginBottom: 16 }}
      message={text(error)}
      description={requestId ? `${t('errors.requestId')}: ${requestId}` : undefined}
      action={action}
      data-testid={testId ?? 'error'}
    />
  );
}
