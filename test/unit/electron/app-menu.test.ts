import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { buildAppMenuTemplate } from '../../../main/electron/app-menu';
import type { DesktopCommand } from '../../../preload/contract';

type Item = MenuItemConstructorOptions;

function build(platform: NodeJS.Platform, isPackaged: boolean) {
  const sent: DesktopCommand[] = [];
  const template = buildAppMenuTemplate({
    platform,
    appName: 'LoRA Studio',
    isPackaged,
    send: (command) => sent.push(command),
  });
  return { template, sent };
}

function submenu(template: Item[], label: string): Item[] {
  const menu = template.find((m) => m.label === label || (label === 'Help' && m.role === 'help'));
  if (!menu) throw new Error(`no menu ${label}`);
  return menu.submenu as Item[];
}

const roles = (items: Item[]) => items.filter((i) => i.role !== undefined).map((i) => i.role);

function click(items: Item[], label: string): void {
  const item = items.find((i) => i.label === label);
  if (!item?.click) throw new Error(`no item ${label}`);
  (item.click as () => void)();
}

describe('the application menu', () => {
  it('on macOS starts with the app menu and its usual roles', () => {
    const { template } = build('darwin', true);
    expect(template.map((m) => m.label ?? m.role)).toEqual([
      'LoRA Studio',
      'File',
      'Edit',
      'View',
      'Window',
      'help',
    ]);
    expect(roles(submenu(template, 'LoRA Studio'))).toEqual([
      'about',
      'services',
      'hide',
      'hideOthers',
      'unhide',
      'quit',
    ]);
    expect(roles(submenu(template, 'File'))).toEqual(['close']);
    expect(roles(submenu(template, 'Window'))).toEqual(['minimize', 'zoom', 'close']);
  });

  it('elsewhere has no app menu, quits from File, and no zoom in Window', () => {
    for (const platform of ['linux', 'win32'] as const) {
      const { template } = build(platform, true);
      expect(template.map((m) => m.label ?? m.role)).toEqual(['File', 'Edit', 'View', 'Window', 'help']);
      expect(roles(submenu(template, 'File'))).toEqual(['quit']);
      expect(roles(submenu(template, 'Window'))).toEqual(['minimize', 'close']);
    }
  });

  it('has the usual Edit and View roles', () => {
    const { template } = build('linux', true);
    expect(roles(submenu(template, 'Edit'))).toEqual(['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll']);
    expect(roles(submenu(template, 'View'))).toEqual(['resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen']);
  });

  it('offers reload and DevTools only when not packaged', () => {
    expect(roles(submenu(build('linux', false).template, 'View'))).toEqual([
      'reload',
      'toggleDevTools',
      'resetZoom',
      'zoomIn',
      'zoomOut',
      'togglefullscreen',
    ]);
    for (const platform of ['darwin', 'linux'] as const) {
      const all = JSON.stringify(build(platform, true).template);
      expect(all).not.toContain('reload');
      expect(all).not.toContain('toggleDevTools');
    }
  });

  it('File and Help items carry their accelerators and send their commands', () => {
    const { template, sent } = build('darwin', true);
    const file = submenu(template, 'File');
    expect(file.filter((i) => i.accelerator).map((i) => [i.label, i.accelerator])).toEqual([
      ['New job…', 'CmdOrCtrl+N'],
      ['Import dataset…', 'CmdOrCtrl+I'],
    ]);
    click(file, 'New job…');
    click(file, 'Import dataset…');
    const help = submenu(template, 'Help');
    click(help, 'Keyboard shortcuts');
    click(help, 'About LoRA Studio');
    expect(sent).toEqual(['new-job', 'import-dataset', 'shortcuts', 'about']);
  });
});
