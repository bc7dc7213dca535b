// The personality document: its traits, phrase banks and voice configuration, as the API accepts and returns it.
import * as z from 'zod';

/** Ids are lowercase slugs; anything else cannot name a personality and is answered with 404. */
export const PersonalityId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be a lowercase slug of letters, digits and hyphens')
  .describe('Personality id, a lowercase slug such as "marcel"');

const level = (what: string) =>
  z.int().min(0).max(10).describe(`${what}, from 0 (none) to 10 (as much as possible)`);

export const Gender = z.enum(['male', 'female', 'non-binary']);
export const CommunicationStyle = z.enum([
  'casual',
  'friendly',
  'professional',
  'enthusiastic',
  'laid-back',
  'sophisticated',
]);
export const KnowledgeLevel = z.enum(['beginner', 'intermediate', 'expert']);
export const HumorStyle = z.enum(['none', 'dry', 'playful', 'witty', 'goofy']);
export const ResponseLength = z.enum(['short', 'medium', 'long']);
export const SalesApproach = z.enum(['soft', 'consultative', 'enthusiastic', 'direct']);
export const Formality = z.enum(['casual', 'neutral', 'formal']);

export const Traits = z
  .strictObject({
    age: z.int().min(18).max(120).optional(),
    gender: Gender.optional(),
    communication_style: CommunicationStyle.optional(),
    knowledge_level: KnowledgeLevel.optional(),
    humor_style: HumorStyle.optional(),
    humor_level: level('How often humour shows').optional(),
    empathy_level: level('How much warmth and reassurance the replies carry').optional(),
    response_length: ResponseLength.optional(),
    jargon_level: level('How much trade vocabulary the replies use').optional(),
    sales_approach: SalesApproach.optional(),
    formality: Formality.optional(),
  })
  .meta({ id: 'Traits' });
export type Traits = z.infer<typeof Traits>;

const phraseBank = z.array(z.string().trim().min(1).max(300)).max(50);

export const ResponseStyle = z
  .strictObject({
    opening_phrases: phraseBank.optional(),
    product_transitions: phraseBank.optional(),
    closing_phrases: phraseBank.optional(),
  })
  .meta({ id: 'ResponseStyle' });
export type ResponseStyle = z.infer<typeof ResponseStyle>;

export const TtsProviderName = z.enum(['elevenlabs', 'google', 'polly', 'openai', 'local']);

/**
 * Provider-specific tuning; each provider reads the fields it understands. These bounds are the widest any provider
 * takes; the voice routes check the tighter ranges of the provider that speaks (providers/tts/setting-ranges.ts).
 */
export const VoiceSettings = z
  .strictObject({
    stability: z.number().min(0).max(1).optional(),
    similarity_boost: z.number().min(0).max(1).optional(),
    style: z.number().min(0).max(1).optional(),
    use_speaker_boost: z.boolean().optional(),
    speed: z.number().min(0.25).max(4).optional(),
    pitch: z.number().min(-20).max(20).optional(),
    speaking_rate: z.number().min(0.2).max(4).optional(),
  })
  .meta({ id: 'VoiceSettings' });

export const VoiceFallback = z.strictObject({
  provider: TtsProviderName,
  voice_id: z.string().trim().min(1).max(200),
});

export const VoiceStatus = z.enum(['none', 'training', 'ready', 'failed']);

/** What a client may set; status, sample keys and creation time belong to the cloning workflow. */
export const VoiceConfigInput = z
  .strictObject({
    provider: TtsProviderName,
    voice_id: z.string().trim().min(1).max(200),
    voice_name: z.string().trim().min(1).max(200).optional(),
    model: z.string().trim().min(1).max(100).optional(),
    language: z.string().trim().min(2).max(35).optional(),
    settings: VoiceSettings.optional(),
    fallback: VoiceFallback.optional(),
  })
  .meta({ id: 'VoiceConfigInput' });

export const VoiceConfig = VoiceConfigInput.extend({
  status: VoiceStatus,
  created_at: z.iso.datetime().optional(),
  sample_keys: z.array(z.string()).optional(),
}).meta({ id: 'VoiceConfig' });
export type VoiceConfig = z.infer<typeof VoiceConfig>;

const editableFields = {
  name: z.string().trim().min(1).max(80),
  traits: Traits,
  response_style: ResponseStyle,
  system_prompt: z.string().max(8000),
  emoji: z.string().max(16),
  language: z
    .string()
    .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a BCP 47 language tag such as "en-US"'),
  is_active: z.boolean(),
};

export const PersonalityCreate = z
  .strictObject({
    ...editableFields,
    traits: Traits.default({}),
    response_style: ResponseStyle.default({}),
    system_prompt: editableFields.system_prompt.optional(),
    emoji: editableFields.emoji.optional(),
    language: editableFields.language.default('en-US'),
    is_active: editableFields.is_active.default(true),
    voice_config: VoiceConfigInput.optional(),
  })
  .meta({ id: 'PersonalityCreate' });
export type PersonalityCreate = z.infer<typeof PersonalityCreate>;

/**
 * An update sends only the fields it changes; `traits` and `response_style` merge key by key.
 * `version` is the version the client read (or send it as `If-Match`); a stale one is refused.
 */
export const PersonalityUpdate = z
  .strictObject({
    name: editableFields.name.optional(),
    traits: Traits.optional(),
    response_style: ResponseStyle.optional(),
    system_prompt: editableFields.system_prompt.optional(),
    emoji: editableFields.emoji.optional(),
    language: editableFields.language.optional(),
    is_active: editableFields.is_active.optional(),
    voice_config: VoiceConfigInput.optional(),
    version: z.int().min(0).optional(),
  })
  .meta({ id: 'PersonalityUpdate' });
export type PersonalityUpdate = z.infer<typeof PersonalityUpdate>;

export const Personality = z
  .object({
    id: PersonalityId,
    name: z.string(),
    source: z
      .enum(['builtin', 'tenant'])
      .describe('builtin: shipped with the product; tenant: created or customised'),
    based_on: PersonalityId.optional().describe('The built-in this tenant copy customises'),
    traits: Traits,
    response_style: ResponseStyle,
    system_prompt: z.string().optional(),
    emoji: z.string().optional(),
    language: z.string(),
    is_active: z.boolean(),
    voice_config: VoiceConfig.optional(),
    version: z.int().min(0).describe('0 for an uncustomised built-in; send it back to update'),
    created_at: z.string().optional(),
    updated_at: z.string().optional(),
  })
  .meta({ id: 'Personality' });
export type Personality = z.infer<typeof Personality>;

export const PersonalityList = z.object({ personalities: z.array(Personality) });

export const PersonalityParams = z.strictObject({ id: PersonalityId });

/** What a tenant's app needs for a personality picker. */
export const PersonalitySummary = Personality.pick({ id: true, name: true, emoji: true, language: true });
export const PersonalitySummaryList = z.object({ personalities: z.array(PersonalitySummary) });
