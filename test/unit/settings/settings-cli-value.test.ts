import { describe, expect, it } from 'vitest';
import { SettingsService } from '../../../main/settings/settings-service';

describe('parsing a setting typed on the command line', () => {
  it('reads numbers, booleans, null and plain strings by the key’s schema', () => {
    expect(SettingsService.parseCliValue('energy.pricePerKwh', '0.42')).toEqual({
      'energy.pricePerKwh': 0.42,
    });
    expect(SettingsService.parseCliValue('notifications.onFailed', 'false')).toEqual({
      'notifications.onFailed': false,
    });
    expect(SettingsService.parseCliValue('python.path', '/usr/bin/python3')).toEqual({
      'python.path': '/usr/bin/python3',
    });
    expect(SettingsService.parseCliValue('python.path', 'null')).toEqual({ 'python.path': null });
    expect(SettingsService.parseCliValue('energy.currency', 'USD')).toEqual({ 'energy.currency': 'USD' });
  });

  it('keeps a numeric-looking string for a string setting', () => {
    expect(SettingsService.parseCliValue('trainer.command', '42')).toEqual({ 'trainer.command': '42' });
  });

  it('says which keys exist when the key is unknown, and why a value is refused', () => {
    expect(() => SettingsService.parseCliValue('energy.price', '1')).toThrow(
      /Unknown setting "energy.price".*energy.pricePerKwh/,
    );
    expect(() => SettingsService.parseCliValue('energy.pricePerKwh', '-1')).toThrow(
      /Invalid value for energy.pricePerKwh/,
    );
    expect(() => SettingsService.parseCliValue('energy.currency', 'euro')).toThrow(/three-letter/);
  });
});
