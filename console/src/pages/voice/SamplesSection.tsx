// Recordings for a custom voice: dropped or chosen files are registered, sent straight to the bucket, then checked.
import { useState } from 'react';
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Container from '@cloudscape-design/components/container';
import ExpandableSection from '@cloudscape-design/components/expandable-section';
import FileDropzone from '@cloudscape-design/components/file-dropzone';
import FileInput from '@cloudscape-design/components/file-input';
import Header from '@cloudscape-design/components/header';
import ProgressBar from '@cloudscape-design/components/progress-bar';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { api } from '../../api.ts';
import { useNotify } from '../../components/Notifications.tsx';
import { ErrorState, errorMessage } from '../../components/PageState.tsx';
import {
  ACCEPT,
  clock,
  FILES_PER_REGISTRATION,
  fileSize,
  MAX_SAMPLE_BYTES,
  measureDuration,
  sampleContentType,
} from './format.ts';
import type { useSamples } from './hooks.ts';
import { SamplesTable, type SampleRow, type Upload } from './SamplesTable.tsx';
import { voicePath, type UploadAnswer } from './types.ts';
import { uploadToBucket } from './upload.ts';

const RECORDING_TIPS = [
  'Record one speaker only: 1 to 10 minutes in total, in files of at least 30 seconds each (5 seconds at the very least).',
  'Record in a quiet room, about a hand’s width from the microphone, without background music or other voices.',
  'Speak naturally, as the personality would talk to a customer, in the language it will speak.',
  'Keep the input level steady: loud enough to be clear, never so loud that it distorts.',
  'WAV, MP3, M4A, FLAC or OGG, at most 10 MB a file. Silence, noise, tones, music without speech, heavy clipping and very quiet recordings are rejected with a reason and a tip.',
];

let uploadCounter = 0;

interface Props {
  personalityId: string;
  samples: ReturnType<typeof useSamples>;
}

export function SamplesSection({ personalityId, samples }: Props) {
  const notify = useNotify();
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [deleting, setDeleting] = useState<string>();
  const [picked, setPicked] = useState<File[]>([]);

  const change = (key: string, patch: Partial<Upload>) =>
    setUploads((current) => current.map((upload) => (upload.key === key ? { ...upload, ...patch } : upload)));

  async function send(batch: Array<{ upload: Upload; file: File; contentType: string }>) {
    let answer: UploadAnswer;
    try {
      answer = await api<UploadAnswer>(`${voicePath(personalityId)}/upload`, {
        method: 'POST',
        body: {
          files: batch.map(({ file, contentType }) => ({
            name: file.name,
            content_type: contentType,
            size: file.size,
          })),
        },
      });
    } catch (error) {
      for (const { upload } of batch) change(upload.key, { state: 'failed', error: errorMessage(error) });
      return;
    }
    await samples.reload();
    await Promise.all(
      answer.samples.map(async (registered, index) => {
        const { upload, file } = batch[index]!;
        change(upload.key, { sampleId: registered.sample_id, state: 'uploading' });
        try {
          await uploadToBucket(registered.upload, file, (progress) => change(upload.key, { progress }));
          change(upload.key, { state: 'uploaded' });
        } catch (error) {
          change(upload.key, { state: 'failed', error: errorMessage(error) });
        }
        await samples.reload();
      }),
    );
  }

  function addFiles(files: File[]) {
    const accepted: Array<{ upload: Upload; file: File; contentType: string }> = [];
    const added: Upload[] = files.map((file) => {
      uploadCounter += 1;
      const upload: Upload = {
        key: `upload-${uploadCounter}`,
        fileName: file.name,
        size: file.size,
        progress: 0,
        state: 'registering',
      };
      const contentType = sampleContentType(file);
      if (!contentType)
        return { ...upload, state: 'failed', error: 'This is not an audio file the API takes.' };
      if (file.size === 0) return { ...upload, state: 'failed', error: 'This file is empty.' };
      if (file.size > MAX_SAMPLE_BYTES) {
        return {
          ...upload,
          state: 'failed',
          error: `This file is ${fileSize(file.size)}; the most is 10 MB.`,
        };
      }
      accepted.push({ upload, file, contentType });
      return upload;
    });
    setUploads((current) => [...current, ...added]);
    for (const { upload, file } of accepted) {
      void measureDuration(file).then(
        (duration) => duration !== undefined && change(upload.key, { duration }),
      );
    }
    for (let start = 0; start < accepted.length; start += FILES_PER_REGISTRATION) {
      void send(accepted.slice(start, start + FILES_PER_REGISTRATION));
    }
  }

  async function remove(row: SampleRow) {
    if (!row.sample) {
      setUploads((current) => current.filter((upload) => upload.key !== row.upload?.key));
      return;
    }
    setDeleting(row.key);
    try {
      await api<void>(`${voicePath(personalityId)}/samples/${encodeURIComponent(row.sample.id)}`, {
        method: 'DELETE',
      });
      setUploads((current) => current.filter((upload) => upload.sampleId !== row.sample?.id));
      await samples.reload();
      notify({ type: 'success', content: `${row.fileName} was deleted.` });
    } catch (error) {
      notify({ type: 'error', content: `${row.fileName} was not deleted: ${errorMessage(error)}` });
    } finally {
      setDeleting(undefined);
    }
  }

  // The API's samples, each with what this page is sending for it; then files the API does not know yet.
  const held = samples.data?.samples ?? [];
  const bySample = new Map(
    uploads.filter((upload) => upload.sampleId).map((upload) => [upload.sampleId!, upload]),
  );
  const rows: SampleRow[] = [
    ...held.map((sample) => ({
      key: sample.id,
      fileName: sample.file_name,
      sample,
      ...(bySample.has(sample.id) ? { upload: bySample.get(sample.id)! } : {}),
    })),
    ...uploads
      .filter((upload) => !upload.sampleId || !held.some((sample) => sample.id === upload.sampleId))
      .map((upload) => ({ key: upload.key, fileName: upload.fileName, upload })),
  ];

  const valid = samples.data?.valid_seconds ?? 0;
  const needed = samples.data?.needed_seconds ?? { min: 60, max: 600 };
  const validCount = held.filter((sample) => sample.status === 'valid').length;

  return (
    <Container
      header={
        <Header
          variant="h2"
          counter={samples.data ? `(${held.length})` : undefined}
          description="Recordings of one speaker to clone a custom voice from. Each is checked as it arrives."
        >
          Recordings
        </Header>
      }
    >
      <SpaceBetween size="l">
        <FileDropzone onChange={({ detail }) => addFiles(detail.value)}>
          <SpaceBetween size="xxs" alignItems="center">
            <Box color="inherit">Drop audio files here or</Box>
            <FileInput
              value={picked}
              multiple
              accept={ACCEPT}
              ariaLabel="Choose audio files"
              onChange={({ detail }) => {
                addFiles(detail.value);
                setPicked([]);
              }}
            >
              Choose audio files
            </FileInput>
          </SpaceBetween>
        </FileDropzone>
        <ProgressBar
          value={Math.min(100, (valid / needed.max) * 100)}
          label={`Valid recordings: ${clock(valid)} / ${clock(needed.max)}`}
          description={`${validCount} valid ${validCount === 1 ? 'file' : 'files'}; a voice needs at least ${clock(needed.min)} and is trained on at most ${clock(needed.max)}.`}
          additionalInfo={
            valid < needed.min
              ? `${clock(needed.min - valid)} more to go before training.`
              : 'Enough to train a voice.'
          }
        />
        {samples.error ? <ErrorState error={samples.error} onRetry={() => void samples.reload()} /> : null}
        <SamplesTable
          rows={rows}
          loading={samples.loading && !samples.data}
          deleting={deleting}
          onDelete={remove}
        />
        {uploads.some((upload) => upload.state === 'failed') ? (
          <Alert type="info">
            Files that were not uploaded can be removed from the list and chosen again.
          </Alert>
        ) : null}
        <ExpandableSection headerText="Recording tips" variant="footer">
          <ul>
            {RECORDING_TIPS.map((tip) => (
              <li key={tip}>{tip}</li>
            ))}
          </ul>
        </ExpandableSection>
      </SpaceBetween>
    </Container>
  );
}
