const FALLBACK = '#2563eb';

/**
 * The site's `#rrggbb` colour and the text colour (near-black or white) that reads best on it:
 * WCAG contrast of each against the colour's relative luminance (sRGB gamma taken as 2.2, within
 * a percent of the exact curve).
 */
export function accentColors(color: string): { accent: string; onAccent: string } {
  const accent = /^#[0-9a-f]{6}$/i.test(color) ? color : FALLBACK;
  const [r, g, b] = [1, 3, 5].map((i) => (parseInt(accent.slice(i, i + 2), 16) / 255) ** 2.2) as [
    number,
    number,
    number,
  ];
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  // Against white vs. against #111 (luminance ≈ 0.0056).
  return { accent, onAccent: 1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.0556 ? '#fff' : '#111' };
}
