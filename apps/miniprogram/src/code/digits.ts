/** "12345678" -> "1234 5678", "123456789012345678" -> "1234 5678 9012 3456 78": easier to read out and type. */
export function spacedDigits(numeric: string): string {
  return numeric.replace(/(\d{4})(?=\d)/g, '$1 ');
}
