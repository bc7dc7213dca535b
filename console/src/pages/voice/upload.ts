// Sends one recording straight to the samples bucket through its presigned POST, reporting progress as it goes.

export interface PresignedPost {
  url: string;
  fields: Record<string, string>;
}

/**
 * The form's fields first, then the file as `file`, as S3 requires. XMLHttpRequest rather than fetch: only it
 * reports upload progress. Resolves when S3 has stored the object; rejects with a message a person can act on.
 */
export function uploadToBucket(
  post: PresignedPost,
  file: File,
  onProgress: (percent: number) => void,
  signal?: AbortSignal,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(post.fields)) form.append(name, value);
    form.append('file', file, file.name);

    const request = new XMLHttpRequest();
    request.open('POST', post.url);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(Math.round((event.loaded / event.total) * 100));
    };
    request.onload = () => {
      if (request.status >= 200 && request.status < 300) {
        onProgress(100);
        resolve();
        return;
      }
      // S3 answers in XML: its <Message> says what the policy refused (size, type, an expired form).
      const message = /<Message>([^<]*)<\/Message>/.exec(request.responseText)?.[1];
      reject(new Error(`The bucket refused the upload (${request.status})${message ? `: ${message}` : ''}.`));
    };
    request.onerror = () =>
      reject(new Error('The upload could not reach the bucket. Check your connection and retry.'));
    request.onabort = () => reject(new Error('The upload was cancelled.'));
    signal?.addEventListener('abort', () => request.abort(), { once: true });
    request.send(form);
  });
}
