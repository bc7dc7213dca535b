// Confirms deleting the custom voice: at the provider too, and the personality goes back to its previous voice.
import { useState } from 'react';
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Modal from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { api } from '../../api.ts';
import { useNotify } from '../../components/Notifications.tsx';
import { errorMessage } from '../../components/PageState.tsx';
import { voicePath, type Personality } from './types.ts';

interface Props {
  personality: Personality;
  voiceId: string;
  onDismiss(): void;
  onDeleted(): void;
}

export function DeleteVoiceModal({ personality, voiceId, onDismiss, onDeleted }: Props) {
  const notify = useNotify();
  const [deleting, setDeleting] = useState(false);
  const [failure, setFailure] = useState<unknown>();

  async function remove() {
    setDeleting(true);
    setFailure(undefined);
    try {
      await api(voicePath(personality.id), { method: 'DELETE' });
      notify({ type: 'success', content: `The custom voice of ${personality.name} was deleted.` });
      onDeleted();
    } catch (error) {
      setFailure(error);
      setDeleting(false);
    }
  }

  return (
    <Modal
      visible
      onDismiss={onDismiss}
      header="Delete the custom voice?"
      closeAriaLabel="Close"
      footer={
        <Box float="right">
          <SpaceBetween direction="horizontal" size="xs">
            <Button variant="link" onClick={onDismiss} disabled={deleting}>
              Cancel
            </Button>
            <Button variant="primary" onClick={remove} loading={deleting}>
              Delete voice
            </Button>
          </SpaceBetween>
        </Box>
      }
    >
      <SpaceBetween size="m">
        <Box>
          The custom voice <b>{voiceId}</b> of {personality.name} will be deleted at its provider, and{' '}
          {personality.name} will speak with the voice it had before it was trained. This cannot be undone;
          the recordings are kept as long as the tenant’s retention setting says.
        </Box>
        {failure ? (
          <Alert type="error" header="The voice was not deleted">
            {errorMessage(failure)}
          </Alert>
        ) : null}
      </SpaceBetween>
    </Modal>
  );
}
