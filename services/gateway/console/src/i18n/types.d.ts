import 'i18next';
import type { Messages } from './zh';

// Typed keys: t('signIn.title') is checked against zh.ts at compile time.
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: Messages };
  }
}
