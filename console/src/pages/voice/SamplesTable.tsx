// The recordings, uploading and uploaded: progress, length, size, the validator's verdict and report, delete.
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Popover from '@cloudscape-design/components/popover';
import ProgressBar from '@cloudscape-design/components/progress-bar';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import { EmptyState } from '../../components/PageState.tsx';
import { clock, fileSize, QUALITY_FIGURES } from './format.ts';
import type { Sample, SampleReason } from './types.ts';

/** A file this page is sending, before or while the API knows it as a sample. */
export interface Upload {
  key: string;
  fileName: string;
  size: number;
  duration?: number;
  sampleId?: string;
  progress: number;
  state: 'registering' | 'uploading' | 'uploaded' | 'failed';
  error?: string;
}

/** One line of the table: a sample the API holds, what this page is sending for it, or both. */
export interface SampleRow {
  key: string;
  fileName: string;
  sample?: Sample;
  upload?: Upload;
}

/** A registered sample still waiting for its bytes after its form expired will not get them. */
const UPLOAD_FORM_MS = 10 * 60 * 1000;

function Reasons({ reasons, kind }: { reasons: SampleReason[]; kind: 'reason' | 'note' }) {
  return (
    <SpaceBetween size="xxs">
      {reasons.map((reason) => (
        <Box
          key={reason.code}
          fontSize="body-s"
          color={kind === 'reason' ? 'text-status-error' : 'text-body-secondary'}
        >
          {reason.message}{' '}
          <Box variant="span" fontSize="body-s" color="text-body-secondary">
            Tip: {reason.tip}
          </Box>
        </Box>
      ))}
    </SpaceBetween>
  );
}

function Status({ row }: { row: SampleRow }) {
  const { sample, upload } = row;
  if (upload?.state === 'failed') {
    return (
      <SpaceBetween size="xxs">
        <StatusIndicator type="error">Not uploaded</StatusIndicator>
        <Box fontSize="body-s" color="text-status-error">
          {upload.error}
        </Box>
      </SpaceBetween>
    );
  }
  if (upload?.state === 'registering') return <StatusIndicator type="pending">Registering</StatusIndicator>;
  if (upload?.state === 'uploading') {
    return (
      <ProgressBar value={upload.progress} ariaLabel={`Upload of ${row.fileName}`} description="Uploading" />
    );
  }
  if (!sample || sample.status === 'pending') {
    const abandoned = sample && !upload && Date.now() - Date.parse(sample.created_at) > UPLOAD_FORM_MS;
    return abandoned ? (
      <StatusIndicator type="warning">The upload never arrived; delete it and upload again</StatusIndicator>
    ) : (
      <StatusIndicator type="loading">
        {upload ? 'Uploaded, checking' : 'Waiting for the upload'}
      </StatusIndicator>
    );
  }
  const reasons = sample.report?.reasons ?? [];
  if (sample.status === 'rejected') {
    return (
      <SpaceBetween size="xxs">
        <StatusIndicator type="error">Rejected</StatusIndicator>
        <Reasons reasons={reasons} kind="reason" />
      </SpaceBetween>
    );
  }
  return (
    <SpaceBetween size="xxs">
      <StatusIndicator type="success">Valid</StatusIndicator>
      {reasons.length ? <Reasons reasons={reasons} kind="note" /> : null}
    </SpaceBetween>
  );
}

function Report({ sample }: { sample: Sample }) {
  const report = sample.report;
  if (!report) return <Box color="text-body-secondary">—</Box>;
  const figures = QUALITY_FIGURES.filter((figure) => report.quality?.[figure.key] !== undefined);
  return (
    <Popover
      header={`Quality of ${sample.file_name}`}
      size="large"
      triggerType="custom"
      content={
        <SpaceBetween size="s">
          <ColumnLayout columns={2} variant="text-grid">
            <div>
              <Box variant="awsui-key-label">Format</Box>
              <div>
                {report.format?.toUpperCase() ?? 'unknown'}
                {report.sample_rate ? `, ${report.sample_rate / 1000} kHz` : ''}
                {report.channels ? `, ${report.channels === 1 ? 'mono' : `${report.channels} channels`}` : ''}
              </div>
            </div>
            {figures.map((figure) => (
              <div key={figure.key}>
                <Box variant="awsui-key-label">{figure.label}</Box>
                <div>{figure.show(report.quality![figure.key]!)}</div>
              </div>
            ))}
          </ColumnLayout>
          {report.analysis === 'metadata_only' ? (
            <Box fontSize="body-s" color="text-body-secondary">
              Only the length and format of this file could be checked; its sound was not analysed.
            </Box>
          ) : null}
        </SpaceBetween>
      }
    >
      <Button variant="inline-link" ariaLabel={`Quality report of ${sample.file_name}`}>
        Report
      </Button>
    </Popover>
  );
}

interface Props {
  rows: SampleRow[];
  loading: boolean;
  deleting: string | undefined;
  onDelete(row: SampleRow): void;
}

export function SamplesTable({ rows, loading, deleting, onDelete }: Props) {
  return (
    <Table<SampleRow>
      items={rows}
      trackBy="key"
      loading={loading}
      loadingText="Loading recordings"
      wrapLines
      variant="embedded"
      ariaLabels={{ tableLabel: 'Recordings' }}
      empty={<EmptyState title="No recordings yet" description="Drop audio files above, or choose them." />}
      columnDefinitions={[
        { id: 'file', header: 'File', cell: (row) => row.fileName, isRowHeader: true },
        { id: 'status', header: 'Status', cell: (row) => <Status row={row} />, minWidth: 220 },
        {
          id: 'length',
          header: 'Length',
          cell: (row) => {
            const seconds =
              row.sample?.duration_seconds ?? row.sample?.report?.duration_seconds ?? row.upload?.duration;
            return seconds === undefined ? '—' : clock(seconds);
          },
        },
        {
          id: 'size',
          header: 'Size',
          cell: (row) => {
            const bytes = row.sample?.report?.size_bytes ?? row.upload?.size;
            return bytes === undefined ? '—' : fileSize(bytes);
          },
        },
        {
          id: 'report',
          header: 'Quality',
          cell: (row) => (row.sample ? <Report sample={row.sample} /> : '—'),
        },
        {
          id: 'actions',
          header: 'Actions',
          cell: (row) =>
            row.sample || row.upload?.state === 'failed' ? (
              <Button
                variant="inline-icon"
                iconName="remove"
                ariaLabel={`Delete ${row.fileName}`}
                loading={deleting === row.key}
                disabled={row.upload?.state === 'uploading'}
                onClick={() => onDelete(row)}
              />
            ) : null,
        },
      ]}
    />
  );
}
