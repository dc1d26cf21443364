/**
 * OOXML packaging (Open Packaging Conventions): which part is the document, which parts are its
 * headers, sheets or slides, found through the `_rels/*.rels` relationship parts rather than by
 * guessing names, because Office itself sometimes writes `word/document2.xml` or
 * `xl/worksheets/sheet10.xml` for the first sheet.
 */
import { posix } from 'node:path';
import { attribute } from './xml-walk.js';
import type { PackageReading } from './zip-package.js';

export interface Relationship {
  readonly id: string;
  /** Last segment of the relationship type URI, e.g. `officeDocument`, `header`, `worksheet`. */
  readonly type: string;
  /** Part path inside the zip, resolved against the source part; '' for external targets. */
  readonly target: string;
}

/** The relationships of `sourcePart` ('' for the package itself); empty when it has none. */
export async function relationships(reading: PackageReading, sourcePart: string): Promise<Relationship[]> {
  const dir = posix.dirname(sourcePart);
  const relsPath =
    sourcePart === '' ? '_rels/.rels' : posix.join(dir, '_rels', `${posix.basename(sourcePart)}.rels`);
  const found: Relationship[] = [];
  await reading.part(relsPath, 'relationships', {
    open(local, attributes) {
      if (local !== 'Relationship') return;
      const id = attribute(attributes, 'Id') ?? '';
      const typeUri = attribute(attributes, 'Type') ?? '';
      const target = attribute(attributes, 'Target') ?? '';
      const external = attribute(attributes, 'TargetMode') === 'External';
      found.push({
        id,
        type: typeUri.slice(typeUri.lastIndexOf('/') + 1),
        target: external ? '' : resolveTarget(sourcePart === '' ? '' : dir, target),
      });
    },
    close() {},
    text() {},
  });
  return found;
}

/** The targets of relationships of one type, in the order the rels part lists them. */
export function targetsOf(rels: readonly Relationship[], type: string): string[] {
  return rels.filter((r) => r.type === type && r.target !== '').map((r) => r.target);
}

function resolveTarget(baseDir: string, target: string): string {
  let decoded = target;
  try {
    decoded = decodeURIComponent(target);
  } catch {
    // A stray % in a target name: keep it as written.
  }
  const base = baseDir === '.' ? '' : baseDir;
  const joined = decoded.startsWith('/') ? decoded.slice(1) : posix.join(base, decoded);
  return posix.normalize(joined).replace(/^(\.\.\/)+/, '');
}
