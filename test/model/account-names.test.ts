import { describe, expect, it } from 'vitest';
import { accountNameKey, isNearName } from '../../provider/model/account-names.js';

describe('account names are compared without regard to case and spaces', () => {
  it.each([
    ['Hooli Inc', 'hooli inc'],
    ['Hooli Inc ', 'hooli inc'],
    ['  Hooli   Inc', 'hooli inc'],
    ['Hooli\tInc', 'hooli inc'],
    ['Hooli\u00a0Inc', 'hooli inc'],
    ['HOOLI INC', 'hooli inc'],
    ['Café', 'café'],
    ['Cafe\u0301', 'café'],
    ['Friedrichstraße 100', 'friedrichstraße 100'],
    ['', ''],
    ['   ', ''],
  ])('accountNameKey(%j) is %j', (name, key) => {
    expect(accountNameKey(name)).toBe(key);
  });

  it.each([
    ['Hooli Inc', 'Hooli Inc.', true],
    ['Hooli Inc', 'Hooli', true],
    ['Hooli Inc', 'Hooli Incorporated', false],
    ['Hooli Inc', 'hooli inc', false],
    ['Hooli Inc', 'Globex', false],
    ['Acme', 'Acne', true],
    ['Acme', 'Axne', false],
    ['Initech', 'Initech Corp', true],
    ['Tech', 'Initech', false],
    ['', 'Hooli', false],
  ])('isNearName(%j, %j) is %s', (a, b, near) => {
    expect(isNearName(a, b)).toBe(near);
    expect(isNearName(b, a)).toBe(near);
  });
});
