// The webhook URL and its signing secret: save or remove the URL, rotate the secret, send a test event.
import { useEffect, useState } from 'react';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import { api } from '../../api.ts';
import { ErrorState, errorMessage, LoadingState } from '../../components/PageState.tsx';
import { useNotify } from '../../components/Notifications.tsx';
import { useApi } from '../../components/useApi.ts';
import { ConfirmModal } from './ConfirmModal.tsx';
import { SecretAlert } from './SecretAlert.tsx';
import type { WebhookSecret, WebhookSettings } from './types.ts';

const SETTINGS = '/api/admin/tenant/settings';

/** A first look before the API's own check (which also refuses private and loopback hosts in AWS). */
function urlProblem(value: string): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'Use an https:// address.';
  } catch {
    return 'Enter a full address, such as https://example.com/webhooks.';
  }
  return undefined;
}

export function WebhookEndpoint({ onDeliveryQueued }: { onDeliveryQueued: () => void }) {
  const settings = useApi<WebhookSettings>(SETTINGS);
  const notify = useNotify();
  const [url, setUrl] = useState('');
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState<'save' | 'remove' | 'test'>();
  const [secret, setSecret] = useState<string>();
  const [rotating, setRotating] = useState(false);
  const [stored, setStored] = useState<WebhookSettings>();

  useEffect(() => {
    if (!settings.data) return;
    setStored(settings.data);
    setUrl(settings.data.webhook_url ?? '');
  }, [settings.data]);

  if (settings.error) return <ErrorState error={settings.error} onRetry={settings.reload} />;
  if (!stored) return <LoadingState label="Loading webhook settings" />;

  const saveUrl = async (next: string | null) => {
    const local = next === null ? undefined : urlProblem(next);
    if (local) return setProblem(local);
    setBusy(next === null ? 'remove' : 'save');
    setProblem(undefined);
    try {
      const answer = await api<WebhookSettings>(SETTINGS, { method: 'PUT', body: { webhook_url: next } });
      setStored(answer);
      setUrl(answer.webhook_url ?? '');
      if (answer.webhook_secret) setSecret(answer.webhook_secret);
      notify({
        type: 'success',
        content:
          next === null ? 'The webhook URL is removed: no events are sent.' : 'The webhook URL is saved.',
      });
    } catch (failure) {
      setProblem(errorMessage(failure));
    } finally {
      setBusy(undefined);
    }
  };

  const sendTest = async () => {
    setBusy('test');
    try {
      await api('/api/admin/webhooks/test', { method: 'POST' });
      notify({ type: 'success', content: 'A webhook.test event is on its way; see its delivery below.' });
      onDeliveryQueued();
    } catch (failure) {
      notify({ type: 'error', content: errorMessage(failure) });
    } finally {
      setBusy(undefined);
    }
  };

  const rotate = async () => {
    const answer = await api<WebhookSecret>('/api/admin/webhooks/secret', { method: 'POST' });
    setSecret(answer.webhook_secret);
    setStored((current) => (current ? { ...current, webhook_secret_set: true } : current));
    notify({
      type: 'success',
      content: 'The signing secret is replaced: deliveries are signed with the new one.',
    });
  };

  const trimmed = url.trim();
  const changed = trimmed !== (stored.webhook_url ?? '');

  return (
    <Container
      header={
        <Header
          variant="h2"
          description="Events (voice training finished, 80% of the monthly budget, test) are POSTed to this address, signed as Standard Webhooks."
          actions={
            <SpaceBetween direction="horizontal" size="xs">
              <Button onClick={() => setRotating(true)} disabled={!!busy}>
                Rotate secret
              </Button>
              <Button
                onClick={() => void sendTest()}
                loading={busy === 'test'}
                disabled={!!busy && busy !== 'test'}
              >
                Send test event
              </Button>
            </SpaceBetween>
          }
        >
          Webhook
        </Header>
      }
    >
      <SpaceBetween size="l">
        {secret ? (
          <SecretAlert
            header="Signing secret created"
            what="signing secret"
            secret={secret}
            onDismiss={() => setSecret(undefined)}
          />
        ) : null}
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (trimmed) void saveUrl(trimmed);
          }}
        >
          <FormField
            label="Webhook URL"
            description="An https address on a public host. The first URL creates the signing secret."
            errorText={problem}
            stretch
            secondaryControl={
              <SpaceBetween direction="horizontal" size="xs">
                <Button
                  variant="primary"
                  formAction="submit"
                  loading={busy === 'save'}
                  disabled={!trimmed || !changed || (!!busy && busy !== 'save')}
                >
                  Save
                </Button>
                <Button
                  formAction="none"
                  onClick={() => void saveUrl(null)}
                  loading={busy === 'remove'}
                  disabled={!stored.webhook_url || (!!busy && busy !== 'remove')}
                >
                  Remove
                </Button>
              </SpaceBetween>
            }
          >
            <Input
              type="url"
              inputMode="url"
              value={url}
              onChange={({ detail }) => {
                setUrl(detail.value);
                setProblem(undefined);
              }}
              placeholder="https://example.com/webhooks"
              disabled={busy === 'save' || busy === 'remove'}
            />
          </FormField>
        </form>
        <KeyValuePairs
          columns={2}
          minColumnWidth={240}
          ariaLabel="Webhook status"
          items={[
            {
              label: 'Sending events',
              value: stored.webhook_url ? (
                <StatusIndicator type="success">To {stored.webhook_url}</StatusIndicator>
              ) : (
                <StatusIndicator type="stopped">No: no URL is set</StatusIndicator>
              ),
            },
            {
              label: 'Signing secret',
              value: stored.webhook_secret_set ? (
                <StatusIndicator type="success">Set (shown only when made)</StatusIndicator>
              ) : (
                <StatusIndicator type="pending">Not made yet</StatusIndicator>
              ),
            },
          ]}
        />
      </SpaceBetween>
      {rotating ? (
        <ConfirmModal
          header="Rotate signing secret"
          confirmText="Rotate secret"
          onConfirm={rotate}
          onClose={() => setRotating(false)}
        >
          <Box variant="p">
            Deliveries are signed with a new secret from now on; receivers that check signatures with the old
            one will reject them until you give them the new secret, which is shown only once.
          </Box>
        </ConfirmModal>
      ) : null}
    </Container>
  );
}
