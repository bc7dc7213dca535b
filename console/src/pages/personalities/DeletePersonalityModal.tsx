// Confirms deleting one of the tenant's personalities; the version read is sent so a changed one is not deleted blind.
import { useState } from 'react';
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Modal from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { api } from '../../api.ts';
import { errorMessage } from '../../components/PageState.tsx';
import { personalityPath, type Personality } from './types.ts';

export function DeletePersonalityModal({
  personality,
  onClose,
  onDeleted,
}: {
  personality: Personality;
  onClose(): void;
  onDeleted(): void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const confirm = () => {
    setBusy(true);
    setError(undefined);
    api<void>(personalityPath(personality.id), {
      method: 'DELETE',
      headers: { 'if-match': `"${personality.version}"` },
    })
      .then(onDeleted)
      .catch((failure: unknown) => setError(errorMessage(failure)))
      .finally(() => setBusy(false));
  };

  return (
    <Modal
      visible
      onDismiss={onClose}
      closeAriaLabel="Close"
      header={`Delete ${personality.name}?`}
      footer={
        <Box float="right">
          <SpaceBetween direction="horizontal" size="xs">
            <Button variant="link" onClick={onClose}>
              Cancel
            </Button>
            <Button variant="primary" onClick={confirm} loading={busy}>
              Delete
            </Button>
          </SpaceBetween>
        </Box>
      }
    >
      <SpaceBetween size="m">
        <Box variant="p">
          The personality <b>{personality.name}</b> ({personality.id}) and its voice settings are deleted for
          good. Chats that name it will fail.
        </Box>
        {error ? <Alert type="error">{error}</Alert> : null}
      </SpaceBetween>
    </Modal>
  );
}
