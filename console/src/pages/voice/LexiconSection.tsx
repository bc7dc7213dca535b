// The personality's pronunciation lexicon: words with how to say them (an alias, or a phoneme string), saved whole.
import { useEffect, useState } from 'react';
import Alert from '@cloudscape-design/components/alert';
import AttributeEditor from '@cloudscape-design/components/attribute-editor';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { api } from '../../api.ts';
import { useNotify } from '../../components/Notifications.tsx';
import { ErrorState, errorMessage, LoadingState } from '../../components/PageState.tsx';
import { useApi } from '../../components/useApi.ts';
import { voicePath, type Lexicon, type PronunciationEntry } from './types.ts';

interface Row {
  key: number;
  grapheme: string;
  alias: string;
  phoneme: string;
  alphabet: 'ipa' | 'x-sampa';
  case_sensitive?: boolean;
}

const MAX_ENTRIES = 500;
const ALPHABETS = [
  { value: 'ipa', label: 'IPA' },
  { value: 'x-sampa', label: 'X-SAMPA' },
];

const fromEntry = (entry: Partial<PronunciationEntry>, key: number): Row => ({
  key,
  grapheme: entry.grapheme ?? '',
  alias: entry.alias ?? '',
  phoneme: entry.phoneme ?? '',
  alphabet: entry.alphabet ?? 'ipa',
  ...(entry.case_sensitive !== undefined ? { case_sensitive: entry.case_sensitive } : {}),
});

let rowCounter = 0;
const toRow = (entry: Partial<PronunciationEntry> = {}): Row => fromEntry(entry, ++rowCounter);

function toEntry(row: Row): PronunciationEntry {
  const alias = row.alias.trim();
  const phoneme = row.phoneme.trim();
  return {
    grapheme: row.grapheme.trim(),
    ...(alias ? { alias } : {}),
    ...(phoneme ? { phoneme, alphabet: row.alphabet } : {}),
    ...(row.case_sensitive !== undefined ? { case_sensitive: row.case_sensitive } : {}),
  };
}

function rowProblem(row: Row): { grapheme?: string; saying?: string } {
  return {
    ...(row.grapheme.trim() ? {} : { grapheme: 'Enter the word as it is written.' }),
    ...(row.alias.trim() || row.phoneme.trim()
      ? {}
      : { saying: 'Enter an alias, a phoneme string, or both.' }),
  };
}

export function LexiconSection({ personalityId }: { personalityId: string }) {
  const notify = useNotify();
  const loaded = useApi<Lexicon>(`${voicePath(personalityId)}/pronunciations`);
  const [lexicon, setLexicon] = useState<Lexicon>();
  const [rows, setRows] = useState<Row[]>([]);
  const [submitted, setSubmitted] = useState(false);
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<unknown>();

  useEffect(() => {
    if (!loaded.data) return;
    setLexicon(loaded.data);
    setRows(loaded.data.entries.map((entry) => toRow(entry)));
    setSubmitted(false);
  }, [loaded.data]);

  const change = (key: number, patch: Partial<Row>) =>
    setRows((current) => current.map((row) => (row.key === key ? { ...row, ...patch } : row)));
  const changed =
    !!lexicon &&
    JSON.stringify(rows.map(toEntry)) !==
      JSON.stringify(lexicon.entries.map((entry) => toEntry(fromEntry(entry, 0))));

  async function save() {
    setSubmitted(true);
    setFailure(undefined);
    if (!lexicon || rows.some((row) => Object.keys(rowProblem(row)).length)) return;
    setSaving(true);
    try {
      const saved = await api<Lexicon>(`${voicePath(personalityId)}/pronunciations`, {
        method: 'PUT',
        body: { entries: rows.map(toEntry), version: lexicon.version },
      });
      setLexicon(saved);
      setRows(saved.entries.map((entry) => toRow(entry)));
      setSubmitted(false);
      notify({
        type: 'success',
        content: `Saved ${saved.entries.length} ${saved.entries.length === 1 ? 'pronunciation' : 'pronunciations'}.`,
      });
    } catch (error) {
      setFailure(error);
    } finally {
      setSaving(false);
    }
  }

  const shown = (message: string | undefined) => (submitted ? message : undefined);
  return (
    <Container
      header={
        <Header
          variant="h2"
          counter={lexicon ? `(${lexicon.entries.length})` : undefined}
          description="How to say names and words the voice gets wrong. An alias is spoken by every provider; a phoneme string is used where the provider supports it. These entries override the tenant’s for the same word."
          actions={
            lexicon ? (
              <SpaceBetween direction="horizontal" size="xs">
                <Button
                  onClick={() => setRows(lexicon.entries.map((entry) => toRow(entry)))}
                  disabled={!changed}
                >
                  Discard changes
                </Button>
                <Button variant="primary" onClick={save} loading={saving} disabled={!changed}>
                  Save pronunciations
                </Button>
              </SpaceBetween>
            ) : undefined
          }
        >
          Pronunciations
        </Header>
      }
    >
      {loaded.error && !lexicon ? (
        <ErrorState error={loaded.error} onRetry={loaded.reload} />
      ) : !lexicon ? (
        <LoadingState label="Loading pronunciations" />
      ) : (
        <SpaceBetween size="m">
          <AttributeEditor<Row>
            items={rows}
            onAddButtonClick={() => setRows((current) => [...current, toRow()])}
            onRemoveButtonClick={({ detail }) =>
              setRows((current) => current.filter((_, index) => index !== detail.itemIndex))
            }
            addButtonText="Add pronunciation"
            removeButtonText="Remove"
            removeButtonAriaLabel={(row) => `Remove ${row.grapheme || 'the new pronunciation'}`}
            disableAddButton={rows.length >= MAX_ENTRIES}
            additionalInfo={`${rows.length} of ${MAX_ENTRIES} entries.`}
            empty="No pronunciations yet: the voice says every word as its provider reads it."
            definition={[
              {
                label: 'Word',
                errorText: (row) => shown(rowProblem(row).grapheme),
                control: (row) => (
                  <Input
                    value={row.grapheme}
                    placeholder="Sativa"
                    onChange={({ detail }) => change(row.key, { grapheme: detail.value })}
                  />
                ),
              },
              {
                label: 'Say it as (alias)',
                errorText: (row) => shown(rowProblem(row).saying),
                control: (row) => (
                  <Input
                    value={row.alias}
                    placeholder="sah-TEE-vah"
                    onChange={({ detail }) => change(row.key, { alias: detail.value })}
                  />
                ),
              },
              {
                label: 'Phoneme',
                control: (row) => (
                  <Input
                    value={row.phoneme}
                    placeholder="səˈtiːvə"
                    onChange={({ detail }) => change(row.key, { phoneme: detail.value })}
                  />
                ),
              },
              {
                label: 'Alphabet',
                control: (row) => (
                  <Select
                    selectedOption={ALPHABETS.find((option) => option.value === row.alphabet) ?? null}
                    onChange={({ detail }) =>
                      change(row.key, { alphabet: detail.selectedOption.value as Row['alphabet'] })
                    }
                    options={ALPHABETS}
                  />
                ),
              },
            ]}
          />
          {failure ? (
            <Alert type="error" header="The pronunciations were not saved">
              {errorMessage(failure)}
            </Alert>
          ) : null}
        </SpaceBetween>
      )}
    </Container>
  );
}
