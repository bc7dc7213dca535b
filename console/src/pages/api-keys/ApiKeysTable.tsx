// The tenant's API keys, revoked ones included; creating one shows its secret once, revoking asks first.
import { useState } from 'react';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table, { type TableProps } from '@cloudscape-design/components/table';
import { api } from '../../api.ts';
import { EmptyState, ErrorState } from '../../components/PageState.tsx';
import { useNotify } from '../../components/Notifications.tsx';
import { useApi } from '../../components/useApi.ts';
import { ConfirmModal } from './ConfirmModal.tsx';
import { CreateKeyModal } from './CreateKeyModal.tsx';
import { formatTime } from './format.ts';
import { SecretAlert } from './SecretAlert.tsx';
import type { ApiKey, ApiKeyCreated, ApiKeyList } from './types.ts';

/** Active keys first, newest first within each. */
const ordered = (keys: ApiKey[]) =>
  [...keys].sort(
    (a, b) =>
      Number(Boolean(a.revoked_at)) - Number(Boolean(b.revoked_at)) ||
      b.created_at.localeCompare(a.created_at),
  );

export function ApiKeysTable() {
  const { data, error, loading, reload } = useApi<ApiKeyList>('/api/admin/api-keys');
  const notify = useNotify();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<ApiKeyCreated>();
  const [revoking, setRevoking] = useState<ApiKey>();

  const keys = error ? [] : ordered(data?.api_keys ?? []);
  const active = keys.filter((key) => !key.revoked_at).length;

  const columns: TableProps.ColumnDefinition<ApiKey>[] = [
    { id: 'name', header: 'Name', cell: (key) => key.name, isRowHeader: true, minWidth: 140 },
    { id: 'prefix', header: 'Prefix', cell: (key) => <Box variant="code">{key.prefix}…</Box> },
    { id: 'created', header: 'Created', cell: (key) => formatTime(key.created_at) },
    { id: 'created_by', header: 'Created by', cell: (key) => key.created_by },
    { id: 'last_used', header: 'Last used', cell: (key) => formatTime(key.last_used_at, 'Never') },
    {
      id: 'revoked',
      header: 'Status',
      minWidth: 150,
      cell: (key) =>
        key.revoked_at ? (
          <SpaceBetween size="xxxs">
            <StatusIndicator type="stopped">Revoked</StatusIndicator>
            <Box variant="small">{formatTime(key.revoked_at)}</Box>
          </SpaceBetween>
        ) : (
          <StatusIndicator type="success">Active</StatusIndicator>
        ),
    },
    {
      id: 'actions',
      header: 'Actions',
      cell: (key) =>
        key.revoked_at ? null : (
          <Button variant="inline-link" ariaLabel={`Revoke ${key.name}`} onClick={() => setRevoking(key)}>
            Revoke
          </Button>
        ),
    },
  ];

  const revoke = async (key: ApiKey) => {
    await api(`/api/admin/api-keys/${encodeURIComponent(key.id)}`, { method: 'DELETE' });
    notify({ type: 'success', content: `API key ${key.name} is revoked.` });
    if (created?.id === key.id) setCreated(undefined);
    reload();
  };

  return (
    <SpaceBetween size="m">
      {created ? (
        <SecretAlert
          header={`API key ${created.name} created`}
          what="API key"
          secret={created.api_key}
          onDismiss={() => setCreated(undefined)}
        />
      ) : null}
      <Table
        variant="container"
        items={keys}
        columnDefinitions={columns}
        trackBy="id"
        loading={loading && !data}
        loadingText="Loading API keys"
        ariaLabels={{ tableLabel: 'API keys' }}
        wrapLines
        header={
          <Header
            variant="h2"
            counter={data ? `(${active} active)` : undefined}
            description={
              keys[0]
                ? `Apps call the consumer routes with a key in the x-api-key header; each key may make ${keys[0].requests_per_minute} requests a minute on your plan.`
                : 'Apps call the consumer routes with a key in the x-api-key header.'
            }
            actions={
              <SpaceBetween direction="horizontal" size="xs">
                <Button
                  iconName="refresh"
                  ariaLabel="Refresh API keys"
                  onClick={reload}
                  loading={loading && !!data}
                />
                <Button variant="primary" onClick={() => setCreating(true)}>
                  Create API key
                </Button>
              </SpaceBetween>
            }
          >
            API keys
          </Header>
        }
        empty={
          error ? (
            <ErrorState error={error} onRetry={reload} />
          ) : (
            <EmptyState
              title="No API keys"
              description="Create a key for each app that calls the API, so you can revoke one without the others."
              action={<Button onClick={() => setCreating(true)}>Create API key</Button>}
            />
          )
        }
      />
      {creating ? (
        <CreateKeyModal
          onClose={() => setCreating(false)}
          onCreated={(key) => {
            setCreated(key);
            reload();
          }}
        />
      ) : null}
      {revoking ? (
        <ConfirmModal
          header="Revoke API key"
          confirmText="Revoke"
          onConfirm={() => revoke(revoking)}
          onClose={() => setRevoking(undefined)}
        >
          <Box variant="p">
            Revoke <strong>{revoking.name}</strong> ({revoking.prefix}…)? Apps using it are refused from now
            on (within a minute everywhere); this cannot be undone. Create a new key for them first if they
            should keep working.
          </Box>
        </ConfirmModal>
      ) : null}
    </SpaceBetween>
  );
}
