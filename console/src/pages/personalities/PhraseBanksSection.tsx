// The phrase banks (openings, product transitions, closings): an editable list of phrases each.
import AttributeEditor from '@cloudscape-design/components/attribute-editor';
import Container from '@cloudscape-design/components/container';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import SpaceBetween from '@cloudscape-design/components/space-between';
import type { Draft, PhraseBank, Problems } from './draft.ts';
import { MAX_PHRASE_LENGTH, MAX_PHRASES, PHRASE_BANKS } from './options.ts';

/** One phrase with its place, so two equal phrases stay two rows. */
interface Row {
  text: string;
  index: number;
}

export function PhraseBanksSection({
  draft,
  problems,
  onChange,
}: {
  draft: Draft;
  problems: Problems;
  onChange(bank: PhraseBank, phrases: string[]): void;
}) {
  return (
    <Container
      header={
        <Header
          variant="h2"
          description="Examples the personality draws on; it varies them rather than repeating them word for word."
        >
          Phrase banks
        </Header>
      }
    >
      <SpaceBetween size="l">
        {PHRASE_BANKS.map(({ key, label, description }) => {
          const phrases = draft[key];
          return (
            <FormField key={key} label={label} description={description} errorText={problems[key]} stretch>
              <AttributeEditor<Row>
                items={phrases.map((text, index) => ({ text, index }))}
                definition={[
                  {
                    label: 'Phrase',
                    control: ({ text, index }) => (
                      <Input
                        value={text}
                        ariaLabel={`${label}, phrase ${index + 1}`}
                        onChange={({ detail }) =>
                          onChange(
                            key,
                            phrases.map((old, at) => (at === index ? detail.value : old)),
                          )
                        }
                        invalid={text.trim().length > MAX_PHRASE_LENGTH}
                      />
                    ),
                  },
                ]}
                addButtonText={`Add ${label.toLowerCase().replace(/s$/, '')}`}
                onAddButtonClick={() => onChange(key, [...phrases, ''])}
                disableAddButton={phrases.length >= MAX_PHRASES}
                removeButtonText="Remove"
                removeButtonAriaLabel={({ index }) => `Remove ${label.toLowerCase()} phrase ${index + 1}`}
                onRemoveButtonClick={({ detail }) =>
                  onChange(
                    key,
                    phrases.filter((_old, at) => at !== detail.itemIndex),
                  )
                }
                empty={`No ${label.toLowerCase()} yet.`}
                additionalInfo={`${phrases.length} of at most ${MAX_PHRASES}.`}
              />
            </FormField>
          );
        })}
      </SpaceBetween>
    </Container>
  );
}
