import { remove as withoutConfusables } from 'confusables';
import { safeText } from '../text/safe-text.ts';

/**
 * A person's name as the center writes it: Latin letters (Vietnamese ones
 * included; at most one combining mark on a letter), spaces, and . ' -.
 * Staff names decide who may approve whose request, so a name in another
 * script, or one padded with symbols, is refused rather than folded.
 */
const PERSON_NAME = /^(?=.*\p{L})(?:\p{Script=Latin}\p{M}?|[ .'-])+$/u;

export function personName(max: number) {
  return safeText(max).refine((v) => PERSON_NAME.test(v), "must be written in Latin letters (Vietnamese marks included), spaces, . ' or -");
}

/**
 * The skeleton of a person's name, for telling whether two names could be
 * the same person typed twice: case, accents (Vietnamese marks, đ), spacing,
 * zero-width and other format characters, and characters that look alike in
 * other scripts (Cyrillic а for Latin a, Greek ο for o; UTS #39 confusables)
 * are all folded away, and only letters and digits are kept (no spaces, dots
 * or hyphens). "Nguyễn Văn An", "NGUYEN  VAN AN", "Nguyen Van-An." and
 * "Nguyễn Vаn An" (with a Cyrillic а) have one skeleton.
 */
export function nameSkeleton(name: string): string {
  const visible = name.normalize('NFKC').replace(/\p{Cf}/gu, '');
  return withoutConfusables(visible)
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}
