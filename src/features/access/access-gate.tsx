import type { ReactNode } from 'react'
import { useI18n } from '../../shared/i18n/i18n.tsx'
import { useSession } from './api/get-session.ts'
import { useSignOut } from './api/sign-in.ts'
import { SignInForm } from './sign-in-form.tsx'

/**
 * The page itself where no sign-in is needed or someone is signed in; otherwise the sign-in
 * form (or, behind an SSO proxy that named nobody, why not). The server guards the APIs on
 * its own: this only decides what to show.
 */
export function AccessGate({ children }: { children: ReactNode }) {
  const { t } = useI18n()
  const session = useSession()
  const data = session.data
  if (data && data.signIn !== 'none' && data.user === null) {
    if (data.signIn === 'header') {
      return (
        <p className="notice notice--warn" role="alert">
          {t('access.header-missing')}
        </p>
      )
    }
    return <SignInForm />
  }
  // Mounted at once, shown once the answer is in: the drop zone takes a file dropped while
  // the page asks, as it did before there was anything to ask. An old server without
  // /auth/session, or a failed read: the page, whose APIs say the rest.
  return (
    <>
      {session.isPending && <p className="muted">{t('access.loading')}</p>}
      <div className="access-gate" hidden={session.isPending}>
        {children}
      </div>
    </>
  )
}

/** Who is signed in, with a way out (not behind an SSO proxy, which signs people in itself). */
export function SignedInUser() {
  const { t } = useI18n()
  const session = useSession()
  const signOut = useSignOut()
  const user = session.data?.user
  if (!user) return null
  return (
    <div className="signed-in" data-testid="signed-in-user">
      <span>{t('access.signed-in', { user })}</span>
      {session.data?.signIn === 'password' && (
        <button
          type="button"
          className="button button--small"
          data-testid="sign-out"
          disabled={signOut.isPending}
          onClick={() => signOut.mutate()}
        >
          {t('access.sign-out')}
        </button>
      )}
    </div>
  )
}
