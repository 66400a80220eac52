const FALLBACK = '#2563eb';

/** The site's `#rrggbb` colour and the text colour (near-black or white) that reads best on it. */
export function accentColors(color: string): { accent: string; onAccent: string } {
  const accent = /^#[0-9a-f]{6}$/i.test(color) ? color : FALLBACK;
  const [r, g, b] = [1, 3, 5].map((i) => {
    const channel = parseInt(accent.slice(i, i + 2), 16) / 255;
    return channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  // WCAG contrast against white vs. against #111 (luminance ≈ 0.0056).
  const onAccent = 1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.0556 ? '#fff' : '#111';
  return { accent, onAccent };
}
