// Placeholder entry of the embeddable widget; the widget issue builds the real one here
// (vanilla TypeScript, Shadow DOM, one IIFE, contracts as types only).
import type { WidgetSettings } from '@cloop/contracts';

export type { WidgetSettings };
