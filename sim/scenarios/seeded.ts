/**
 * Determinism for generated scenarios (generate-class.ts): ids are hashes of what they stand for, and choices come
 * from a seeded PRNG, so the same inputs give byte-identical output.
 */
import { createHash } from 'node:crypto';

export function sha256(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\0')).digest('hex');
}

/** A GUID-shaped hash (version 4 layout), stable for the same parts. */
export function guid(...parts: string[]): string {
  const h = sha256('kvlab-generated-class', ...parts);
  const variant = ((Number.parseInt(h[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Fisher–Yates with the seeded PRNG. */
export function shuffle<T>(items: T[], random: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}

/** mulberry32: a small, fast, seedable PRNG (32-bit state), plenty for picking a mix and names. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
