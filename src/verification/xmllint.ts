import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * libxml2's xmllint, compiled to WebAssembly by the xmllint-wasm package,
 * run in the calling thread. The package's own entry point starts a worker
 * thread and compiles its 780 KB module for every call (~200 ms, whatever
 * the document's size); here the module is compiled once per thread and each
 * call only instantiates it (a fresh instance per run, as xmllint is a
 * program that exits).
 *
 * The package's script is evaluated here as CommonJS with two things of its
 * own: a worker_threads without a parent port (the script ends by listening
 * for work there; here it only defines the module factory), and a process
 * whose exitCode it cannot set (xmllint's exit() would otherwise set this
 * process's exit code to its validation status).
 */
const require = createRequire(import.meta.url);
const packageDir = path.dirname(require.resolve('xmllint-wasm/package.json'));

type Factory = (options: Record<string, unknown>) => Promise<unknown>;

let factory: Factory | undefined;
let compiled: Promise<WebAssembly.Module> | undefined;

function load(): { factory: Factory; compiled: Promise<WebAssembly.Module> } {
  if (!factory) {
    const file = path.join(packageDir, 'xmllint-node.js');
    const source = readFileSync(file, 'utf8');
    const module = { exports: {} as { default?: Factory } };
    const fakeRequire = (id: string) => (id === 'worker_threads' ? { parentPort: { on() {}, postMessage() {} } } : require(id));
    const guardedProcess = new Proxy(process, {
      set: (target, property, value) => (property === 'exitCode' ? true : Reflect.set(target, property, value)),
    });
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the package's own script, evaluated as CommonJS
    new Function('module', 'exports', 'require', '__filename', '__dirname', 'process', source)(module, module.exports, fakeRequire, file, packageDir, guardedProcess);
    factory = (module.exports.default ?? module.exports) as Factory;
  }
  compiled ??= WebAssembly.compile(readFileSync(path.join(packageDir, 'xmllint.wasm')));
  return { factory, compiled };
}

export interface XmllintRun {
  exitCode: number;
  stderr: string;
}

const PAGE = 64 * 1024;
/** The instance's memory grows with its input: xmllint holds each document's tree while it validates. */
const memoryPages = (files: Array<{ contents: string }>) => {
  const bytes = files.reduce((n, f) => n + Buffer.byteLength(f.contents), 0);
  return Math.min(65_536, Math.max(512, Math.ceil((16 * 1024 * 1024 + bytes * 16) / PAGE)));
};

/** Runs xmllint with `args` over in-memory files. Exit code 0: valid; 3 or 4: validation errors. */
export function runXmllint(files: Array<{ fileName: string; contents: string }>, args: string[]): Promise<XmllintRun> {
  const { factory: Module, compiled: wasm } = load();
  return new Promise((resolve, reject) => {
    let stderr = '';
    let done = false;
    const finish = (run: XmllintRun) => {
      if (!done) resolve(run);
      done = true;
    };
    Module({
      inputFiles: files,
      arguments: args,
      print() {},
      printErr(text: string) {
        stderr += `${text}\n`;
      },
      onExit: (exitCode: number) => finish({ exitCode, stderr }),
      onAbort: (reason: unknown) => {
        if (!done) reject(new Error(`xmllint aborted: ${String(reason)}`));
        done = true;
      },
      wasmMemory: new WebAssembly.Memory({ initial: 256, maximum: memoryPages(files) }),
      instantiateWasm(imports: WebAssembly.Imports, receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void) {
        wasm.then((m) => WebAssembly.instantiate(m, imports).then((instance) => receive(instance, m))).catch(reject);
        return {};
      },
    }).catch((err: unknown) => {
      // xmllint ends by calling exit(); the runtime reports that as an exception after onExit.
      if (!done) reject(err);
    });
  });
}
