// The system prompt the draft would give the chat model, built in the browser with the API's own pure builder.
import { useMemo } from 'react';
import Box from '@cloudscape-design/components/box';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import { buildSystemPrompt } from '../../../../functions/personalities/system-prompt.ts';
import { previewSource, type Draft } from './draft.ts';

export function PromptPreview({ draft }: { draft: Draft }) {
  const prompt = useMemo(() => buildSystemPrompt(previewSource(draft)), [draft]);
  return (
    <Container
      header={
        <Header variant="h2" description="Updates as you edit; this is what chat sends the model.">
          System prompt preview
        </Header>
      }
    >
      <section aria-label="System prompt preview">
        <Box variant="code">
          <pre
            style={{ whiteSpace: 'pre-wrap', margin: 0, fontFamily: 'inherit' }}
            data-testid="prompt-preview"
          >
            {prompt}
          </pre>
        </Box>
      </section>
    </Container>
  );
}
