/** Export settings shared by the UI (kept free of heavy imports so the UI can load exporters lazily). */

/** Scale of PNG export by default: ≈ 300 dpi when the chart is placed at its CSS size. */
export const DEFAULT_PNG_SCALE = 3;
export const PNG_SCALES = [1, 2, 3, 4] as const;
