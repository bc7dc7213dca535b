// What every provider simulator shares: an HTTP server, a record of the requests it got, faults injected on demand,
// and a control API under /__control so tests in any process can drive it.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/** Failures a test can ask for, in provider-neutral words; each simulator answers them as its provider documents. */
export type FaultKind =
  | 'server_error'
  | 'rate_limited'
  | 'quota_exceeded'
  | 'auth'
  | 'timeout'
  | 'slow_first_byte'
  | 'broken_stream';

export interface Fault {
  kind: FaultKind;
  /** Only requests for this voice id fail; without it, every request does. */
  voice?: string;
  /** Only requests whose path contains this fail (e.g. `/v1/chat/completions`). */
  path?: string;
  /** How many requests fail before the fault clears itself; without it, until removed. */
  times?: number;
  /** For `slow_first_byte` and `timeout`: how long to hold the answer (timeout default: 60 s). */
  delayMs?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** Parsed JSON, or for multipart bodies the field names and file names, else the raw text. */
  body: unknown;
  /** What the simulator understood: the voice and the text to speak, when the request has them. */
  voice?: string;
  text?: string;
  at: string;
  /** The fault answered, if any. */
  fault?: FaultKind;
}

export interface SimulatorRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  rawBody: Buffer;
  json: unknown;
}

export interface SimulatorResponse {
  status: number;
  headers?: Record<string, string>;
  body?: Buffer | string | object;
  /** Sent in these pieces with `chunkDelayMs` between them, to look like a provider's stream. */
  chunks?: Buffer[];
  chunkDelayMs?: number;
}

export interface ProviderBehaviour {
  name: string;
  /** The voice and text of a request, for matching faults and for the record. */
  describe(request: SimulatorRequest): { voice?: string; text?: string };
  /** The provider's own answer for a fault kind (status, headers and error body as documented). */
  faultResponse(kind: Exclude<FaultKind, 'timeout' | 'slow_first_byte' | 'broken_stream'>): SimulatorResponse;
  handle(request: SimulatorRequest, simulator: Simulator): Promise<SimulatorResponse>;
}

interface ActiveFault extends Fault {
  id: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function multipartSummary(body: Buffer, contentType: string): unknown {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  if (!boundary) return body.toString('utf8');
  const parts = body.toString('latin1').split(`--${boundary[1] ?? boundary[2]}`);
  const fields: Record<string, string> = {};
  const files: Array<{ field: string; fileName: string; bytes: number }> = [];
  for (const part of parts) {
    const name = /name="([^"]*)"/.exec(part)?.[1];
    if (!name) continue;
    const fileName = /filename="([^"]*)"/.exec(part)?.[1];
    const content = part.slice(part.indexOf('\r\n\r\n') + 4).replace(/\r\n$/, '');
    if (fileName !== undefined)
      files.push({ field: name, fileName, bytes: Buffer.byteLength(content, 'latin1') });
    else fields[name] = Buffer.from(content, 'latin1').toString('utf8');
  }
  return { fields, files };
}

export class Simulator {
  readonly requests: RecordedRequest[] = [];
  private faults: ActiveFault[] = [];
  private nextFaultId = 1;
  private server: Server | undefined;
  /** Extra state a provider keeps (voices added by tests or by cloning). */
  readonly state = new Map<string, unknown>();
  url = '';

  constructor(readonly behaviour: ProviderBehaviour) {}

  async start(port = 0): Promise<string> {
    this.server = createServer((request, response) => {
      this.serve(request, response).catch((error: unknown) => {
        if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
        response.end(String(error));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    const address = this.server.address();
    this.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    const server = this.server;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  addFault(fault: Fault): number {
    const id = this.nextFaultId++;
    this.faults.push({ ...fault, id });
    return id;
  }

  clearFaults(id?: number): void {
    this.faults = id === undefined ? [] : this.faults.filter((fault) => fault.id !== id);
  }

  private takeFault(voice: string | undefined, path: string): ActiveFault | undefined {
    const fault = this.faults.find(
      (candidate) =>
        (candidate.voice === undefined || candidate.voice === voice) &&
        (candidate.path === undefined || path.includes(candidate.path)),
    );
    if (!fault) return undefined;
    if (fault.times !== undefined) {
      fault.times -= 1;
      if (fault.times <= 0) this.faults = this.faults.filter((candidate) => candidate !== fault);
    }
    return fault;
  }

  private async control(request: SimulatorRequest): Promise<SimulatorResponse> {
    const route = `${request.method} ${request.path.replace(/\/$/, '')}`;
    if (route === 'GET /__control/requests') {
      const voice = request.query.get('voice');
      return { status: 200, body: voice ? this.requests.filter((r) => r.voice === voice) : this.requests };
    }
    if (route === 'POST /__control/faults')
      return { status: 201, body: { id: this.addFault(request.json as Fault) } };
    if (route === 'DELETE /__control/faults') {
      this.clearFaults();
      return { status: 204 };
    }
    if (route === 'POST /__control/reset') {
      this.clearFaults();
      this.requests.length = 0;
      return { status: 204 };
    }
    if (route === 'POST /__control/state') {
      // Provider-specific switches, e.g. ElevenLabs' cloneRejection or cloneRequiresVerification.
      for (const [key, value] of Object.entries((request.json ?? {}) as Record<string, unknown>)) {
        if (value === null) this.state.delete(key);
        else this.state.set(key, value);
      }
      return { status: 204 };
    }
    if (route === 'POST /__control/voices') {
      const voices = (this.state.get('extraVoices') as unknown[] | undefined) ?? [];
      voices.push(request.json);
      this.state.set('extraVoices', voices);
      return { status: 201, body: request.json as object };
    }
    return { status: 404, body: { error: `no control route ${route}` } };
  }

  private async serve(incoming: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(incoming.url ?? '/', 'http://simulator');
    const rawBody = await readBody(incoming);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(incoming.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
    }
    const contentType = headers['content-type'] ?? '';
    let json: unknown;
    if (/json/.test(contentType) && rawBody.length) {
      try {
        json = JSON.parse(rawBody.toString('utf8'));
      } catch {
        json = undefined;
      }
    }
    const request: SimulatorRequest = {
      method: (incoming.method ?? 'GET').toUpperCase(),
      path: url.pathname,
      query: url.searchParams,
      headers,
      rawBody,
      json,
    };

    if (request.path.startsWith('/__control/')) {
      await this.send(response, await this.control(request));
      return;
    }

    const described = this.behaviour.describe(request);
    const record: RecordedRequest = {
      method: request.method,
      path: request.path,
      query: Object.fromEntries(url.searchParams),
      headers,
      body:
        json ??
        (/multipart/.test(contentType) ? multipartSummary(rawBody, contentType) : rawBody.toString('utf8')),
      ...described,
      at: new Date().toISOString(),
    };
    this.requests.push(record);

    const fault = this.takeFault(described.voice, request.path);
    if (fault) record.fault = fault.kind;
    if (fault?.kind === 'timeout') {
      await sleep(fault.delayMs ?? 60_000);
      response.destroy();
      return;
    }
    if (fault?.kind === 'slow_first_byte') await sleep(fault.delayMs ?? 1000);
    if (fault && fault.kind !== 'slow_first_byte' && fault.kind !== 'broken_stream') {
      await this.send(response, this.behaviour.faultResponse(fault.kind));
      return;
    }
    const answer = await this.behaviour.handle(request, this);
    if (fault?.kind === 'broken_stream') {
      // Headers and half the audio, then the connection drops, as a stream cut mid-way does.
      // A streamed answer keeps its audio in `chunks`, not in `body`.
      const bytes = answer.chunks
        ? Buffer.concat(answer.chunks)
        : Buffer.isBuffer(answer.body)
          ? answer.body
          : Buffer.from(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? ''));
      response.writeHead(answer.status, answer.headers);
      response.write(bytes.subarray(0, Math.floor(bytes.length / 2)));
      await sleep(20);
      response.destroy();
      return;
    }
    await this.send(response, answer);
  }

  private async send(response: ServerResponse, answer: SimulatorResponse): Promise<void> {
    const headers = { ...answer.headers };
    if (answer.chunks) {
      response.writeHead(answer.status, headers);
      for (const chunk of answer.chunks) {
        response.write(chunk);
        if (answer.chunkDelayMs) await sleep(answer.chunkDelayMs);
      }
      response.end();
      return;
    }
    let body: Buffer;
    if (answer.body === undefined) body = Buffer.alloc(0);
    else if (Buffer.isBuffer(answer.body)) body = answer.body;
    else if (typeof answer.body === 'string') body = Buffer.from(answer.body);
    else {
      body = Buffer.from(JSON.stringify(answer.body));
      headers['content-type'] ??= 'application/json';
    }
    response.writeHead(answer.status, { 'content-length': String(body.length), ...headers });
    response.end(body);
  }
}

/** Drives a simulator over its control API, from the test process or any other. */
export class SimulatorControl {
  constructor(readonly url: string) {}

  async fault(fault: Fault): Promise<number> {
    const response = await fetch(`${this.url}/__control/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(fault),
    });
    return ((await response.json()) as { id: number }).id;
  }

  async clearFaults(): Promise<void> {
    await fetch(`${this.url}/__control/faults`, { method: 'DELETE' });
  }

  async requests(voice?: string): Promise<RecordedRequest[]> {
    const query = voice ? `?voice=${encodeURIComponent(voice)}` : '';
    return (await (await fetch(`${this.url}/__control/requests${query}`)).json()) as RecordedRequest[];
  }

  /** Sets provider-specific switches (null clears one). */
  async setState(values: Record<string, unknown>): Promise<void> {
    await fetch(`${this.url}/__control/state`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(values),
    });
  }

  /** Adds a voice to the simulator's catalogue (its stock voices are always there). */
  async addVoice(voice: { id: string; name?: string; languages?: string[]; gender?: string }): Promise<void> {
    await fetch(`${this.url}/__control/voices`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(voice),
    });
  }
}
