/** Longest base name we write, in characters, before " (2)" and the extension are added. */
const MAX_BASE_NAME_LENGTH = 120;

// Most file systems cap a name at 255 bytes, not characters: 120 CJK characters are 360 bytes in UTF-8.
// This leaves room for " (999)", a long extension like ".atelier-preset.json", and a temporary suffix.
const MAX_BASE_NAME_BYTES = 200;

// Path separators, the characters Windows forbids in names, and control characters (C0, DEL, C1).
const FORBIDDEN = /[/\\<>:"|?*\u0000-\u001f\u007f-\u009f]+/g;

// Device names Windows reserves whatever the extension ("NUL.png" and "con.tar.gz" are devices too).
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(?=\.|$)/i;

/**
 * A base name that is safe as one file name on Windows, macOS and Linux: no path separators or
 * forbidden characters (each run becomes "_"), no leading dots (hidden files, "." and ".."), no
 * trailing dots or spaces (Windows drops them), not a reserved device name, at most 120 characters
 * and 200 UTF-8 bytes. `fallback` stands in for a name with nothing usable left.
 */
export function safeFileName(name: string, fallback: string): string {
  let base = name.normalize('NFC').replace(FORBIDDEN, '_');
  base = truncate(base).replace(/^[\s.]+|[\s.]+$/g, '');
  if (base === '') return fallback;
  return base.replace(RESERVED, '$1_');
}

/** Cuts at whole code points, so a surrogate pair is never split into an invalid half. */
function truncate(name: string): string {
  const codePoints = Array.from(name).slice(0, MAX_BASE_NAME_LENGTH);
  while (Buffer.byteLength(codePoints.join(''), 'utf8') > MAX_BASE_NAME_BYTES) codePoints.pop();
  return codePoints.join('');
}
