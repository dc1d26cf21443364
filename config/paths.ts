/**
 * Where the installed package lives, so shipped files (the default policy, page templates) are
 * found the same way whether the code runs from TypeScript sources or from the compiled `dist/`.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'policies'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`outguard package root not found above ${start}`);
    dir = parent;
  }
}

export const PACKAGE_ROOT = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)));

/** A file shipped with the package, by its path from the package root. */
export function shippedFile(...parts: string[]): string {
  return path.join(PACKAGE_ROOT, ...parts);
}
