// Local mode only: a dialog to sign in again as another tenant or role, to see the console as they would.
import { useState } from 'react';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import FormField from '@cloudscape-design/components/form-field';
import Input from '@cloudscape-design/components/input';
import Modal from '@cloudscape-design/components/modal';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useSession, type Role } from '../session.tsx';
import { errorMessage } from './PageState.tsx';

const TENANT_ID = /^[a-z0-9][a-z0-9-]{1,62}$/;
const ROLES = [
  { value: 'admin', label: 'admin' },
  { value: 'member', label: 'member' },
];

export function TenantSwitcher({ visible, onClose }: { visible: boolean; onClose(): void }) {
  const session = useSession();
  const [tenantId, setTenantId] = useState(session.tenantId);
  const [role, setRole] = useState<Role>(session.role);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const invalid = !TENANT_ID.test(tenantId);

  const submit = () => {
    if (invalid) return;
    setBusy(true);
    setError(undefined);
    session
      .switchTo(tenantId, role)
      .then(onClose)
      .catch((failure: unknown) => setError(errorMessage(failure)))
      .finally(() => setBusy(false));
  };

  return (
    <Modal
      visible={visible}
      onDismiss={onClose}
      header="Switch tenant"
      closeAriaLabel="Close"
      footer={
        <Box float="right">
          <SpaceBetween direction="horizontal" size="xs">
            <Button variant="link" onClick={onClose}>
              Cancel
            </Button>
            <Button variant="primary" onClick={submit} loading={busy} disabled={invalid}>
              Switch
            </Button>
          </SpaceBetween>
        </Box>
      }
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <SpaceBetween size="m">
          <Box variant="p">The local stack signs you in as any tenant; a new tenant starts empty.</Box>
          <FormField
            label="Tenant id"
            constraintText="2–63 lowercase letters, digits or hyphens."
            errorText={error ?? (tenantId && invalid ? 'Not a valid tenant id.' : undefined)}
          >
            <Input value={tenantId} onChange={({ detail }) => setTenantId(detail.value.trim())} autoFocus />
          </FormField>
          <FormField label="Role">
            <Select
              selectedOption={ROLES.find((option) => option.value === role) ?? null}
              onChange={({ detail }) => setRole(detail.selectedOption.value as Role)}
              options={ROLES}
            />
          </FormField>
        </SpaceBetween>
      </form>
    </Modal>
  );
}
