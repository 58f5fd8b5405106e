import { Alert, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../i18n';
import { navEntry, navLabel, type NavKey } from '../navigation';

/** The title and purpose of a page that a later issue fills in. */
export function PagePlaceholder({ navKey }: { navKey: NavKey }) {
  const { t } = useTranslation();
  return (
    <div data-testid={`page-${navKey}`}>
      <Typography.Title level={3} data-testid="page-title">
        {navLabel(navEntry(navKey), currentLanguage())}
      </Typography.Title>
      <Typography.Paragraph>{t(`pages.${navKey}.note`)}</Typography.Paragraph>
      <Alert type="info" showIcon message={t('pages.placeholder')} />
    </div>
  );
}
