import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { SignIn } from '../../../shared/tpns-shapes.ts'
import { signInOutcome, type SignInOutcome } from '../sign-in-outcome.ts'

/** POST /auth/login; the server sets the session cookie (HttpOnly: the page never sees it). */
export async function signIn(credentials: SignIn): Promise<SignInOutcome> {
  let response: Response
  try {
    response = await fetch('/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(credentials),
    })
  } catch (error) {
    return { ok: false, reason: 'other', message: error instanceof Error ? error.message : '' }
  }
  return signInOutcome(response.status, response.headers.get('Retry-After'), await response.text())
}

export function useSignIn() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationKey: ['sign-in'],
    mutationFn: signIn,
    // Everything the page asked the server before was asked without a user: ask again.
    onSuccess: (outcome) => {
      if (outcome.ok) void queryClient.invalidateQueries()
    },
  })
}

/** POST /auth/logout, then the page forgets what it asked as that user. */
export async function signOut(): Promise<void> {
  await fetch('/auth/logout', { method: 'POST' })
}

export function useSignOut() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationKey: ['sign-out'],
    mutationFn: signOut,
    onSettled: () => queryClient.resetQueries(),
  })
}
