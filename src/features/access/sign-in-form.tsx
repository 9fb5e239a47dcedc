import { useState, type FormEvent } from 'react'
import { useI18n } from '../../shared/i18n/i18n.tsx'
import { useSignIn } from './api/sign-in.ts'
import type { SignInOutcome } from './sign-in-outcome.ts'
import './access.css'

/** The sign-in page, in the page's language; the server sets the session cookie. */
export function SignInForm() {
  const { t } = useI18n()
  const signIn = useSignIn()
  const [user, setUser] = useState('')
  const [password, setPassword] = useState('')
  const failure = signIn.data?.ok === false ? signIn.data : null

  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (signIn.isPending || user.trim() === '' || password === '') return
    signIn.mutate({ user: user.trim(), password })
  }

  return (
    <section className="panel access" aria-labelledby="access-title">
      <h2 id="access-title" className="access__title">
        {t('access.title')}
      </h2>
      <p className="muted">{t('access.intro')}</p>
      <form className="access__form" onSubmit={submit}>
        <div className="access__field">
          <label htmlFor="access-user">{t('access.user')}</label>
          <input
            id="access-user"
            data-testid="login-user"
            name="username"
            autoComplete="username"
            spellCheck={false}
            required
            value={user}
            onChange={(event) => setUser(event.currentTarget.value)}
          />
        </div>
        <div className="access__field">
          <label htmlFor="access-password">{t('access.password')}</label>
          <input
            id="access-password"
            data-testid="login-password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.currentTarget.value)}
          />
        </div>
        <button
          type="submit"
          className="button button--primary"
          data-testid="login-submit"
          disabled={signIn.isPending}
        >
          {signIn.isPending ? t('access.submitting') : t('access.submit')}
        </button>
        {failure && (
          <p
            className="notice notice--warn"
            role="alert"
            data-testid="login-error"
            data-reason={failure.reason}
          >
            {describe(failure, t)}
          </p>
        )}
      </form>
    </section>
  )
}

function describe(
  failure: Exclude<SignInOutcome, { ok: true }>,
  t: ReturnType<typeof useI18n>['t'],
): string {
  switch (failure.reason) {
    case 'wrong':
      return t('access.failed.wrong')
    case 'limited':
      return t('access.failed.limited', { minutes: failure.minutes })
    case 'busy':
      return t('access.failed.busy')
    case 'other':
      return t('access.failed.other', { message: failure.message })
  }
}
