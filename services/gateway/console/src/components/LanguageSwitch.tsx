import { Segmented } from 'antd';
import { useTranslation } from 'react-i18next';
import { currentLanguage, type Language } from '../i18n';

/** 中文 | English; i18n remembers the choice. */
export function LanguageSwitch() {
  const { i18n, t } = useTranslation();
  return (
    <Segmented<Language>
      size="small"
      aria-label={t('app.language')}
      data-testid="language-switch"
      value={currentLanguage()}
      onChange={(lng) => void i18n.changeLanguage(lng)}
      options={[
        { value: 'zh', label: <span data-testid="language-zh">中文</span> },
        { value: 'en', label: <span data-testid="language-en">English</span> },
      ]}
    />
  );
}
