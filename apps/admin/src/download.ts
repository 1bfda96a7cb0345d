// Saving a file the page fetched itself (with the bearer, which a plain link cannot send): a blob URL on a
// temporary link, clicked, then let go.
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // Some browsers start reading the URL after click() returns: give them a moment before revoking it.
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
