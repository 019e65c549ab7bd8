/**
 * Maps a path (as produced by the rules) to a 1-based source line using the `yaml` package's node ranges. Paths may
 * continue into YAML embedded in a string (the SPC's `objects: |` and its `- |` items): such a string is parsed again,
 * and because a literal block scalar keeps its lines one for one, inner line n sits n lines below the `|` header.
 * When a path does not exist (a missing key), the line of the deepest existing ancestor is returned.
 */
import { type Document, isMap, isScalar, isSeq, LineCounter, parseDocument, Scalar } from 'yaml';
import type { Locate } from './resources.ts';
import type { PathSegment } from './types.ts';

interface Frame {
  node: unknown;
  counter: LineCounter;
  /** Lines to add to positions from `counter` to get lines of the outer text. */
  offset: number;
}

function startLine(node: unknown, frame: Frame): number | undefined {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  if (range === undefined) return undefined;
  return frame.counter.linePos(range[0]).line + frame.offset;
}

export function createLocator(doc: Document, counter: LineCounter): Locate {
  const embedded = new WeakMap<Scalar, Frame | null>();

  function enter(scalar: Scalar, frame: Frame): Frame | null {
    const cached = embedded.get(scalar);
    if (cached !== undefined) return cached;
    let inner: Frame | null = null;
    const header = startLine(scalar, frame);
    if (scalar.type === Scalar.BLOCK_LITERAL && typeof scalar.value === 'string' && header !== undefined) {
      const innerCounter = new LineCounter();
      const parsed = parseDocument(scalar.value, { schema: 'failsafe', lineCounter: innerCounter, logLevel: 'silent' });
      if (parsed.errors.length === 0) inner = { node: parsed.contents, counter: innerCounter, offset: header };
    }
    embedded.set(scalar, inner);
    return inner;
  }

  return (path: readonly PathSegment[]) => {
    let frame: Frame = { node: doc.contents, counter, offset: 0 };
    let best = startLine(frame.node, frame);
    for (const segment of path) {
      if (isScalar(frame.node)) {
        const inner = enter(frame.node, frame);
        if (inner === null) return best;
        frame = inner;
      }
      const node = frame.node;
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
        if (pair === undefined) return best;
        best = startLine(pair.key, frame) ?? best;
        frame = { ...frame, node: pair.value };
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment];
        if (item === undefined) return best;
        best = startLine(item, frame) ?? best;
        frame = { ...frame, node: item };
      } else {
        return best;
      }
    }
    return best;
  };
}
