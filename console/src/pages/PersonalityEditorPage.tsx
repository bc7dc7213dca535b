// Creates or edits a personality: details, traits, phrase banks and custom prompt, with a live system prompt preview.
import { useEffect, useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import Alert from '@cloudscape-design/components/alert';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Grid from '@cloudscape-design/components/grid';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Textarea from '@cloudscape-design/components/textarea';
import Toggle from '@cloudscape-design/components/toggle';
import { api, ApiError } from '../api.ts';
import { useNotify } from '../components/Notifications.tsx';
import { ErrorState, LoadingState, errorMessage } from '../components/PageState.tsx';
import { useApi } from '../components/useApi.ts';
import {
  createBody,
  draftOf,
  EMPTY_DRAFT,
  hasChanges,
  problemsOf,
  updateBody,
  type Draft,
} from './personalities/draft.ts';
import { MAX_EMOJI_LENGTH, MAX_NAME_LENGTH, MAX_PROMPT_LENGTH } from './personalities/options.ts';
import { PhraseBanksSection } from './personalities/PhraseBanksSection.tsx';
import { PromptPreview } from './personalities/PromptPreview.tsx';
import { TraitsSection } from './personalities/TraitsSection.tsx';
import { PERSONALITIES_PATH, personalityPath, type Personality } from './personalities/types.ts';

export default function PersonalityEditorPage() {
  const { id } = useParams();
  const creating = id === undefined;
  const navigate = useNavigate();
  const notify = useNotify();
  const loaded = useApi<Personality>(creating ? null : personalityPath(id));
  const saved = loaded.data;
  const [draft, setDraft] = useState<Draft>(EMPTY_DRAFT);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<unknown>();
  const [showProblems, setShowProblems] = useState(false);

  // A fresh read (first load, or reload after a conflict) replaces the working copy.
  useEffect(() => {
    setDraft(saved ? draftOf(saved) : EMPTY_DRAFT);
    setSaveError(undefined);
  }, [saved]);

  const problems = useMemo(() => problemsOf(draft), [draft]);
  const shown = showProblems ? problems : {};
  const change = saved ? updateBody(draft, saved) : undefined;
  const conflict = saveError instanceof ApiError && saveError.status === 409;
  const edit = (fields: Partial<Draft>) => setDraft((current) => ({ ...current, ...fields }));

  const save = () => {
    if (Object.keys(problems).length > 0) {
      setShowProblems(true);
      return;
    }
    setSaving(true);
    setSaveError(undefined);
    const request = saved
      ? api<Personality>(personalityPath(saved.id), {
          method: 'PUT',
          body: change,
          headers: { 'if-match': `"${saved.version}"` },
        })
      : api<Personality>(PERSONALITIES_PATH, { method: 'POST', body: createBody(draft) });
    request
      .then((personality) => {
        notify({
          type: 'success',
          content: saved
            ? `${personality.name} was saved (version ${personality.version}).`
            : `${personality.name} was created.`,
        });
        if (saved) loaded.reload();
        else navigate(`/personalities/${personality.id}`, { replace: true });
      })
      .catch(setSaveError)
      .finally(() => setSaving(false));
  };

  if (!creating && loaded.error) {
    return (
      <ContentLayout header={<Header variant="h1">Personality {id}</Header>}>
        <ErrorState error={loaded.error} onRetry={loaded.reload} />
      </ContentLayout>
    );
  }
  if (!creating && !saved) return <LoadingState label="Loading personality" />;

  const title = saved ? `${saved.emoji ? `${saved.emoji} ` : ''}${saved.name}` : 'Create personality';
  const voicePath = saved ? `/personalities/${saved.id}/voice` : undefined;

  return (
    <ContentLayout
      header={
        <Header
          variant="h1"
          description={
            saved
              ? `${saved.id} · version ${saved.version}${saved.source === 'builtin' ? ' · built-in: saving makes your own copy' : ''}`
              : 'A personality gives chat a character: who it is, how it talks, and what it says.'
          }
          actions={
            voicePath ? (
              <Button
                href={voicePath}
                onFollow={(event) => {
                  event.preventDefault();
                  navigate(voicePath);
                }}
              >
                Voice
              </Button>
            ) : undefined
          }
        >
          {title}
        </Header>
      }
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          save();
        }}
      >
        <Form
          actions={
            <SpaceBetween direction="horizontal" size="xs">
              <Button formAction="none" variant="link" onClick={() => navigate('/personalities')}>
                Cancel
              </Button>
              <Button
                variant="primary"
                loading={saving}
                disabled={Boolean(change && !hasChanges(change))}
                disabledReason="Nothing has changed yet."
              >
                {saved ? 'Save changes' : 'Create personality'}
              </Button>
            </SpaceBetween>
          }
          errorText={
            saveError && !conflict
              ? errorMessage(saveError)
              : showProblems && Object.keys(problems).length > 0
                ? 'Fix the fields marked below.'
                : undefined
          }
        >
          <SpaceBetween size="l">
            {conflict ? (
              <Alert
                type="warning"
                header="Changed elsewhere, reload"
                action={
                  <Button formAction="none" onClick={loaded.reload}>
                    Reload
                  </Button>
                }
              >
                Someone saved this personality after you opened it. Reload to see their version; your unsaved
                edits here will be replaced.
              </Alert>
            ) : null}
            <Grid gridDefinition={[{ colspan: { default: 12, s: 7 } }, { colspan: { default: 12, s: 5 } }]}>
              <SpaceBetween size="l">
                <Container header={<Header variant="h2">Details</Header>}>
                  <SpaceBetween size="m">
                    <FormField
                      label="Name"
                      constraintText={`At most ${MAX_NAME_LENGTH} characters.`}
                      errorText={shown.name}
                    >
                      <Input value={draft.name} onChange={({ detail }) => edit({ name: detail.value })} />
                    </FormField>
                    <FormField
                      label="Language"
                      description="The language chat replies in, as a BCP 47 tag."
                      errorText={shown.language}
                    >
                      <Input
                        value={draft.language}
                        onChange={({ detail }) => edit({ language: detail.value })}
                      />
                    </FormField>
                    <FormField
                      label="Emoji"
                      constraintText={`Optional; at most ${MAX_EMOJI_LENGTH} characters.`}
                      errorText={shown.emoji}
                    >
                      <Input value={draft.emoji} onChange={({ detail }) => edit({ emoji: detail.value })} />
                    </FormField>
                    <FormField
                      label="Active"
                      description="Inactive personalities are hidden from tenant apps."
                    >
                      <Toggle
                        checked={draft.is_active}
                        onChange={({ detail }) => edit({ is_active: detail.checked })}
                      >
                        {draft.is_active ? 'Active' : 'Inactive'}
                      </Toggle>
                    </FormField>
                  </SpaceBetween>
                </Container>
                <TraitsSection
                  traits={draft.traits}
                  saved={saved?.traits}
                  {...(shown.age ? { ageProblem: shown.age } : {})}
                  onChange={(traits) => edit({ traits })}
                />
                <PhraseBanksSection
                  draft={draft}
                  problems={shown}
                  onChange={(bank, phrases) => edit({ [bank]: phrases })}
                />
                <Container header={<Header variant="h2">Custom prompt</Header>}>
                  <FormField
                    label="Custom instructions"
                    description="Added to the built prompt under its own heading."
                    constraintText={`${draft.system_prompt.length} of ${MAX_PROMPT_LENGTH} characters.`}
                    errorText={shown.system_prompt}
                    stretch
                  >
                    <Textarea
                      value={draft.system_prompt}
                      rows={8}
                      onChange={({ detail }) => edit({ system_prompt: detail.value })}
                    />
                  </FormField>
                </Container>
              </SpaceBetween>
              {/* Stays in view beside the fields it reflects while the form scrolls. */}
              <div style={{ position: 'sticky', top: 72 }}>
                <PromptPreview draft={draft} />
              </div>
            </Grid>
          </SpaceBetween>
        </Form>
      </form>
    </ContentLayout>
  );
}
