// The traits: age, the enumerated choices as Selects and the 0–10 levels as Sliders.
import Container from '@cloudscape-design/components/container';
import FormField from '@cloudscape-design/components/form-field';
import Grid from '@cloudscape-design/components/grid';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import Select from '@cloudscape-design/components/select';
import Slider from '@cloudscape-design/components/slider';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { AGE_MAX, AGE_MIN, CHOICE_TRAITS, LEVEL_MAX, LEVEL_MIN, LEVEL_TRAITS } from './options.ts';
import type { Traits } from './types.ts';

const NOT_SET = { value: '', label: 'Not set' };
/** Where a slider rests while its level is not set: the middle, which says nothing either way. */
const UNSET_LEVEL = 5;

export function TraitsSection({
  traits,
  saved,
  ageProblem,
  onChange,
}: {
  traits: Traits;
  /** The traits as stored: a trait the API holds cannot be cleared by an update, so "Not set" is offered only before. */
  saved: Traits | undefined;
  ageProblem?: string;
  onChange(traits: Traits): void;
}) {
  const set = <K extends keyof Traits>(key: K, value: Traits[K] | undefined) => {
    const next = { ...traits };
    if (value === undefined) delete next[key];
    else next[key] = value;
    onChange(next);
  };
  const half = { colspan: { default: 12, xxs: 6 } };

  return (
    <Container
      header={
        <Header
          variant="h2"
          description="How the personality talks. Unset traits leave the prompt silent on them."
        >
          Traits
        </Header>
      }
    >
      <SpaceBetween size="l">
        <Grid gridDefinition={[half, ...CHOICE_TRAITS.map(() => half)]}>
          <FormField
            label="Age"
            constraintText={
              saved?.age === undefined
                ? `${AGE_MIN}–${AGE_MAX}; leave empty for none.`
                : `${AGE_MIN}–${AGE_MAX}; once set, an age can be changed but not removed.`
            }
            errorText={ageProblem}
          >
            <Input
              type="number"
              inputMode="numeric"
              value={traits.age === undefined ? '' : String(traits.age)}
              onChange={({ detail }) => set('age', detail.value === '' ? undefined : Number(detail.value))}
            />
          </FormField>
          {CHOICE_TRAITS.map(({ key, label, labels }) => {
            const options = Object.entries(labels).map(([value, text]) => ({ value, label: text }));
            const clearable = saved?.[key] === undefined;
            const value = traits[key];
            return (
              <FormField key={key} label={label}>
                <Select
                  selectedOption={
                    value === undefined
                      ? NOT_SET
                      : (options.find((option) => option.value === value) ?? NOT_SET)
                  }
                  onChange={({ detail }) =>
                    set(key, (detail.selectedOption.value || undefined) as Traits[typeof key] | undefined)
                  }
                  options={clearable ? [NOT_SET, ...options] : options}
                />
              </FormField>
            );
          })}
        </Grid>
        <Grid gridDefinition={LEVEL_TRAITS.map(() => ({ colspan: { default: 12, xs: 4 } }))}>
          {LEVEL_TRAITS.map(({ key, label, description }) => {
            const value = traits[key];
            return (
              <FormField
                key={key}
                label={label}
                description={description}
                constraintText={value === undefined ? 'Not set' : `${value} of ${LEVEL_MAX}`}
              >
                <Slider
                  min={LEVEL_MIN}
                  max={LEVEL_MAX}
                  step={1}
                  value={value ?? UNSET_LEVEL}
                  onChange={({ detail }) => set(key, detail.value)}
                  valueFormatter={(level) => String(level)}
                  referenceValues={[5]}
                />
              </FormField>
            );
          })}
        </Grid>
      </SpaceBetween>
    </Container>
  );
}
