import { remove as withoutConfusables } from 'confusables';

/**
 * The skeleton of a person's name, for telling whether two names could be
 * the same person typed twice: case, accents (Vietnamese marks, đ), spacing,
 * zero-width and other format characters, and characters that look alike in
 * other scripts (Cyrillic а for Latin a, Greek ο for o; UTS #39 confusables)
 * are all folded away. "Nguyễn Văn An", "NGUYEN  VAN AN" and "Nguyễn Vаn An"
 * (with a Cyrillic а) have one skeleton.
 */
export function nameSkeleton(name: string): string {
  const visible = name.normalize('NFKC').replace(/\p{Cf}/gu, '');
  return withoutConfusables(visible)
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}
