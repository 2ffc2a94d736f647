/** Width and height of an image whose long side is scaled to `longSide`, keeping the aspect ratio. */
export function fitLongSide(width: number, height: number, longSide: number): { width: number; height: number } {
  const scale = longSide / Math.max(width, height);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}
