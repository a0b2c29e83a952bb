import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WindowBounds } from './window-options';

export interface WindowState extends WindowBounds {
  readonly maximized: boolean;
}

const DEFAULT_STATE: WindowState = { width: 1280, height: 820, maximized: false };

interface Area {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** The saved window state, kept only if it is still visible on one of today's displays. */
export function loadWindowState(dataDir: string, displays: ReadonlyArray<Area>): WindowState {
  try {
    const saved = JSON.parse(
      readFileSync(join(dataDir, 'window-state.json'), 'utf8'),
    ) as Partial<WindowState>;
    if (typeof saved.width !== 'number' || typeof saved.height !== 'number') return DEFAULT_STATE;
    const state: WindowState = {
      x: saved.x,
      y: saved.y,
      width: Math.max(900, saved.width),
      height: Math.max(600, saved.height),
      maximized: saved.maximized === true,
    };
    if (state.x === undefined || state.y === undefined) return state;
    const { x, y } = state;
    const visible = displays.some(
      (d) => x + 100 > d.x && x < d.x + d.width - 100 && y >= d.y && y < d.y + d.height - 50,
    );
    return visible ? state : { width: state.width, height: state.height, maximized: state.maximized };
  } catch {
    return DEFAULT_STATE;
  }
}

/** Remember the window for next time. */
export function saveWindowState(dataDir: string, state: WindowState): void {
  try {
    writeFileSync(join(dataDir, 'window-state.json'), JSON.stringify(state));
  } catch (error) {
    console.warn('could not save the window state:', error);
  }
}
