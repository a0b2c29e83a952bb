import type { ComponentType } from 'react';
import { AppearanceSection } from './sections/appearance-section';
import { BackupsSection } from './sections/backups-section';
import { ElectricitySection } from './sections/electricity-section';
import { NotificationsSection } from './sections/notifications-section';
import { PythonSection } from './sections/python-section';
import { StorageSection } from './sections/storage-section';
import type { SettingsFormState } from './use-settings-form';

/** One titled section of the Settings form; its component reads and edits the shared form state. */
export interface SettingsSection {
  readonly id: string;
  readonly title: string;
  readonly Component: ComponentType<{ form: SettingsFormState }>;
}

/**
 * The Settings form's sections, in display order. A new area adds its section here: a component in
 * sections/ taking `{ form }`, with its keys added to `SettingsDraft` in settings-form.ts.
 */
export const SETTINGS_SECTIONS: ReadonlyArray<SettingsSection> = [
  { id: 'storage', title: 'Storage', Component: StorageSection },
  { id: 'backups', title: 'Backups', Component: BackupsSection },
  { id: 'python', title: 'Python', Component: PythonSection },
  { id: 'electricity', title: 'Electricity', Component: ElectricitySection },
  { id: 'notifications', title: 'Notifications', Component: NotificationsSection },
  { id: 'appearance', title: 'Appearance', Component: AppearanceSection },
];
