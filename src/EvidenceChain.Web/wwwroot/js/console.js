// The console's JavaScript: the session's key in this tab's sessionStorage (never localStorage, never a URL), files
// the user drops or picks (File objects stay here; hashed in slices, uploaded by XHR with the File as the body, which
// the browser streams from disk), downloads and images fetched with the key, and the hand-over of a receipt to the
// verification page. Nothing here logs.
import { hashBlob } from './digests.js';

const KeyName = 'evidencechain.console.key';
const files = new Map();
const uploads = new Map();
let nextId = 1;

export function loadKey() {
  return sessionStorage.getItem(KeyName);
}

export function storeKey(key) {
  sessionStorage.setItem(KeyName, key);
}

export function forgetKey() {
  sessionStorage.removeItem(KeyName);
}

export function language() {
  return navigator.languages && navigator.languages.length > 0 ? navigator.languages[0] : (navigator.language || 'en');
}

export function setDocumentLanguage(lang, title) {
  document.documentElement.lang = lang;
  document.title = title;
}

export function click(element) {
  element.click();
}

export function focus(element) {
  if (element) {
    element.focus();
  }
}

function describe(list) {
  const added = [];
  for (const file of list) {
    const id = nextId++;
    files.set(id, file);
    added.push({ id, name: file.name, size: file.size, type: file.type || '' });
  }
  return added;
}

// Files dropped on zone or picked in input are kept here and described to owner.FilesAdded.
export function attachDrop(zone, input, owner) {
  const deliver = (list) => {
    const added = describe(list);
    if (added.length > 0) {
      owner.invokeMethodAsync('FilesAdded', added);
    }
  };
  const onChange = () => { deliver(input.files); input.value = ''; };
  const over = (e) => { e.preventDefault(); zone.classList.add('dragging'); };
  const leave = () => zone.classList.remove('dragging');
  const drop = (e) => { e.preventDefault(); leave(); deliver(e.dataTransfer.files); };
  const ignore = (e) => e.preventDefault();
  input.addEventListener('change', onChange);
  zone.addEventListener('dragenter', over);
  zone.addEventListener('dragover', over);
  zone.addEventListener('dragleave', leave);
  zone.addEventListener('drop', drop);
  // A file dropped beside the zone must not make the browser open it in place of the console.
  window.addEventListener('dragover', ignore);
  window.addEventListener('drop', ignore);
  return {
    dispose: () => {
      input.removeEventListener('change', onChange);
      zone.removeEventListener('dragenter', over);
      zone.removeEventListener('dragover', over);
      zone.removeEventListener('dragleave', leave);
      zone.removeEventListener('drop', drop);
      window.removeEventListener('dragover', ignore);
      window.removeEventListener('drop', ignore);
    },
  };
}

export function forgetFile(id) {
  files.delete(id);
}

// SHA-256 of a kept file in 4 MiB slices (flat memory), reporting bytes hashed to owner.Hashing(id, bytes).
export async function hashFile(id, owner) {
  const file = files.get(id);
  if (!file) {
    throw new Error('the file is no longer available');
  }
  let last = 0;
  const progress = async (hashed) => {
    const now = performance.now();
    if (owner && now - last > 200) {
      last = now;
      await owner.invokeMethodAsync('Hashing', id, hashed);
    }
  };
  return (await hashBlob(file, false, progress)).sha256;
}

// POSTs a kept file as the raw body of url with the key; progress to owner.Uploading(id, sent), the end to
// owner.Uploaded(id, httpStatus, responseText) (status 0: no answer, the text says why; -1: cancelled).
// XHR rather than fetch: a fetch with a streamed body needs HTTP/2, while XHR streams a File over HTTP/1.1 too,
// and reports upload progress.
export function upload(id, url, key, mediaType, owner) {
  const file = files.get(id);
  if (!file) {
    owner.invokeMethodAsync('Uploaded', id, 0, 'the file is no longer available');
    return;
  }
  const xhr = new XMLHttpRequest();
  uploads.set(id, xhr);
  let last = 0;
  xhr.upload.onprogress = (e) => {
    const now = performance.now();
    if (now - last > 150 || e.loaded === e.total) {
      last = now;
      owner.invokeMethodAsync('Uploading', id, e.loaded);
    }
  };
  const finish = (status, text) => {
    uploads.delete(id);
    owner.invokeMethodAsync('Uploaded', id, status, text);
  };
  xhr.onload = () => finish(xhr.status, xhr.responseText || '');
  xhr.onerror = () => finish(0, 'the connection to the node failed');
  xhr.ontimeout = () => finish(0, 'the node did not answer in time');
  xhr.onabort = () => finish(-1, '');
  xhr.open('POST', url);
  xhr.setRequestHeader('Authorization', 'Bearer ' + key);
  xhr.setRequestHeader('Content-Type', mediaType || 'application/octet-stream');
  xhr.send(file);
}

export function cancelUpload(id) {
  const xhr = uploads.get(id);
  if (xhr) {
    xhr.abort();
  }
}

async function fetchWithKey(url, key) {
  const response = await fetch(url, { headers: key ? { Authorization: 'Bearer ' + key } : {}, cache: 'no-store', credentials: 'omit' });
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try {
      const body = await response.json();
      if (body && body.message) {
        message = body.message;
      }
    } catch {
      // not JSON: the status line says enough
    }
    return { ok: false, status: response.status, message, blob: null };
  }
  return { ok: true, status: response.status, message: '', blob: await response.blob() };
}

// Each of these answers JSON text, {status, message, url}, read by the console's source-generated JSON contract.

// An image fetched with the key, as a blob: URL for an <img> (only ever an image: the media type is forced).
export async function imageUrl(url, key) {
  const result = await fetchWithKey(url, key);
  if (!result.ok) {
    return JSON.stringify({ status: result.status, message: result.message, url: null });
  }
  const image = result.blob.slice(0, result.blob.size, 'image/png');
  return JSON.stringify({ status: result.status, message: '', url: URL.createObjectURL(image) });
}

export function revoke(url) {
  if (url) {
    URL.revokeObjectURL(url);
  }
}

// Downloads url with the key and saves it as name (never opened in the page: an attachment, octet-stream).
export async function download(url, key, name) {
  const result = await fetchWithKey(url, key);
  if (!result.ok) {
    return JSON.stringify({ status: result.status, message: result.message });
  }
  const blob = result.blob.slice(0, result.blob.size, 'application/octet-stream');
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = name;
  link.rel = 'noopener';
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 60000);
  return JSON.stringify({ status: result.status, message: '' });
}

// Fetches a receipt with the key and hands it to the verification page, which the caller opens next: once that page
// is ready, the receipt is given to its file input as if the user had picked it. No upload: the zip stays in the tab.
export async function handToVerifier(url, key, name) {
  const result = await fetchWithKey(url, key);
  if (!result.ok) {
    return JSON.stringify({ status: result.status, message: result.message });
  }
  const file = new File([result.blob], name, { type: 'application/zip' });
  const deliver = () => {
    const input = document.getElementById('file-input');
    const main = document.querySelector('main[data-ready="true"]');
    if (!input || !main) {
      return false;
    }
    const transfer = new DataTransfer();
    transfer.items.add(file);
    input.files = transfer.files;
    input.dispatchEvent(new Event('change'));
    return true;
  };
  const observer = new MutationObserver(() => {
    if (deliver()) {
      observer.disconnect();
    }
  });
  observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-ready'] });
  setTimeout(() => observer.disconnect(), 120000);
  return JSON.stringify({ status: result.status, message: '' });
}
