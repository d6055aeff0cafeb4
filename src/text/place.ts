/** The place name (địa danh) of a notice: the last part of the center's address ("…, Tỉnh Demo" → "Tỉnh Demo"). */
export const placeOf = (address: string) =>
  address
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .at(-1) ?? address;
