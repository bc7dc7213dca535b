// Which active personality answers: loading, error and empty states included.
import { useNavigate } from 'react-router-dom';
import Button from '@cloudscape-design/components/button';
import FormField from '@cloudscape-design/components/form-field';
import Select from '@cloudscape-design/components/select';
import { EmptyState, ErrorState } from '../../components/PageState.tsx';
import type { PersonalitySummary } from './types.ts';

interface Props {
  personalities: PersonalitySummary[] | undefined;
  loading: boolean;
  error: unknown;
  onRetry(): void;
  selectedId: string | undefined;
  onSelect(id: string): void;
  disabled: boolean;
}

const label = (personality: PersonalitySummary) =>
  personality.emoji ? `${personality.emoji} ${personality.name}` : personality.name;

export function PersonalityPicker({
  personalities,
  loading,
  error,
  onRetry,
  selectedId,
  onSelect,
  disabled,
}: Props) {
  const navigate = useNavigate();
  if (error) return <ErrorState error={error} onRetry={onRetry} />;
  if (!loading && personalities?.length === 0) {
    return (
      <EmptyState
        title="No active personalities"
        description="Activate a personality to chat with it."
        action={<Button onClick={() => navigate('/personalities')}>Manage personalities</Button>}
      />
    );
  }
  const options = (personalities ?? []).map((personality) => ({
    value: personality.id,
    label: label(personality),
    ...(personality.language ? { tags: [personality.language] } : {}),
  }));
  const selected = options.find((option) => option.value === selectedId) ?? null;
  return (
    <FormField label="Personality" description="Who answers the next message.">
      <Select
        selectedOption={selected}
        options={options}
        onChange={({ detail }) => {
          if (detail.selectedOption.value) onSelect(detail.selectedOption.value);
        }}
        statusType={loading ? 'loading' : 'finished'}
        loadingText="Loading personalities"
        placeholder={loading ? 'Loading personalities' : 'Choose a personality'}
        disabled={disabled || loading}
        empty="No active personalities"
      />
    </FormField>
  );
}
