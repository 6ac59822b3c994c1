import { useState } from 'preact/hooks';
import { ApiError, demoSignIn, type SessionAnswer } from '../api';
import { useI18n } from '../i18n';

/** Sign-in: the identity provider (a plain link: the browser goes there and back), or a demo user. */
export function SignInPage(props: { session: SessionAnswer; onSignedIn: (s: SessionAnswer) => void }) {
  const { t } = useI18n();
  const [failed, setFailed] = useState(new URLSearchParams(location.search).has('error'));
  const { oidc, demoUsers } = props.session.signIn;
  const chooseDemo = async (user: string) => {
    try {
      props.onSignedIn(await demoSignIn(user));
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      setFailed(true);
    }
  };
  return (
    <>
      <h1>{t.signIn.title}</h1>
      <p>{t.signIn.intro}</p>
      {failed && (
        <p class="error" role="alert">
          {t.signIn.failed}
        </p>
      )}
      {oidc && (
        <p>
          <a class="button" href="/auth/login">
            {t.signIn.withProvider}
          </a>
        </p>
      )}
      {demoUsers.length > 0 && (
        <section aria-labelledby="demo-title" class="card">
          <h2 id="demo-title">{t.signIn.demoTitle}</h2>
          <p class="note">{t.signIn.demoIntro}</p>
          <ul class="demo-users">
            {demoUsers.map((u) => (
              <li key={u.subject}>
                <button type="button" class="secondary" onClick={() => void chooseDemo(u.subject)}>
                  {t.signIn.demoAs} {t.roles[u.role]}
                  {u.partnerId ? ` (${u.partnerId})` : ''}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      {!oidc && demoUsers.length === 0 && <p>{t.signIn.none}</p>}
    </>
  );
}
