// The page's only JavaScript: keeps the files the user drops or picks (File objects stay in this tab; their bytes
// are read in slices, hashed here in the browser and never sent anywhere), and prints.
import { hashBlob } from './digests.js';

const files = new Map();
let nextId = 1;

function describe(list) {
  const added = [];
  for (const file of list) {
    const id = nextId++;
    files.set(id, file);
    added.push({ id, name: file.name, size: file.size });
  }
  return added;
}

export function attach(zone, input, owner) {
  const deliver = (list) => {
    const added = describe(list);
    if (added.length > 0) {
      owner.invokeMethodAsync('FilesAdded', added);
    }
  };
  input.addEventListener('change', () => { deliver(input.files); input.value = ''; });
  const over = (e) => { e.preventDefault(); zone.classList.add('dragging'); };
  const leave = () => zone.classList.remove('dragging');
  zone.addEventListener('dragenter', over);
  zone.addEventListener('dragover', over);
  zone.addEventListener('dragleave', leave);
  zone.addEventListener('drop', (e) => { e.preventDefault(); leave(); deliver(e.dataTransfer.files); });
  // A file dropped outside the zone must not make the browser navigate away from the report.
  window.addEventListener('dragover', (e) => e.preventDefault());
  window.addEventListener('drop', (e) => e.preventDefault());
}

export function attachAnchor(input, owner) {
  input.addEventListener('change', () => {
    const added = describe(input.files);
    input.value = '';
    if (added.length > 0) {
      owner.invokeMethodAsync('AnchorAdded', added[0]);
    }
  });
}

export async function readSlice(id, offset, length) {
  const file = files.get(id);
  if (!file) {
    throw new Error('the file is no longer available');
  }
  const buffer = await file.slice(offset, offset + length).arrayBuffer();
  return new Uint8Array(buffer);
}

// Size, SHA-256 and (when asked) SM3 of a dropped file, as hex, read in 4 MiB slices: never the whole file in memory.
export async function hashFile(id, withSm3) {
  const file = files.get(id);
  if (!file) {
    throw new Error('the file is no longer available');
  }
  return await hashBlob(file, withSm3);
}

export async function readText(id, max) {
  const file = files.get(id);
  if (!file) {
    throw new Error('the file is no longer available');
  }
  return await file.slice(0, max).text();
}

export function forget(id) {
  files.delete(id);
}

export function language() {
  return navigator.languages && navigator.languages.length > 0 ? navigator.languages[0] : (navigator.language || 'en');
}

export function setDocumentLanguage(lang, title) {
  document.documentElement.lang = lang;
  document.title = title;
}

export function print() {
  window.print();
}

export function click(element) {
  element.click();
}

// Resolves once the browser has nothing else to do (or after 2 s): the page warms its verification code then.
export function idle() {
  return new Promise((resolve) => {
    if (window.requestIdleCallback) {
      window.requestIdleCallback(() => resolve(), { timeout: 2000 });
    } else {
      setTimeout(resolve, 50);
    }
  });
}
