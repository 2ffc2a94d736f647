import { app, Menu, type MenuItemConstructorOptions } from 'electron';
import type { EventPayload } from '../../common/contract/index.js';

export type AppCommand = EventPayload<'app:command'>['command'];

/**
 * The application menu. Its own commands go to `run`: the main process opens photos with the native
 * dialog itself, and the others become `app:command` events that the UI acts on; the rest are
 * Electron's standard roles.
 */
export function buildMenu(run: (command: AppCommand) => void): Menu {
  const isMac = process.platform === 'darwin';
  const item = (label: string, command: AppCommand, accelerator?: string): MenuItemConstructorOptions => ({
    label,
    ...(accelerator ? { accelerator } : {}),
    click: () => run(command),
  });
  const preferences = item(isMac ? 'Settings…' : 'Preferences…', 'preferences', 'CmdOrCtrl+,');

  const template: MenuItemConstructorOptions[] = [
    ...(isMac
      ? [{ label: app.name, submenu: [{ role: 'about' }, { type: 'separator' }, preferences, { type: 'separator' }, { role: 'services' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit' }] } satisfies MenuItemConstructorOptions]
      : []),
    {
      label: 'File',
      submenu: [
        item('Open Photos…', 'open-photos', 'CmdOrCtrl+O'),
        item('Export…', 'export', 'CmdOrCtrl+E'),
        ...(isMac ? [] : [{ type: 'separator' } as const, preferences, { type: 'separator' } as const, { role: 'quit' } as const]),
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        ...(app.isPackaged ? [] : [{ role: 'reload' } as const, { role: 'toggleDevTools' } as const, { type: 'separator' } as const]),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    { role: 'help', submenu: [item('Atelier Help', 'help', 'F1')] },
  ];
  return Menu.buildFromTemplate(template);
}
