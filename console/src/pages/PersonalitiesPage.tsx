// The personalities list: built-ins and the tenant's own, with create, edit, primary, activate and delete.
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import Badge from '@cloudscape-design/components/badge';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import { api } from '../api.ts';
import { useNotify } from '../components/Notifications.tsx';
import { EmptyState, ErrorState, errorMessage } from '../components/PageState.tsx';
import { useApi } from '../components/useApi.ts';
import { DeletePersonalityModal } from './personalities/DeletePersonalityModal.tsx';
import {
  PERSONALITIES_PATH,
  personalityPath,
  SETTINGS_PATH,
  type Personality,
  type TenantSettings,
} from './personalities/types.ts';

const isBuiltin = (personality: Personality) =>
  personality.source === 'builtin' || Boolean(personality.based_on);

/** Why the selected personality cannot be deleted, or undefined when it can. */
function deleteBlocked(personality: Personality | undefined, primaryId: string | null | undefined) {
  if (!personality) return 'Select a personality to delete.';
  if (isBuiltin(personality))
    return 'Built-in personalities cannot be deleted; deactivate it to hide it instead.';
  if (personality.id === primaryId) return 'This is the primary personality; mark another one primary first.';
  return undefined;
}

export default function PersonalitiesPage() {
  const navigate = useNavigate();
  const notify = useNotify();
  const list = useApi<{ personalities: Personality[] }>(PERSONALITIES_PATH);
  const settings = useApi<TenantSettings>(SETTINGS_PATH);
  const [selectedId, setSelectedId] = useState<string>();
  const [busy, setBusy] = useState<'primary' | 'active'>();
  const [deleting, setDeleting] = useState<Personality>();

  const personalities = list.data?.personalities ?? [];
  const selected = personalities.find((personality) => personality.id === selectedId);
  const primaryId = settings.data?.primary_personality_id;
  const blocked = deleteBlocked(selected, primaryId);

  const go = (path: string) => (event: CustomEvent) => {
    event.preventDefault();
    navigate(path);
  };

  const markPrimary = (personality: Personality) => {
    setBusy('primary');
    api<TenantSettings>(SETTINGS_PATH, { method: 'PUT', body: { primary_personality_id: personality.id } })
      .then(() => {
        notify({ type: 'success', content: `${personality.name} is now the primary personality.` });
        settings.reload();
      })
      .catch((error: unknown) => notify({ type: 'error', content: errorMessage(error) }))
      .finally(() => setBusy(undefined));
  };

  const setActive = (personality: Personality, active: boolean) => {
    setBusy('active');
    api<Personality>(personalityPath(personality.id), {
      method: 'PUT',
      body: { is_active: active, version: personality.version },
    })
      .then(() => {
        notify({
          type: 'success',
          content: `${personality.name} is ${active ? 'active' : 'inactive'}.`,
        });
        list.reload();
      })
      .catch((error: unknown) => {
        notify({ type: 'error', content: errorMessage(error) });
        list.reload();
      })
      .finally(() => setBusy(undefined));
  };

  const actions = (
    <SpaceBetween direction="horizontal" size="xs">
      <Button disabled={!selected} onClick={() => selected && navigate(`/personalities/${selected.id}`)}>
        Edit
      </Button>
      <Button
        disabled={!selected || selected.id === primaryId}
        loading={busy === 'primary'}
        onClick={() => selected && markPrimary(selected)}
      >
        Mark primary
      </Button>
      <Button
        disabled={!selected}
        loading={busy === 'active'}
        onClick={() => selected && setActive(selected, !selected.is_active)}
      >
        {selected && !selected.is_active ? 'Activate' : 'Deactivate'}
      </Button>
      <Button
        disabled={Boolean(blocked)}
        disabledReason={selected ? blocked : undefined}
        onClick={() => selected && setDeleting(selected)}
      >
        Delete
      </Button>
      <Button variant="primary" onClick={() => navigate('/personalities/new')}>
        Create personality
      </Button>
    </SpaceBetween>
  );

  return (
    <>
      <SpaceBetween size="m">
        {settings.error && !list.error ? (
          <ErrorState error={settings.error} onRetry={settings.reload} />
        ) : null}
        <Table<Personality>
          variant="full-page"
          header={
            <Header
              variant="awsui-h1-sticky"
              counter={list.data ? `(${personalities.length})` : undefined}
              actions={actions}
              description="The built-in personalities and your own. Chat uses the primary one when a request names none."
            >
              Personalities
            </Header>
          }
          ariaLabels={{
            tableLabel: 'Personalities',
            selectionGroupLabel: 'Personality selection',
            itemSelectionLabel: (_selection, item) => `Select ${item.name}`,
            allItemsSelectionLabel: () => 'Select all',
          }}
          selectionType="single"
          selectedItems={selected ? [selected] : []}
          onSelectionChange={({ detail }) => setSelectedId(detail.selectedItems[0]?.id)}
          trackBy="id"
          items={list.error ? [] : personalities}
          loading={list.loading && !list.data}
          loadingText="Loading personalities"
          empty={
            list.error ? (
              <ErrorState error={list.error} onRetry={list.reload} />
            ) : (
              <EmptyState
                title="No personalities"
                description="Create one to give chat a character of your own."
                action={<Button onClick={() => navigate('/personalities/new')}>Create personality</Button>}
              />
            )
          }
          columnDefinitions={[
            {
              id: 'name',
              header: 'Name',
              isRowHeader: true,
              cell: (item) => (
                <Link href={`/personalities/${item.id}`} onFollow={go(`/personalities/${item.id}`)}>
                  {item.emoji ? `${item.emoji} ` : ''}
                  {item.name}
                </Link>
              ),
            },
            { id: 'id', header: 'Id', cell: (item) => item.id },
            {
              id: 'source',
              header: 'Source',
              cell: (item) =>
                item.source === 'builtin'
                  ? 'Built-in'
                  : item.based_on
                    ? `Customised ${item.based_on}`
                    : 'Custom',
            },
            {
              id: 'active',
              header: 'Active',
              cell: (item) =>
                item.is_active ? (
                  <StatusIndicator type="success">Active</StatusIndicator>
                ) : (
                  <StatusIndicator type="stopped">Inactive</StatusIndicator>
                ),
            },
            {
              id: 'primary',
              header: 'Primary',
              cell: (item) =>
                item.id === primaryId ? (
                  <Badge color="blue">Primary</Badge>
                ) : (
                  <Box color="text-status-inactive">—</Box>
                ),
            },
            {
              id: 'voice',
              header: 'Voice provider',
              cell: (item) => (
                <Link
                  href={`/personalities/${item.id}/voice`}
                  onFollow={go(`/personalities/${item.id}/voice`)}
                  ariaLabel={`Voice of ${item.name}: ${item.voice_config?.provider ?? 'default'}`}
                >
                  {item.voice_config?.provider ?? 'Default'}
                </Link>
              ),
            },
            { id: 'version', header: 'Version', cell: (item) => item.version },
          ]}
        />
      </SpaceBetween>
      {deleting ? (
        <DeletePersonalityModal
          personality={deleting}
          onClose={() => setDeleting(undefined)}
          onDeleted={() => {
            notify({ type: 'success', content: `${deleting.name} was deleted.` });
            setDeleting(undefined);
            setSelectedId(undefined);
            list.reload();
          }}
        />
      ) : null}
    </>
  );
}
