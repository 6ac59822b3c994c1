import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { en } from './en';
import { lt, type Dictionary } from './lt';
import type { Locale } from './format';

export type { Locale } from './format';
export const DICTIONARIES: Record<Locale, Dictionary> = { lt, en };
const STORAGE_KEY = 'ihl.locale';

/** The chosen language, kept in this browser (Lithuanian unless English was chosen). */
export function storedLocale(): Locale {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'lt';
  } catch {
    return 'lt';
  }
}

export function storeLocale(locale: Locale): void {
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // Storage refused (private mode): the choice lasts for this page only.
  }
  document.documentElement.lang = locale;
}

export interface I18n {
  readonly locale: Locale;
  readonly t: Dictionary;
  setLocale(locale: Locale): void;
}

export const I18nContext = createContext<I18n>({ locale: 'lt', t: lt, setLocale: () => {} });
export const useI18n = (): I18n => useContext(I18nContext);
