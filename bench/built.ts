/**
 * The project's modules as `npm run build` compiled them (dist/), for the timed parts of the
 * benchmark.
 *
 * bench/ itself runs under tsx, and a module imported from TypeScript source goes through tsx's
 * transform too. The milter runs the compiled JavaScript, so that is what the figures must
 * describe: on 6 MB of each benchmark corpus, `detect` loaded from dist/ ran 1.1 to 1.4× as fast
 * as the same code loaded from source through tsx (medians of 6 interleaved rounds).
 *
 * Contract of `loadBuilt`: it returns the module from dist/ when every TypeScript file the build
 * covers has a compiled twin at least as new as itself; otherwise (no build, or a source edited
 * since) it falls back to the source and says why, so a run with stale output never times code
 * that is not the tree's. Untimed helpers (the corpus self-check) may import source directly.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.join(REPO_ROOT, 'dist');

/** The folders tsconfig.json compiles. */
const BUILT_FOLDERS = ['cli', 'milter', 'content', 'detectors', 'policies', 'engine', 'store',
  'config', 'log', 'mta', 'approvals', 'admin'];

export interface Built<T> {
  readonly module: T;
  /** `dist` or `source (tsx)`, with the reason for the fallback. */
  readonly from: string;
}

function sourceFiles(folder: string): string[] {
  let entries;
  try {
    entries = readdirSync(path.join(REPO_ROOT, folder), { recursive: true, encoding: 'utf8' });
  } catch {
    return [];
  }
  return entries
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts'))
    .map((name) => path.join(folder, name));
}

function mtime(file: string): number | null {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return null;
  }
}

/** The first source file whose compiled twin is missing or older, or null when dist/ is current. */
export function staleBuild(): string | null {
  for (const folder of BUILT_FOLDERS) {
    for (const source of sourceFiles(folder)) {
      const compiled = mtime(path.join(DIST, source.replace(/\.ts$/, '.js')));
      const edited = mtime(path.join(REPO_ROOT, source));
      if (compiled === null || (edited !== null && edited > compiled)) return source;
    }
  }
  return null;
}

/** `module` is a path from the repository root without extension: `detectors/index`. */
export async function loadBuilt<T>(module: string): Promise<Built<T>> {
  const stale = staleBuild();
  if (stale === null) {
    const url = pathToFileURL(path.join(DIST, `${module}.js`)).href;
    return { module: (await import(url)) as T, from: 'dist' };
  }
  const url = pathToFileURL(path.join(REPO_ROOT, `${module}.ts`)).href;
  return { module: (await import(url)) as T, from: `source via tsx (dist/ stale: ${stale})` };
}
