// Incremental SHA-256 (FIPS 180-4) and SM3 (GB/T 32905) for the page: dropped originals are hashed here, in slices, because .NET's
// managed SHA-256 runs in the WebAssembly interpreter (under 2 MB/s) while V8 compiles this to machine code.
// crypto.subtle is not used: it is not incremental (the whole file in memory) and exists only in secure contexts.
// Int32 arithmetic throughout ("| 0", ">>> 0"), the message schedule and state in typed arrays.

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

const H0 = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

// Compresses the 64-byte blocks of bytes[from, to) into state, using w (64 words) as the schedule.
function blocks(state, w, bytes, from, to) {
  let a0 = state[0], b0 = state[1], c0 = state[2], d0 = state[3];
  let e0 = state[4], f0 = state[5], g0 = state[6], h0 = state[7];
  for (let p = from; p + 64 <= to; p += 64) {
    for (let i = 0; i < 16; i++) {
      const j = p + (i << 2);
      w[i] = (bytes[j] << 24) | (bytes[j + 1] << 16) | (bytes[j + 2] << 8) | bytes[j + 3];
    }
    for (let i = 16; i < 64; i++) {
      const x = w[i - 15], y = w[i - 2];
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
    }
    let a = a0, b = b0, c = c0, d = d0, e = e0, f = f0, g = g0, h = h0;
    // Four rounds per pass, the working variables renamed instead of shifted.
    for (let i = 0; i < 64; i += 4) {
      let t1 = (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7)))
        + (g ^ (e & (f ^ g))) + K[i] + w[i]) | 0;
      let t2 = ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10)))
        + ((a & b) | (c & (a | b)))) | 0;
      d = (d + t1) | 0; h = (t1 + t2) | 0;
      t1 = (g + (((d >>> 6) | (d << 26)) ^ ((d >>> 11) | (d << 21)) ^ ((d >>> 25) | (d << 7)))
        + (f ^ (d & (e ^ f))) + K[i + 1] + w[i + 1]) | 0;
      t2 = ((((h >>> 2) | (h << 30)) ^ ((h >>> 13) | (h << 19)) ^ ((h >>> 22) | (h << 10)))
        + ((h & a) | (b & (h | a)))) | 0;
      c = (c + t1) | 0; g = (t1 + t2) | 0;
      t1 = (f + (((c >>> 6) | (c << 26)) ^ ((c >>> 11) | (c << 21)) ^ ((c >>> 25) | (c << 7)))
        + (e ^ (c & (d ^ e))) + K[i + 2] + w[i + 2]) | 0;
      t2 = ((((g >>> 2) | (g << 30)) ^ ((g >>> 13) | (g << 19)) ^ ((g >>> 22) | (g << 10)))
        + ((g & h) | (a & (g | h)))) | 0;
      b = (b + t1) | 0; f = (t1 + t2) | 0;
      t1 = (e + (((b >>> 6) | (b << 26)) ^ ((b >>> 11) | (b << 21)) ^ ((b >>> 25) | (b << 7)))
        + (d ^ (b & (c ^ d))) + K[i + 3] + w[i + 3]) | 0;
      t2 = ((((f >>> 2) | (f << 30)) ^ ((f >>> 13) | (f << 19)) ^ ((f >>> 22) | (f << 10)))
        + ((f & g) | (h & (f | g)))) | 0;
      a = (a + t1) | 0; e = (t1 + t2) | 0;
      // After four rounds the roles are back in place: (e,f,g,h,a,b,c,d) hold the new (a..h).
      const ta = e, tb = f, tc = g, td = h;
      e = a; f = b; g = c; h = d;
      a = ta; b = tb; c = tc; d = td;
    }
    a0 = (a0 + a) | 0; b0 = (b0 + b) | 0; c0 = (c0 + c) | 0; d0 = (d0 + d) | 0;
    e0 = (e0 + e) | 0; f0 = (f0 + f) | 0; g0 = (g0 + g) | 0; h0 = (h0 + h) | 0;
  }
  state[0] = a0; state[1] = b0; state[2] = c0; state[3] = d0;
  state[4] = e0; state[5] = f0; state[6] = g0; state[7] = h0;
}

// The Merkle–Damgård frame both hashes share: 64-byte blocks, 0x80 padding, the bit length big-endian at the end.
class BlockHash {
  constructor(iv, words, compress) {
    this.state = new Int32Array(iv);
    this.w = new Int32Array(words);
    this.compress = compress;
    this.buffer = new Uint8Array(64);
    this.buffered = 0;
    this.length = 0;
  }

  update(bytes) {
    let from = 0;
    const to = bytes.length;
    this.length += to;
    if (this.buffered > 0) {
      const take = Math.min(64 - this.buffered, to);
      this.buffer.set(bytes.subarray(0, take), this.buffered);
      this.buffered += take;
      from = take;
      if (this.buffered < 64) {
        return this;
      }
      this.compress(this.state, this.w, this.buffer, 0, 64);
      this.buffered = 0;
    }
    const whole = from + ((to - from) & ~63);
    this.compress(this.state, this.w, bytes, from, whole);
    if (whole < to) {
      this.buffer.set(bytes.subarray(whole, to), 0);
      this.buffered = to - whole;
    }
    return this;
  }

  // The digest as 32 bytes; the object is spent afterwards.
  digest() {
    const bits = this.length * 8;
    const tail = new Uint8Array(this.buffered < 56 ? 64 : 128);
    tail.set(this.buffer.subarray(0, this.buffered));
    tail[this.buffered] = 0x80;
    const n = tail.length;
    const high = Math.floor(bits / 0x100000000), low = bits >>> 0;
    tail[n - 8] = high >>> 24; tail[n - 7] = high >>> 16; tail[n - 6] = high >>> 8; tail[n - 5] = high;
    tail[n - 4] = low >>> 24; tail[n - 3] = low >>> 16; tail[n - 2] = low >>> 8; tail[n - 1] = low;
    this.compress(this.state, this.w, tail, 0, n);
    const out = new Uint8Array(32);
    for (let i = 0; i < 8; i++) {
      const v = this.state[i];
      out[4 * i] = v >>> 24; out[4 * i + 1] = v >>> 16; out[4 * i + 2] = v >>> 8; out[4 * i + 3] = v;
    }
    return out;
  }
}

export class Sha256 extends BlockHash {
  constructor() {
    super(H0, 64, blocks);
  }
}

// SM3 (GB/T 32905-2016).
const SM3_IV = [0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600, 0xa96f30bc, 0x163138aa, 0xe38dee4d, 0xb0fb0e4e];

// T_j rotated left by j mod 32, precomputed.
const SM3_T = new Int32Array(64);
for (let j = 0; j < 64; j++) {
  const t = j < 16 ? 0x79cc4519 : 0x7a879d8a;
  const r = j % 32;
  SM3_T[j] = r === 0 ? t : (t << r) | (t >>> (32 - r));
}

function sm3Blocks(state, w, bytes, from, to) {
  let a0 = state[0], b0 = state[1], c0 = state[2], d0 = state[3];
  let e0 = state[4], f0 = state[5], g0 = state[6], h0 = state[7];
  for (let p = from; p + 64 <= to; p += 64) {
    for (let i = 0; i < 16; i++) {
      const j = p + (i << 2);
      w[i] = (bytes[j] << 24) | (bytes[j + 1] << 16) | (bytes[j + 2] << 8) | bytes[j + 3];
    }
    for (let j = 16; j < 68; j++) {
      const x = w[j - 16] ^ w[j - 9] ^ ((w[j - 3] << 15) | (w[j - 3] >>> 17));
      const y = w[j - 13];
      w[j] = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((y << 7) | (y >>> 25)) ^ w[j - 6];
    }
    let a = a0, b = b0, c = c0, d = d0, e = e0, f = f0, g = g0, h = h0;
    for (let j = 0; j < 16; j++) {
      const a12 = (a << 12) | (a >>> 20);
      const s = (a12 + e + SM3_T[j]) | 0;
      const ss1 = (s << 7) | (s >>> 25);
      const ss2 = ss1 ^ a12;
      const tt1 = ((a ^ b ^ c) + d + ss2 + (w[j] ^ w[j + 4])) | 0;
      const tt2 = ((e ^ f ^ g) + h + ss1 + w[j]) | 0;
      d = c; c = (b << 9) | (b >>> 23); b = a; a = tt1;
      h = g; g = (f << 19) | (f >>> 13); f = e; e = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
    }
    for (let j = 16; j < 64; j++) {
      const a12 = (a << 12) | (a >>> 20);
      const s = (a12 + e + SM3_T[j]) | 0;
      const ss1 = (s << 7) | (s >>> 25);
      const ss2 = ss1 ^ a12;
      const tt1 = (((a & b) | (a & c) | (b & c)) + d + ss2 + (w[j] ^ w[j + 4])) | 0;
      const tt2 = (((e & f) | (~e & g)) + h + ss1 + w[j]) | 0;
      d = c; c = (b << 9) | (b >>> 23); b = a; a = tt1;
      h = g; g = (f << 19) | (f >>> 13); f = e; e = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
    }
    a0 ^= a; b0 ^= b; c0 ^= c; d0 ^= d; e0 ^= e; f0 ^= f; g0 ^= g; h0 ^= h;
  }
  state[0] = a0; state[1] = b0; state[2] = c0; state[3] = d0;
  state[4] = e0; state[5] = f0; state[6] = g0; state[7] = h0;
}

export class Sm3 extends BlockHash {
  constructor() {
    super(SM3_IV, 68, sm3Blocks);
  }
}

export function hex(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i++) {
    s += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16);
  }
  return s;
}

// SHA-256 of one byte array, as lowercase hex (for tests and the warm-up).
export function sha256Hex(bytes) {
  return hex(new Sha256().update(bytes).digest());
}

// SM3 of one byte array, as lowercase hex (for tests).
export function sm3Hex(bytes) {
  return hex(new Sm3().update(bytes).digest());
}

// Size, SHA-256 and (when asked) SM3 of a File or Blob, as hex, read in 4 MiB slices: never whole in memory.
// progress(bytesSoFar), when given, is awaited after each slice.
export async function hashBlob(blob, withSm3, progress) {
  const sha256 = new Sha256();
  const sm3 = withSm3 ? new Sm3() : null;
  const slice = 4 << 20;
  let size = 0;
  for (let offset = 0; offset < blob.size; offset += slice) {
    const bytes = new Uint8Array(await blob.slice(offset, Math.min(offset + slice, blob.size)).arrayBuffer());
    if (bytes.length === 0) {
      throw new Error(`${blob.name ?? 'the file'} could not be read at offset ${offset}: the browser returned nothing (was it changed or removed?)`);
    }
    sha256.update(bytes);
    if (sm3) {
      sm3.update(bytes);
    }
    size += bytes.length;
    if (progress) {
      await progress(size);
    }
  }
  return { size, sha256: hex(sha256.digest()), sm3: sm3 ? hex(sm3.digest()) : null };
}
