// The hosted console's sign-in: email and password, then a new password or a TOTP code when Cognito asks for one.
import { useState, type FormEvent } from 'react';
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import SpaceBetween from '@cloudscape-design/components/space-between';
import type { CognitoSignIn, SignInStep } from './cognito.ts';

type Stage = 'password' | 'new-password' | 'totp';

export function SignInPage({
  cognito,
  onSignedIn,
}: {
  cognito: CognitoSignIn;
  onSignedIn(idToken: string): void;
}) {
  const [stage, setStage] = useState<Stage>('password');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const follow = (step: SignInStep) => {
    if (step.kind === 'signed-in') onSignedIn(step.idToken);
    else setStage(step.kind);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    const attempt =
      stage === 'password'
        ? cognito.signIn(email.trim(), password)
        : stage === 'new-password'
          ? cognito.completeNewPassword(newPassword)
          : cognito.sendTotp(code.trim());
    attempt
      .then(follow)
      .catch((failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure)))
      .finally(() => setBusy(false));
  };

  const heading =
    stage === 'password' ? 'Sign in' : stage === 'new-password' ? 'Choose a new password' : 'Enter your code';

  return (
    <Box padding={{ top: 'xxxl', horizontal: 'l' }}>
      <div style={{ maxWidth: 420, margin: '0 auto' }}>
        <main>
          <form onSubmit={submit}>
            <Form
              header={
                <Header variant="h1" description="Voice for AI personalities console">
                  {heading}
                </Header>
              }
              actions={
                <Button variant="primary" formAction="submit" loading={busy}>
                  {stage === 'password' ? 'Sign in' : 'Continue'}
                </Button>
              }
            >
              <Container>
                <SpaceBetween size="m">
                  {error ? <Alert type="error">{error}</Alert> : null}
                  {stage === 'password' ? (
                    <>
                      <FormField label="Email">
                        <Input
                          type="email"
                          autoComplete="username"
                          value={email}
                          onChange={({ detail }) => setEmail(detail.value)}
                          autoFocus
                        />
                      </FormField>
                      <FormField label="Password">
                        <Input
                          type="password"
                          autoComplete="current-password"
                          value={password}
                          onChange={({ detail }) => setPassword(detail.value)}
                        />
                      </FormField>
                    </>
                  ) : null}
                  {stage === 'new-password' ? (
                    <FormField
                      label="New password"
                      description="Your temporary password must be replaced before the first sign-in."
                    >
                      <Input
                        type="password"
                        autoComplete="new-password"
                        value={newPassword}
                        onChange={({ detail }) => setNewPassword(detail.value)}
                        autoFocus
                      />
                    </FormField>
                  ) : null}
                  {stage === 'totp' ? (
                    <FormField
                      label="Authenticator code"
                      description="The 6-digit code from your authenticator app."
                    >
                      <Input
                        inputMode="numeric"
                        autoComplete="one-time-code"
                        value={code}
                        onChange={({ detail }) => setCode(detail.value)}
                        autoFocus
                      />
                    </FormField>
                  ) : null}
                </SpaceBetween>
              </Container>
            </Form>
          </form>
        </main>
      </div>
    </Box>
  );
}
