import { spacedDigits } from './digits';

describe('spacedDigits', () => {
  it('groups a member code 4-4 and a payment code 4-4-4-4-2', () => {
    expect(spacedDigits('12345678')).toBe('1234 5678');
    expect(spacedDigits('123456789012345678')).toBe('1234 5678 9012 3456 78');
    expect(spacedDigits('123')).toBe('123');
  });
});
