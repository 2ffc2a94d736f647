import type { NewNotice } from '../../../common/contract/index.js';
import type { StoreRecovery } from '../store/index.js';

/** What each store file holds, in the person's words. */
const WHAT: Readonly<Record<string, string>> = {
  'library.json': 'the list of your images, pairs and renders',
  'presets.json': 'your own presets',
  'preferences.json': 'your preferences (backend, export folder, measured speeds)',
  'queue.json': 'the render queue',
};

/** The notice for a store file found missing or damaged at its first read: which file, what it holds, what was done. */
export function storeRecoveryNotice({ file, problem, setAside, restoredFrom }: StoreRecovery): NewNotice {
  const what = WHAT[file] ?? 'some of Atelier’s data';
  const found = problem === 'missing' ? `${file} (${what}) was missing` : `${file} (${what}) could not be read`;
  const kept = setAside === undefined ? '' : ` The damaged file was kept as ${setAside}, untouched.`;
  const outcome = restoredFrom
    ? `The copy saved at ${restoredFrom.savedAt.toLocaleString('en-GB')} (${restoredFrom.file}) was restored.`
    : 'No earlier copy could be used, so it starts empty.';
  return {
    title: problem === 'missing' ? `${file} was missing` : `${file} was damaged`,
    message: `${found}. ${outcome}${kept}`,
    details: [],
  };
}
