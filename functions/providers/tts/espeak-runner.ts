// eSpeak NG in WebAssembly: the compiled module loaded once, and one run of its command line per call.
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

// The Emscripten module's surface used here; the package ships no type declarations.
// The WebAssembly global is typed here too: TypeScript declares it only in the DOM library, which Lambda code omits.
type CompiledWasm = object;
interface WebAssemblyApi {
  compile(bytes: Uint8Array): Promise<CompiledWasm>;
  instantiate(module: CompiledWasm, imports: object): Promise<object>;
}
const webAssembly = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

interface EspeakModule {
  FS: { writeFile(path: string, data: string): void; readFile(path: string): Uint8Array };
}
interface EspeakOptions {
  arguments: string[];
  thisProgram: string;
  preRun: Array<(module: EspeakModule) => void>;
  print: (line: string) => void;
  printErr: (line: string) => void;
  quit: (status: number, toThrow: unknown) => never;
  instantiateWasm: (imports: object, receive: (instance: object, module: CompiledWasm) => void) => object;
}
type EspeakFactory = (options: EspeakOptions) => Promise<EspeakModule>;

const ESPEAK_PACKAGE = 'espeak-ng';
let runtime: Promise<{ factory: EspeakFactory; wasm: CompiledWasm }> | undefined;

/**
 * The eSpeak factory and its compiled wasm, loaded the first time this provider speaks. Compiling the 18 MB wasm
 * once and instantiating it per call halves the per-call time; an instance is not reused because eSpeak's main()
 * keeps global state between runs.
 */
function espeakRuntime(): Promise<{ factory: EspeakFactory; wasm: CompiledWasm }> {
  runtime ??= (async () => {
    const entry = createRequire(import.meta.url).resolve(ESPEAK_PACKAGE);
    const [loaded, wasm] = await Promise.all([
      import(ESPEAK_PACKAGE as string) as Promise<{ default: EspeakFactory }>,
      readFile(join(dirname(entry), 'espeak-ng.wasm')).then((bytes) => webAssembly.compile(bytes)),
    ]);
    return { factory: loaded.default, wasm };
  })();
  runtime.catch(() => {
    runtime = undefined;
  });
  return runtime;
}

/** Runs the eSpeak command line once, with the text in a file so that nothing in it is read as an option. */
export async function runEspeak(text: string, args: string[]): Promise<Uint8Array> {
  const { factory, wasm } = await espeakRuntime();
  const messages: string[] = [];
  let exitStatus = 0;
  let instantiationFailed: (error: unknown) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => {
    instantiationFailed = reject;
  });
  const module = await Promise.race([
    factory({
      arguments: [...args, '-f', '/in.txt', '-w', '/out.wav'],
      thisProgram: 'espeak-ng',
      preRun: [(instance) => instance.FS.writeFile('/in.txt', text)],
      print: (line) => messages.push(line),
      // Emscripten adds "program exited (with status: 1), but keepRuntimeAlive()…" after eSpeak's own message.
      printErr: (line) => (line.startsWith('program exited') ? undefined : messages.push(line)),
      // Emscripten's default sets process.exitCode, which would fail the whole Node process after one bad run.
      quit: (status, toThrow) => {
        exitStatus = status;
        throw toThrow;
      },
      instantiateWasm: (imports, receive) => {
        webAssembly.instantiate(wasm, imports).then((instance) => {
          // eSpeak's main() runs inside receive(); a crash there (a wasm trap) must fail this call, not go unhandled.
          try {
            receive(instance, wasm);
          } catch (error) {
            exitStatus ||= 1;
            instantiationFailed(error);
          }
        }, instantiationFailed);
        return {};
      },
    }),
    failed,
  ]);
  if (exitStatus !== 0) {
    throw new Error(`espeak-ng exited with status ${exitStatus}: ${messages.join(' ') || 'no message'}`);
  }
  try {
    return module.FS.readFile('/out.wav');
  } catch (error) {
    throw new Error(`espeak-ng wrote no audio: ${messages.join(' ') || 'no message'}`, { cause: error });
  }
}
