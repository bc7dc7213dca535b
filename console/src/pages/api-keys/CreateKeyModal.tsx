// Asks for a new API key's name and creates it; the caller shows the secret the answer carries.
import { useState } from 'react';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Input from '@cloudscape-design/components/input';
import Modal from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { api } from '../../api.ts';
import { errorMessage } from '../../components/PageState.tsx';
import type { ApiKeyCreated } from './types.ts';

const MAX_NAME = 100;

export function CreateKeyModal({
  onCreated,
  onClose,
}: {
  onCreated: (key: ApiKeyCreated) => void;
  onClose: () => void;
}) {
  const [name, setName] = useState('');
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);

  const create = async () => {
    const trimmed = name.trim();
    if (!trimmed) return setProblem('Name the key after the app that will use it.');
    if (trimmed.length > MAX_NAME) return setProblem(`At most ${MAX_NAME} characters.`);
    setBusy(true);
    setProblem(undefined);
    try {
      onCreated(await api<ApiKeyCreated>('/api/admin/api-keys', { method: 'POST', body: { name: trimmed } }));
      onClose();
    } catch (failure) {
      setProblem(errorMessage(failure));
      setBusy(false);
    }
  };

  return (
    <Modal
      visible
      header="Create API key"
      closeAriaLabel="Close"
      onDismiss={() => (busy ? undefined : onClose())}
      footer={
        <Box float="right">
          <SpaceBetween direction="horizontal" size="xs">
            <Button variant="link" onClick={onClose} disabled={busy}>
              Cancel
            </Button>
            <Button variant="primary" onClick={() => void create()} loading={busy}>
              Create
            </Button>
          </SpaceBetween>
        </Box>
      }
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void create();
        }}
      >
        <Form>
          <FormField
            label="Name"
            description="What the key is for, e.g. shop website. Apps send the key as the x-api-key header."
            errorText={problem}
            constraintText={`${name.trim().length}/${MAX_NAME} characters`}
          >
            <Input
              value={name}
              onChange={({ detail }) => setName(detail.value)}
              placeholder="shop website"
              autoFocus
              disabled={busy}
            />
          </FormField>
        </Form>
      </form>
    </Modal>
  );
}
