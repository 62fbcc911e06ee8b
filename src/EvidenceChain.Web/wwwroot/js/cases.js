// The case and key screens' JavaScript: copying a new key's secret. Nothing here logs or keeps the secret.

// Copies the text of input (a read-only field holding the secret) to the clipboard; true when it was copied. The
// Clipboard API first; where it is missing or refused, the field's selection and the older copy command.
export async function copyField(input) {
  const text = input.value;
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    input.focus();
    input.select();
    try {
      return document.execCommand('copy');
    } catch {
      return false;
    }
  }
}

export function selectField(input) {
  input.select();
}
