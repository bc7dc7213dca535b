// Cognito sign-in for the hosted console: SRP with the user pool from /config.json, new-password and TOTP steps.
import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserPool,
  type CognitoUserSession,
} from 'amazon-cognito-identity-js';

/** Where a sign-in attempt stands: done, or waiting for one more answer from the person. */
export type SignInStep = { kind: 'signed-in'; idToken: string } | { kind: 'new-password' } | { kind: 'totp' };

export interface CognitoSignIn {
  /** The stored session's ID token, refreshed when needed; undefined when nobody is signed in. */
  current(): Promise<string | undefined>;
  signIn(email: string, password: string): Promise<SignInStep>;
  completeNewPassword(newPassword: string): Promise<SignInStep>;
  sendTotp(code: string): Promise<SignInStep>;
  signOut(): void;
}

export function cognitoSession(settings: { userPoolId: string; clientId: string }): CognitoSignIn {
  const pool = new CognitoUserPool({ UserPoolId: settings.userPoolId, ClientId: settings.clientId });
  let pending: CognitoUser | undefined;

  // One set of callbacks for every step: Cognito answers each step with the next challenge or a session.
  const callbacks = (resolve: (step: SignInStep) => void, reject: (error: Error) => void) => ({
    onSuccess: (session: CognitoUserSession) =>
      resolve({ kind: 'signed-in', idToken: session.getIdToken().getJwtToken() }),
    onFailure: (error: Error) => reject(error),
    newPasswordRequired: () => resolve({ kind: 'new-password' }),
    totpRequired: () => resolve({ kind: 'totp' }),
    mfaRequired: () => resolve({ kind: 'totp' }),
  });

  return {
    current: () =>
      new Promise((resolve) => {
        const user = pool.getCurrentUser();
        if (!user) return resolve(undefined);
        user.getSession((error: Error | null, session: CognitoUserSession | null) =>
          resolve(error || !session?.isValid() ? undefined : session.getIdToken().getJwtToken()),
        );
      }),
    signIn: (email, password) =>
      new Promise((resolve, reject) => {
        pending = new CognitoUser({ Username: email, Pool: pool });
        pending.authenticateUser(
          new AuthenticationDetails({ Username: email, Password: password }),
          callbacks(resolve, reject),
        );
      }),
    completeNewPassword: (newPassword) =>
      new Promise((resolve, reject) => {
        if (!pending) return reject(new Error('Sign in again: the sign-in attempt has expired.'));
        pending.completeNewPasswordChallenge(newPassword, {}, callbacks(resolve, reject));
      }),
    sendTotp: (code) =>
      new Promise((resolve, reject) => {
        if (!pending) return reject(new Error('Sign in again: the sign-in attempt has expired.'));
        pending.sendMFACode(code, callbacks(resolve, reject), 'SOFTWARE_TOKEN_MFA');
      }),
    signOut: () => {
      pool.getCurrentUser()?.signOut();
      pending = undefined;
    },
  };
}
