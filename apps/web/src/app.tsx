import { useMemo, useState } from 'preact/hooks';
import { DICTIONARIES, I18nContext, storeLocale, storedLocale, type I18n, type Locale } from './i18n';

/** The whole app: language, then the page for the path. */
export function App() {
  const [locale, setLocaleState] = useState<Locale>(storedLocale);
  const i18n = useMemo<I18n>(
    () => ({
      locale,
      t: DICTIONARIES[locale],
      setLocale: (l) => {
        storeLocale(l);
        setLocaleState(l);
      },
    }),
    [locale],
  );
  document.documentElement.lang = locale;
  document.title = i18n.t.appName;
  return (
    <I18nContext.Provider value={i18n}>
      <main id="main">
        <h1>{i18n.t.appName}</h1>
      </main>
    </I18nContext.Provider>
  );
}
