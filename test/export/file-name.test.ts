import { expect, it } from 'vitest';
import { safeFileName } from '../../src/main/services/export/index.js';

it.each([
  ['Tübingen at night', 'Tübingen at night'],
  ['a/b\\c', 'a_b_c'],
  ['../../etc/passwd', '_.._etc_passwd'],
  ['what? <yes>: "no" | *', 'what_ _yes_ _no_ _ _'],
  ['tab\there\nnewline\u0000nul\u007fdel', 'tab_here_newline_nul_del'],
  ['  spaced out  ', 'spaced out'],
  ['trailing dots...', 'trailing dots'],
  ['.hidden', 'hidden'],
  ['..', 'atelier-export'],
  ['', 'atelier-export'],
  [' . ', 'atelier-export'],
  ['CON', 'CON_'],
  ['nul', 'nul_'],
  ['com1.backup', 'com1_.backup'],
  ['LPT9', 'LPT9_'],
  ['CONSOLE', 'CONSOLE'],
  ['Icon', 'Icon'],
  ['x'.repeat(300), 'x'.repeat(120)],
  [`${'x'.repeat(119)} .`, 'x'.repeat(119)],
  ['夜'.repeat(120), '夜'.repeat(66)],
  [`${'a'.repeat(119)}😀😀`, `${'a'.repeat(119)}😀`],
  ['e\u0301', 'é'],
])('%j → %j', (name, expected) => {
  expect(safeFileName(name, 'atelier-export')).toBe(expected);
});
