// react-i18next set-up: Chinese by default, English on request; the choice is remembered in localStorage.
import i18n from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import type { Department } from '@shouwang/domain';
import { zh, type Messages } from './zh';
import { en } from './en';

export const LANGUAGES = ['zh', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const LANGUAGE_KEY = 'shouwang.language';

// Every department of the domain table has a name in both languages.
const _departmentNames: Record<Department, string> = zh.departments;

function storedLanguage(): Language {
  try {
    const v = localStorage.getItem(LANGUAGE_KEY);
    return v === 'en' || v === 'zh' ? v : 'zh';
  } catch {
    return 'zh';
  }
}

function applyLanguage(lng: string) {
  const lang: Language = lng === 'en' ? 'en' : 'zh';
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.title = (lang === 'zh' ? zh : en).app.title;
  dayjs.locale(lang === 'zh' ? 'zh-cn' : 'en');
  try {
    localStorage.setItem(LANGUAGE_KEY, lang);
  } catch {
    // storage disabled: the choice lasts for this page only
  }
}

void i18n.use(initReactI18next).init({
  resources: { zh: { translation: zh }, en: { translation: en } },
  lng: storedLanguage(),
  fallbackLng: 'zh',
  supportedLngs: LANGUAGES,
  interpolation: { escapeValue: false }, // React escapes
});
applyLanguage(i18n.language);
i18n.on('languageChanged', applyLanguage);

/** The current language as one of LANGUAGES. */
export function currentLanguage(): Language {
  return i18n.language === 'en' ? 'en' : 'zh';
}

export default i18n;

/**
 * The whole dictionary of the current language, for pure helpers that take one (labels of field paths,
 * enum names); re-renders on a language change like t().
 */
export function useMessages(): Messages {
  const { i18n } = useTranslation();
  return i18n.language === 'en' ? en : zh;
}
